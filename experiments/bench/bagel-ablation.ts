/**
 * `npm run bench -- bagel --ablation`: what each annotation of the Bagel
 * interpreter is worth. Every Bagel benchmark program (those with a Lox
 * twin, as in bagel-suite.ts) runs on the generic interpreter
 * (`--jit=off`), specialized at its first call with all annotations, and
 * specialized with each annotation the interpreter uses disabled in turn
 * (`--disable-annotation NAME`: checked, then ignored everywhere). Times
 * are taken inside each process (`sa run --time`); the speedup is the
 * generic run time over the run time without the JIT's own time, as in
 * the main table, and the JIT's time is recorded too (JSON). A second
 * table gives the size of the specialized code (bytes of Wasm the JIT
 * made), which does not vary between runs, so a change too small to see
 * in the times still shows there. Annotations the interpreter's source
 * does not use are listed as such, not measured.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { ALL_ANNOTATIONS } from "../../annotations/index.ts";
import { geometricMeanOfPresent, ratio, type Timing, timeReportedRounds } from "./measure.ts";
import { saTimes } from "./bagel-suite.ts";

export interface AblationOptions {
  readonly root: string;
  readonly iterations: number;
  readonly progress: (line: string) => void;
}

/** One configuration's timings of one program. */
export interface AblationCell {
  readonly run: Timing | null;
  readonly jit: Timing | null;
  /** generic / run (medians). */
  readonly speedup: number | null;
  /** Bytes of Wasm the JIT made (median). */
  readonly codeBytes: number | null;
  readonly failure: string | null;
}

export interface AblationResult {
  /** The configurations measured: "all", then "-NAME" per used annotation. */
  readonly configurations: readonly string[];
  /** Registered annotations the interpreter does not use. */
  readonly unused: readonly string[];
  readonly programs: readonly { readonly name: string; readonly generic: Timing | null; readonly cells: Readonly<Record<string, AblationCell>> }[];
  readonly geomean: Readonly<Record<string, number | null>>;
}

/** The annotations written in an interpreter's source, in registry order. */
export function annotationsUsed(source: string): string[] {
  return ALL_ANNOTATIONS.map((a) => a.name).filter((name) => new RegExp(`@${name}\\b`).test(source));
}

export async function runBagelAblation(options: AblationOptions): Promise<AblationResult> {
  const bagel = join(options.root, "interpreters", "bagel");
  const used = annotationsUsed(readFileSync(join(bagel, "interpreter.lox"), "latin1"));
  const unused = ALL_ANNOTATIONS.map((a) => a.name).filter((n) => !used.includes(n));
  const configurations = ["all", ...used.map((n) => `-${n}`)];
  const names = readdirSync(join(bagel, "twins", "lox")).filter((f) => f.endsWith(".lox")).map((f) => basename(f, ".lox")).sort();
  const sa = join(options.root, "bin", "sa");
  const programs: AblationResult["programs"][number][] = [];
  for (const name of names) {
    const file = join(bagel, "programs", `${name}.bagel`);
    if (!existsSync(file)) continue;
    // Every configuration once per round, so drifts of the machine fall on all alike.
    const labels = ["generic", ...configurations];
    options.progress(`  ${name}: ${labels.map((l) => (l === "all" ? "all annotations" : l === "generic" ? l : `without @${l.slice(1)}`)).join(", ")} (${options.iterations} rounds)`);
    const results = await timeReportedRounds(labels.map((label) => {
      const args = label === "generic" ? ["--jit=off"] : label === "all" ? ["--jit=eager"] : ["--jit=eager", `--disable-annotation=${label.slice(1)}`];
      return { label, command: { program: process.execPath, args: [sa, "run", "--time", ...args, file] }, parse: saTimes };
    }), options.iterations, (line) => options.progress(`  ${name}:${line}`));
    const genericTimes = results.get("generic");
    const generic = genericTimes === undefined || typeof genericTimes === "string" ? null : (genericTimes["run"] ?? null);
    const cells: Record<string, AblationCell> = {};
    for (const config of configurations) {
      const t = results.get(config);
      if (t === undefined || typeof t === "string") {
        cells[config] = { run: null, jit: null, speedup: null, codeBytes: null, failure: t ?? "not run" };
        continue;
      }
      const run = t["specializedRun"] ?? null;
      // timeReported scales every number as milliseconds to seconds; bytes are counts.
      const bytes = t["bytes"]?.median;
      cells[config] = { run, jit: t["jit"] ?? null, speedup: ratio(generic, run), codeBytes: bytes === undefined ? null : Math.round(bytes * 1000), failure: null };
    }
    programs.push({ name, generic, cells });
  }
  const geomean: Record<string, number | null> = {};
  for (const config of configurations) geomean[config] = geometricMeanOfPresent(programs.map((p) => p.cells[config]?.speedup ?? null));
  return { configurations, unused, programs, geomean };
}

/** The ablation as a Markdown table of speedups over the generic interpreter. */
export function formatBagelAblation(result: AblationResult): string {
  const title = (c: string): string => (c === "all" ? "all annotations" : `without @${c.slice(1)}`);
  const header = ["program", ...result.configurations.map(title)];
  const times = (r: number | null | undefined): string => (r === null || r === undefined ? "-" : `${r.toFixed(2)}x`);
  const rows = result.programs.map((p) => [p.name, ...result.configurations.map((c) => times(p.cells[c]?.speedup))]);
  rows.push(["geomean", ...result.configurations.map((c) => times(result.geomean[c]))]);
  const line = (cells: readonly string[]): string => `| ${cells.join(" | ")} |`;
  const lines = [line(header), line(header.map(() => "---")), ...rows.map(line)];
  const sizes = result.programs.map((p) => [p.name, ...result.configurations.map((c) => {
    const bytes = p.cells[c]?.codeBytes;
    return bytes === null || bytes === undefined ? "-" : String(bytes);
  })]);
  lines.push("", "Bytes of specialized code:", "", line(header), line(header.map(() => "---")), ...sizes.map(line));
  if (result.unused.length > 0) {
    lines.push("", `Not used by interpreters/bagel/interpreter.lox, so not measured: ${result.unused.map((n) => `@${n}`).join(", ")}`);
  }
  return lines.join("\n");
}
