/**
 * The Bagel programs in interpreters/bagel/programs, with small sizes
 * (their size variables rewritten), on the Lox interpreter with the tree
 * and the wasm engine and on the JavaScript twin: all print the expected
 * output. The Lox twins of the benchmarks print what the Bagel versions
 * print.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { run, StringOutput } from "../../src/api.ts";
import { REPO_ROOT } from "../conformance/runner.ts";
import { runOnLox, runOnTwin } from "./run-bagel.ts";

const PROGRAMS = join(REPO_ROOT, "interpreters", "bagel", "programs");
const LOX_TWINS = join(REPO_ROOT, "interpreters", "bagel", "twins", "lox");

interface Case {
  readonly sizes: Readonly<Record<string, number>>;
  readonly stdout: string;
  readonly code?: number;
  readonly stderr?: string;
}

const CASES: Readonly<Record<string, Case>> = {
  hello: { sizes: {}, stdout: "hello, world\nhello, Bagel\n42!\n" },
  arrays: { sizes: {}, stdout: "[one, 2, 3, [4, 5]]\n4\n5\n[[0, 0, 0], [1, 1, 1]]\n" },
  errors: { sizes: {}, stdout: "2.5\n", code: 70, stderr: "Operands must be numbers.\n[line 3]\n" },
  fib: { sizes: { N: 10 }, stdout: "55\n" },
  loop: { sizes: { N: 20 }, stdout: "36100\n" },
  sieve: { sizes: { N: 50, ROUNDS: 2 }, stdout: "30\n" },
  matmul: { sizes: { N: 3 }, stdout: "240\n[80, 76, 42]\n" },
  mandelbrot: { sizes: { W: 8, MAX_ITER: 20 }, stdout: "23\n" },
  sort: { sizes: { N: 10 }, stdout: "true\n2431\n65263\n" },
  strings: { sizes: { N: 100 }, stdout: "387\n185\n" },
  recursion: { sizes: { D: 30, ROUNDS: 2 }, stdout: "930\n" },
};

const BENCHMARKS = ["fib", "loop", "sieve", "matmul", "mandelbrot", "sort", "strings", "recursion"];

/** `source` with each `var NAME = <number>;` of `sizes` set to the given value. */
function resized(source: string, sizes: Readonly<Record<string, number>>): string {
  let text = source;
  for (const [name, value] of Object.entries(sizes)) {
    const pattern = new RegExp(`^var ${name} = \\d+;`, "m");
    expect(text, `size variable ${name}`).toMatch(pattern);
    text = text.replace(pattern, `var ${name} = ${value};`);
  }
  return text;
}

function programSource(name: string): string {
  return resized(readFileSync(join(PROGRAMS, `${name}.bagel`), "latin1"), CASES[name]?.sizes ?? {});
}

describe("Bagel programs", () => {
  for (const [name, expected] of Object.entries(CASES)) {
    const outcome = { code: expected.code ?? 0, stdout: expected.stdout, stderr: expected.stderr ?? "" };
    it(`${name} on the JavaScript twin`, () => {
      expect(runOnTwin(programSource(name))).toEqual(outcome);
    });
    it(`${name} on the tree engine`, async () => {
      expect(await runOnLox(programSource(name), "tree")).toEqual(outcome);
    });
    it(`${name} on the wasm engine`, async () => {
      expect(await runOnLox(programSource(name), "wasm")).toEqual(outcome);
    });
  }

  it("a program with many functions and long code runs on the wasm engine", async () => {
    const functions = Array.from({ length: 20 }, (_, i) => `fun f${i}(a) { return a + ${i}; }\n`).join("");
    const calls = Array.from({ length: 1000 }, (_, i) => `t = t + f${i % 20}(${i});\n`).join("");
    const outcome = await runOnLox(`${functions}var t = 0;\n${calls}print t % 1000000;\n`, "wasm");
    // The sum of i + i % 20 for i below 1000 is 509000.
    expect(outcome).toEqual({ code: 0, stdout: "509000\n", stderr: "" });
  });

  for (const name of BENCHMARKS) {
    it(`the Lox twin of ${name} prints the same`, () => {
      const source = resized(readFileSync(join(LOX_TWINS, `${name}.lox`), "latin1"), CASES[name]?.sizes ?? {});
      const stdout = new StringOutput();
      expect(run(source, { stdout, stderr: () => {} })).toBe(0);
      expect(stdout.text).toBe(CASES[name]?.stdout);
    });
  }
});
