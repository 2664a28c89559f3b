/**
 * The benchmark programs in experiments/lox: every Lox program has a plain
 * JavaScript twin, and the program compiled to WebAssembly (`bin/sa run`)
 * prints exactly what its twin prints under node, exiting with 0.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "vitest";
import { REPO_ROOT, runCommand, runSa } from "../conformance/runner.ts";

const BENCH_DIR = join(REPO_ROOT, "experiments", "lox");
const programs = readdirSync(BENCH_DIR).filter((f) => f.endsWith(".lox")).sort();

describe.concurrent("benchmark programs", () => {
  it("there are programs to check", ({ expect }) => {
    expect(programs.length).toBeGreaterThan(0);
  });

  for (const program of programs) {
    it(`${program} prints what its JavaScript twin prints`, async ({ expect }) => {
      const lox = join(BENCH_DIR, program);
      const twin = lox.replace(/\.lox$/, ".js");
      expect(existsSync(twin), `${twin} is missing`).toBe(true);
      const [wasm, node] = await Promise.all([runSa(["run", lox]), runCommand(process.execPath, [twin])]);
      expect(wasm.stderr).toBe("");
      expect(wasm.exitCode).toBe(0);
      expect(node.stderr).toBe("");
      expect(node.exitCode).toBe(0);
      expect(wasm.stdout).not.toBe("");
      expect(wasm.stdout).toBe(node.stdout);
    });
  }
});
