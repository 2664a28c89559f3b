/**
 * The `trace` run option: with `trace: false` a runtime error is reported
 * by its message alone, on every engine; by default the Lox stack trace
 * follows it. Exit code and output are the same either way.
 */
import { describe, expect, it } from "vitest";
import { type Engine, runAsync, sourceFromText, StringOutput } from "../../src/api.ts";

const PROGRAM = sourceFromText(`
fun inner(x) {
  error("line " + toString(x) + ": bad input");
}
fun outer() { inner(7); }
print "before";
outer();
`);

async function runWith(engine: Engine, trace: boolean | undefined): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new StringOutput();
  let stderr = "";
  const code = await runAsync(PROGRAM, {
    engine, stdout, stderr: (t) => (stderr += t), ...(trace === undefined ? {} : { trace }),
  });
  return { code, stdout: stdout.text, stderr };
}

describe("the trace run option", () => {
  for (const engine of ["tree", "ir", "wasm"] as const) {
    it(`leaves out the trace on the ${engine} engine`, async () => {
      expect(await runWith(engine, false)).toEqual({ code: 70, stdout: "before\n", stderr: "line 7: bad input\n" });
    });
    it(`keeps the trace by default on the ${engine} engine`, async () => {
      const expected = { code: 70, stdout: "before\n", stderr: "line 7: bad input\n[line 3] in inner()\n[line 5] in outer()\n[line 7] in script\n" };
      expect(await runWith(engine, undefined)).toEqual(expected);
      expect(await runWith(engine, true)).toEqual(expected);
    });
  }
});
