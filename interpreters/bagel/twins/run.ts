/**
 * Runs a Bagel program on the JavaScript twin from the command line:
 * `npx tsx interpreters/bagel/twins/run.ts [--time] prog.bagel`. Same
 * output, error format (`message\n[line N]\n`) and exit codes (65, 70) as
 * `sa run`; `--time` reports the time spent interpreting on stderr, in the
 * format of `sa run --time` (the bench harness reads it).
 */
import { readFileSync, writeSync } from "node:fs";
import { compileBagel, renderBagelDiagnostic } from "../frontend/index.ts";
import { BagelRuntimeError, runProgram } from "./interpreter.ts";

const args = process.argv.slice(2);
const time = args[0] === "--time";
const path = time ? args[1] : args[0];
if (path === undefined) {
  process.stderr.write("usage: run.ts [--time] <file.bagel>\n");
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
const started = performance.now();
const reportTime = (): void => {
  if (time) process.stderr.write(`twin: time: run ${(performance.now() - started).toFixed(2)} ms\n`);
};
try {
  runProgram(compiled.program, (text) => {
    buffered += text;
    if (buffered.length > 1 << 16) flush();
  });
  flush();
  reportTime();
} catch (e) {
  if (!(e instanceof BagelRuntimeError)) throw e;
  flush();
  reportTime();
  process.stderr.write(`${e.message}\n[line ${e.line}]\n`);
  process.exit(70);
}
