/**
 * The benchmark harness: whole-process timing through tinybench, the
 * geometric mean, and the table's ratios (between medians of one run).
 */
import { describe, expect, it } from "vitest";
import { type AblationResult, annotationsUsed, formatBagelAblation } from "../../experiments/bench/bagel-ablation.ts";
import { formatLoxSuite, type LoxSuiteResult } from "../../experiments/bench/lox-suite.ts";
import { largeFunctionTimes } from "../../experiments/bench/bagel-suite.ts";
import { CommandFailed, geometricMean, timeCommand, timeReportedRounds } from "../../experiments/bench/measure.ts";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { REPO_ROOT } from "../conformance/runner.ts";

const timing = (median: number) => ({ median, mad: 0.001, min: median, max: median, samples: 3 });

describe("benchmark harness", () => {
  it("takes the geometric mean", () => {
    expect(geometricMean([2, 8])).toBeCloseTo(4, 10);
    expect(geometricMean([3])).toBeCloseTo(3, 10);
    expect(geometricMean([])).toBeNaN();
  });

  it("times a process per sample and reports failures", async () => {
    const t = await timeCommand({ program: process.execPath, args: ["-e", "0"] }, 2);
    expect(t.samples).toBe(2);
    expect(t.median).toBeGreaterThan(0);
    expect(t.min).toBeLessThanOrEqual(t.max);
    await expect(timeCommand({ program: process.execPath, args: ["-e", "process.exit(3)"] }, 1)).rejects.toThrow(CommandFailed);
  });

  it("reads the JIT's steps per large batch: the first, then the median of the last half", () => {
    const linked = (bytes: number, total: number): string =>
      `sa: jit: linked 1 functions, ${bytes} bytes, in ${total} ms (specialize 1.5, optimize ${total / 2}, lower 3, encode 4, V8 compile 5)\n`;
    const stderr = `sa: jit: specialized execute as execute'1: 9 instructions (...)\n${linked(1200, 9)}${linked(30000, 600)}` +
      `${linked(29000, 900)}${linked(900, 7)}${linked(29500, 300)}${linked(29900, 120)}${linked(29900, 100)}`;
    const t = largeFunctionTimes(stderr, 5);
    expect(t["bytes"]).toBe(30000);
    expect(t["first.total"]).toBe(600);
    expect(t["first.optimize"]).toBe(300);
    expect(t["warm.total"]).toBe(110);
    expect(t["warm.optimize"]).toBe(55);
    expect(t["warm.compile"]).toBe(5);
    expect([1, 2, 3, 4, 5].map((k) => t[`at${k}.total`])).toEqual([600, 900, 300, 120, 100]);
    expect(() => largeFunctionTimes(stderr, 4)).toThrow(CommandFailed);
  });

  it("prints ratios of medians and their geometric mean", () => {
    const result: LoxSuiteResult = {
      dir: "/x",
      programs: [
        { name: "a", file: "a.lox", wasm: timing(1), tree: timing(4), js: timing(0.5), reference: null, treeOverWasm: 4, wasmOverJs: 2, referenceOverWasm: null, failures: {} },
        { name: "b", file: "b.lox", wasm: timing(2), tree: timing(2), js: null, reference: null, treeOverWasm: 1, wasmOverJs: null, referenceOverWasm: null, failures: {} },
      ],
      geomean: { treeOverWasm: 2, wasmOverJs: 2, referenceOverWasm: null },
    };
    const lines = formatLoxSuite(result).split("\n");
    expect(lines[0]).toBe("| program | wasm s | tree s | tree/wasm | js s | wasm/js |");
    expect(lines[2]).toBe("| a | 1.000 ±0.001 | 4.000 ±0.001 | 4.00x | 0.500 ±0.001 | 2.00x |");
    expect(lines[3]).toBe("| b | 2.000 ±0.001 | 2.000 ±0.001 | 1.00x | - | - |");
    expect(lines[4]).toBe("| geomean |  |  | 2.00x |  | 2.00x |");
  });

  it("alternates commands round by round and leaves a failing one out of later rounds", async () => {
    // Each command reports on stderr how many rounds ran before it (a file counts them).
    const log = join(REPO_ROOT, ".tmp", `rounds-${process.pid}.txt`);
    const script = (label: string): string =>
      `const fs=require("fs");fs.mkdirSync(require("path").dirname(${JSON.stringify(log)}),{recursive:true});` +
      `fs.appendFileSync(${JSON.stringify(log)},"${label}");process.stderr.write("t "+fs.readFileSync(${JSON.stringify(log)},"utf8").length);`;
    const parse = (s: string): Record<string, number> => ({ order: Number(/t (\d+)/.exec(s)?.[1]) });
    const results = await timeReportedRounds([
      { label: "a", command: { program: process.execPath, args: ["-e", script("a")] }, parse },
      { label: "b", command: { program: process.execPath, args: ["-e", script("b")] }, parse },
      { label: "bad", command: { program: process.execPath, args: ["-e", "process.exit(3)"] }, parse },
    ], 3);
    const order = spawnSync(process.execPath, ["-e", `process.stdout.write(require("fs").readFileSync(${JSON.stringify(log)},"utf8"));require("fs").rmSync(${JSON.stringify(log)})`]).stdout.toString();
    expect(order).toBe("ababab");
    const a = results.get("a");
    expect(typeof a === "object" ? a["order"]?.samples : a).toBe(3);
    expect(results.get("bad")).toMatch(/exited with 3/);
  });

  it("refuses annotations that do not exist, and --disable-annotation with --ablation (exit 64)", () => {
    const tsx = join(REPO_ROOT, "node_modules", "tsx", "dist", "cli.mjs");
    const bench = (...args: string[]) => spawnSync(process.execPath, [tsx, join(REPO_ROOT, "scripts", "bench.ts"), ...args], { encoding: "utf8" });
    const unknown = bench("bagel", "--disable-annotation=fast");
    expect(unknown.status).toBe(64);
    expect(unknown.stderr).toMatch(/^bench: --disable-annotation: there is no annotation 'fast' \(the annotations are specialize, context, readonly, monomorphize, pure\)$/m);
    const both = bench("bagel", "--ablation", "--disable-annotation=pure");
    expect(both.status).toBe(64);
    expect(both.stderr).toMatch(/^bench: --ablation disables each annotation in turn; it takes no --disable-annotation$/m);
  }, 30_000);

  it("finds the annotations an interpreter uses and prints the ablation's speedups", () => {
    expect(annotationsUsed("@specialize(fn)\n@context(pc)\nfun f(fn) {}\n@readonly(a) class C {}\n// @pureness\n")).toEqual(["specialize", "context", "readonly"]);
    const cell = (speedup: number | null) => ({ run: null, jit: null, speedup, codeBytes: speedup === null ? null : 1000 * speedup, failure: null });
    const result: AblationResult = {
      configurations: ["all", "-readonly"],
      unused: ["pure"],
      programs: [
        { name: "a", generic: timing(1), cells: { all: cell(8), "-readonly": cell(1) } },
        { name: "b", generic: timing(1), cells: { all: cell(2), "-readonly": cell(null) } },
      ],
      geomean: { all: 4, "-readonly": 1 },
    };
    const lines = formatBagelAblation(result).split("\n");
    expect(lines[0]).toBe("| program | all annotations | without @readonly |");
    expect(lines[2]).toBe("| a | 8.00x | 1.00x |");
    expect(lines[3]).toBe("| b | 2.00x | - |");
    expect(lines[4]).toBe("| geomean | 4.00x | 1.00x |");
    expect(lines[6]).toBe("Bytes of specialized code:");
    expect(lines[10]).toBe("| a | 8000 | 1000 |");
    expect(lines[11]).toBe("| b | 2000 | - |");
    expect(lines[13]).toBe("Not used by interpreters/bagel/interpreter.lox, so not measured: @pure");
  });
});
