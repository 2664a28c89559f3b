/**
 * The IR on random whole programs (gen/lox-program.ts): the IR engine
 * agrees with the reference tree engine (output, exit code, runtime error
 * and trace); the unoptimized and -O2 IR agree; and the text form of every
 * lowered function, before and after optimization, prints, parses and
 * prints back identically. Runs are bounded by the IR engine's fuel.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compile, type Engine, type OptLevel, run, sourceFromText, StringOutput } from "../../src/api.ts";
import { assertValid, parseModule, printModule } from "../../src/ir/index.ts";
import { lowerProgram } from "../../src/lower/index.ts";
import { PIPELINES, runPipeline } from "../../src/passes/index.ts";
import { loxProgram } from "./gen/lox-program.ts";

const FUEL = 5_000_000;
const RUNS = 250;

function outcome(program: string, engine: Engine, opt: OptLevel = "O2"): { code: number; stdout: string; stderr: string } {
  const stdout = new StringOutput();
  let stderr = "";
  const code = run(sourceFromText(program), { engine, opt, fuel: FUEL, stdout, stderr: (t) => (stderr += t) });
  return { code, stdout: stdout.text, stderr };
}

describe("IR on random programs", () => {
  it("the IR engine agrees with the tree engine", () => {
    fc.assert(
      fc.property(loxProgram(), (program) => {
        expect(outcome(program, "ir", "O0"), program).toEqual(outcome(program, "tree"));
      }),
      { numRuns: RUNS },
    );
  });

  it("-O0 and -O2 agree", () => {
    fc.assert(
      fc.property(loxProgram(), (program) => {
        expect(outcome(program, "ir", "O2"), program).toEqual(outcome(program, "ir", "O0"));
      }),
      { numRuns: RUNS },
    );
  });

  it("printed IR parses back to the same text, before and after -O2", () => {
    fc.assert(
      fc.property(loxProgram(), (program) => {
        const module = lowerProgram(compile(sourceFromText(program)));
        for (const pipeline of [PIPELINES["O0"] ?? [], PIPELINES["O2"] ?? []]) {
          runPipeline(module, pipeline, { verify: true });
          const text = printModule(module);
          const reparsed = parseModule(text);
          assertValid(reparsed);
          expect(printModule(reparsed)).toBe(text);
        }
      }),
      { numRuns: RUNS },
    );
  });
});
