/**
 * Runs a Bagel program on the JavaScript twin from the command line:
 * `npx tsx interpreters/bagel/twins/run.ts prog.bagel`. Same output, error
 * format (`message\n[line N]\n`) and exit codes (65, 70) as `sa run`.
 */
import { readFileSync, writeSync } from "node:fs";
import { compileBagel, renderBagelDiagnostic } from "../frontend/index.ts";
import { BagelRuntimeError, runProgram } from "./interpreter.ts";

const path = process.argv[2];
if (path === undefined) {
  process.stderr.write("usage: run.ts <file.bagel>\n");
  process.exit(64);
}
const compiled = compileBagel(readFileSync(path, "latin1"));
if (!compiled.ok) {
  process.stderr.write(compiled.diagnostics.map((d) => renderBagelDiagnostic(d) + "\n").join(""));
  process.exit(65);
}
let buffered = "";
const flush = (): void => {
  writeSync(1, Buffer.from(buffered, "latin1"));
  buffered = "";
};
try {
  runProgram(compiled.program, (text) => {
    buffered += text;
    if (buffered.length > 1 << 16) flush();
  });
  flush();
} catch (e) {
  if (!(e instanceof BagelRuntimeError)) throw e;
  flush();
  process.stderr.write(`${e.message}\n[line ${e.line}]\n`);
  process.exit(70);
}
