/**
 * Differential property test: on random Bagel programs (generator.ts), the
 * interpreter written in Lox (on the tree engine, and on the IR engine for
 * fewer programs) and the JavaScript twin
 * agree on the output, the exit code, and for run-time errors on the
 * message and the Bagel line. A second test checks the generator: every
 * program compiles, and a reasonable share end in a run-time error.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bagelProgram } from "./generator.ts";
import { runOnLox, runOnTwin } from "./run-bagel.ts";

describe("Bagel: the Lox interpreter and the JavaScript twin", () => {
  it("agree on output, error message and error line", async () => {
    await fc.assert(
      fc.asyncProperty(bagelProgram(), async (program) => {
        const twin = runOnTwin(program);
        const lox = await runOnLox(program, "tree");
        expect(lox, program).toEqual(twin);
      }),
      { numRuns: 150 },
    );
  });

  it("agree on the IR engine too", async () => {
    await fc.assert(
      fc.asyncProperty(bagelProgram(), async (program) => {
        expect(await runOnLox(program, "ir"), program).toEqual(runOnTwin(program));
      }),
      { numRuns: 50 },
    );
  });

  it("the generator's programs compile, and some fail at run time", () => {
    const outcomes = fc.sample(bagelProgram(), 300).map(runOnTwin);
    expect(outcomes.filter((o) => o.code === 65)).toEqual([]);
    const failing = outcomes.filter((o) => o.code === 70).length / outcomes.length;
    expect(failing).toBeGreaterThanOrEqual(0.05);
    expect(failing).toBeLessThanOrEqual(0.5);
    const messages = new Set(outcomes.filter((o) => o.code === 70).map((o) => o.stderr.split("\n")[0]));
    expect(messages.size).toBeGreaterThanOrEqual(4);
  });
});
