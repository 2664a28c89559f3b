/**
 * Differential property test of the partial evaluator on Bagel (issue:
 * specialized and generic runs agree): on random Bagel programs, including
 * ones that end in run-time errors, the interpreter specialized at its
 * first call (`--jit=eager`) and the generic interpreter (`--jit=off`)
 * agree on output, exit code, error message and error line. On the IR
 * engine for many programs, on the Wasm engine (where specialized code is
 * compiled and linked into the running program) for fewer, and with each
 * of the 32 subsets of the interpreter's annotations disabled (an
 * ablation must never change what a program does). fast-check shrinks a counterexample
 * to a small program.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { TieringEvent } from "../../src/api.ts";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { annotationsUsed } from "../../experiments/bench/bagel-ablation.ts";
import { REPO_ROOT } from "../conformance/runner.ts";
import { bagelProgram } from "./generator.ts";
import { runOnLox, runOnTwin } from "./run-bagel.ts";

describe("Bagel: specialized and generic runs", () => {
  it("agree on the IR engine (300 programs)", async () => {
    let specialized = 0;
    let abandoned: string[] = [];
    await fc.assert(
      fc.asyncProperty(bagelProgram(), async (program) => {
        const generic = await runOnLox(program, "ir", "off");
        const events: TieringEvent[] = [];
        const fast = await runOnLox(program, "ir", "eager", (e) => events.push(e));
        expect(fast, program).toEqual(generic);
        specialized += events.filter((e) => e.kind === "specialized").length;
        abandoned = abandoned.concat(events.flatMap((e) => (e.kind === "abandoned" ? [e.reason] : [])));
      }),
      { numRuns: 300 },
    );
    // Every program runs main, so each run specializes at least once; nothing is given up.
    expect(specialized).toBeGreaterThanOrEqual(300);
    expect(abandoned).toEqual([]);
  }, 240_000);

  it("agree on the Wasm engine, and with the JavaScript twin", async () => {
    await fc.assert(
      fc.asyncProperty(bagelProgram(), async (program) => {
        const events: TieringEvent[] = [];
        const fast = await runOnLox(program, "wasm", "eager", (e) => events.push(e));
        expect(fast, program).toEqual(runOnTwin(program));
        expect(events.filter((e) => e.kind === "specialized").length).toBeGreaterThan(0);
        // Specialized code is verified (run-bagel.ts): invalid IR would be an internal error here.
        expect(events.flatMap((e) => (e.kind === "abandoned" && e.reason.startsWith("internal error") ? [e.reason] : []))).toEqual([]);
      }),
      { numRuns: 25 },
    );
  }, 240_000);

  it("agree with every subset of the interpreter's annotations disabled (IR engine)", async () => {
    const used = annotationsUsed(readFileSync(join(REPO_ROOT, "interpreters", "bagel", "interpreter.lox"), "latin1"));
    expect(used).toEqual(["specialize", "context", "readonly", "monomorphize", "pure"]);
    // All 2^5 subsets, each on its own random programs.
    for (let mask = 0; mask < 1 << used.length; mask++) {
      const disabled = used.filter((_, i) => (mask & (1 << i)) !== 0);
      await fc.assert(
        fc.asyncProperty(bagelProgram(), async (program) => {
          const generic = await runOnLox(program, "ir", "off");
          const events: TieringEvent[] = [];
          const ablated = await runOnLox(program, "ir", "eager", (e) => events.push(e), new Set(disabled));
          expect(ablated, `${program}\n// disabled: ${disabled.join(", ")}`).toEqual(generic);
          expect(events.flatMap((e) => (e.kind === "abandoned" && e.reason.startsWith("internal error") ? [e.reason] : []))).toEqual([]);
        }),
        { numRuns: 5 },
      );
    }
  }, 300_000);
});
