/**
 * Random whole programs (test/property/gen/lox-program.ts) on the tree
 * engine, in-process: every generated program compiles (never exit 65),
 * ends normally or with a runtime error (0 or 70), prints a bounded amount
 * and finishes quickly. A second test checks the generator itself: a
 * reasonable share of programs fail at run time, standard programs use no
 * dialect feature, and each feature family shows up.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { run, sourceFromText, StringOutput } from "../../src/api.ts";
import { loxProgram } from "./gen/lox-program.ts";

const MAX_OUTPUT = 1 << 20;
const MAX_MS = 2_000;

interface Outcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

function runProgram(program: string): Outcome {
  const stdout = new StringOutput();
  let stderr = "";
  const started = performance.now();
  const code = run(sourceFromText(program), { stdout, stderr: (t) => { stderr += t; } });
  return { code, stdout: stdout.text, stderr, ms: performance.now() - started };
}

function checkProgram(program: string): void {
  const out = runProgram(program);
  if (out.code === 65) expect.fail(`generated program does not compile:\n${out.stderr}\n--- program ---\n${program}`);
  expect(out.code, `${out.stderr}\n--- program ---\n${program}`).toSatisfy((c: number) => c === 0 || c === 70);
  if (out.code === 70) expect(out.stderr).toMatch(/^.+\n\[line \d+\] in /);
  expect(out.stdout.length).toBeLessThan(MAX_OUTPUT);
  expect(out.ms, `took ${out.ms.toFixed(0)} ms:\n${program}`).toBeLessThan(MAX_MS);
}

const DIALECT_ONLY = /\[|%|@|\b(len|push|pop|array|freeze|floor|band|bor|bxor|shl|shr|substring|charCode|fromCharCode|parseNumber|toString)\(/;

describe("generated programs on the tree engine", () => {
  it("compile, terminate quickly, and exit 0 or 70 (dialect)", () => {
    fc.assert(fc.property(loxProgram(), checkProgram), { numRuns: 300 });
  });

  it("compile, terminate quickly, and exit 0 or 70 (standard Lox)", () => {
    fc.assert(fc.property(loxProgram({ dialect: false }), checkProgram), { numRuns: 100 });
  });

  it("fail at run time sometimes and cover every feature family", () => {
    const dialect = fc.sample(loxProgram(), 500);
    const standard = fc.sample(loxProgram({ dialect: false }), 200);
    for (const programs of [dialect, standard]) {
      const failing = programs.filter((p) => runProgram(p).code === 70).length / programs.length;
      expect(failing).toBeGreaterThanOrEqual(0.05);
      expect(failing).toBeLessThanOrEqual(0.35);
    }
    for (const p of standard) expect(p, "standard program uses a dialect feature").not.toMatch(DIALECT_ONLY);
    const families: Record<string, RegExp> = {
      class: /^\s*class C\d+ \{/m,
      subclass: /^\s*class C\d+ < C\d+ \{/m,
      "super call": /super\.m\d+\(/,
      init: /^\s*init\(/m,
      "this field": /this\.x\d+/,
      "bound method": /var b\d+ = (this|o\d+)\.m\d+;/,
      "field holding a function": /\.h\d+\(/,
      "for loop": /for \(/,
      "while loop": /while \(/,
      function: /fun f\d+\(/,
      recursion: /return .*r\d+\(n\d+ - 1/,
      "closure in a loop": /^\s*k\d+ = g\d+;/m,
      "closure factory": /fun mk\d+\(/,
      else: /\} else \{/,
    };
    for (const [name, re] of Object.entries(families)) {
      expect(standard.some((p) => re.test(p)), `${name} in standard programs`).toBe(true);
      expect(dialect.some((p) => re.test(p)), `${name} in dialect programs`).toBe(true);
    }
    for (const [name, re] of Object.entries({ array: /\[/, remainder: / % /, natives: /\b(len|band|substring|toString)\(/ })) {
      expect(dialect.some((p) => re.test(p)), name).toBe(true);
    }
  });
});
