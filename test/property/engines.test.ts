/**
 * Random whole programs (gen/lox-program.ts) agree on every engine: the
 * reference tree engine, the IR engine at -O0 and the Wasm engine at -O2
 * (output, exit code, runtime error and trace line). Wasm runs go through
 * long-lived workers (binaryen is loaded once per worker).
 */
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { run, sourceFromText, StringOutput } from "../../src/api.ts";
import { BatchRunner } from "../conformance/runner.ts";
import { loxProgram } from "./gen/lox-program.ts";

const RUNS = 300;
let batch: BatchRunner | null = null;
afterAll(async () => {
  await batch?.close();
});

function inProcess(program: string, engine: "tree" | "ir"): { code: number; stdout: string; stderr: string } {
  const stdout = new StringOutput();
  let stderr = "";
  const code = run(sourceFromText(program), { engine, opt: "O0", fuel: 5_000_000, stdout, stderr: (t) => (stderr += t) });
  return { code, stdout: stdout.text, stderr };
}

/** The first line of a runtime error and its innermost `[line N]`: what must agree across engines. */
function essence(r: { code: number | null; stdout: string; stderr: string }): object {
  const lines = r.stderr.split("\n");
  return { code: r.code, stdout: r.stdout, error: lines[0] ?? "", where: /\[line \d+\]/.exec(lines[1] ?? "")?.[0] ?? "" };
}

describe("engines agree on random programs", () => {
  it("tree, IR and Wasm give the same results", async () => {
    batch ??= new BatchRunner(2);
    const wasm = batch;
    await fc.assert(
      fc.asyncProperty(loxProgram(), async (program) => {
        const tree = essence(inProcess(program, "tree"));
        expect(essence(inProcess(program, "ir")), program).toEqual(tree);
        const w = await wasm.run(sourceFromText(program), ["--engine=wasm", "-O2"]);
        expect(essence({ code: w.exitCode, stdout: w.stdout, stderr: w.stderr }), program).toEqual(tree);
      }),
      { numRuns: RUNS },
    );
  });
});
