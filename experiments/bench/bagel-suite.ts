/**
 * `npm run bench -- bagel`: the Bagel benchmark programs (those with a Lox
 * twin in interpreters/bagel/twins/lox) on the Wasm engine, timed inside
 * each process (`sa run --time`, so Node's start and compiling the
 * interpreter are left out and reported apart): the generic interpreter
 * (`--jit=off`); the interpreter specialized on each Bagel function at its
 * first call (`--jit=eager`), its run time without the JIT's own time, and
 * the JIT's time (specialization plus Wasm compilation and linking) and
 * code size; the same program written directly in Lox; and the same
 * bytecode on the interpreter hand-written in JavaScript
 * (twins/interpreter.ts). The four run once each per round
 * (`timeReportedRounds`), so the machine's drifts fall on all of them.
 * Ratios are between medians of the same run.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { generateBagelFunction, workInstructions } from "../compile-time/bagel-function.ts";
import { CommandFailed, geometricMeanOfPresent, ratio, type Timing, timeReported, timeReportedRounds } from "./measure.ts";

export interface BagelSuiteOptions {
  readonly root: string;
  readonly iterations: number;
  /** Annotations the interpreter runs without (`sa run --disable-annotation`), for the generic and specialized runs. */
  readonly disabledAnnotations?: readonly string[];
  readonly progress: (line: string) => void;
}

export interface BagelProgramResult {
  readonly name: string;
  readonly generic: Timing | null;
  /** Run time of the specialized code, the JIT's time taken out. */
  readonly specialized: Timing | null;
  /** Specialization and compilation of the specialized code. */
  readonly jit: Timing | null;
  /** Bytes of Wasm the JIT produced, and how many functions. */
  readonly codeBytes: number | null;
  readonly functions: number | null;
  readonly loxTwin: Timing | null;
  readonly jsTwin: Timing | null;
  /** generic / specialized, specialized / Lox twin, JS twin / specialized (medians). */
  readonly speedup: number | null;
  readonly overLox: number | null;
  readonly jsOverSpecialized: number | null;
  readonly failures: Readonly<Record<string, string>>;
}

/**
 * The JIT's time on a generated function of about 1,000 bytecode
 * instructions (experiments/compile-time/bagel-function.ts), specialized
 * at its first call: specialization plus Wasm compilation and linking of
 * the whole batch (the function, its caller and the helper it calls).
 */
export interface LargeFunctionResult {
  readonly instructions: number;
  readonly jit: Timing | null;
  readonly codeBytes: number | null;
  readonly failure: string | null;
}

/** Bytecode instructions of the JIT-time workload. */
export const LARGE_FUNCTION_INSTRUCTIONS = 1000;

export interface BagelSuiteResult {
  readonly programs: readonly BagelProgramResult[];
  readonly largeFunction: LargeFunctionResult;
  readonly geomean: { readonly speedup: number | null; readonly overLox: number | null; readonly jsOverSpecialized: number | null };
}

const SA_TIME = /sa: time: compile ([\d.]+) ms, run ([\d.]+) ms \(jit ([\d.]+) ms, (\d+) functions, (\d+) bytes\)/;
const TWIN_TIME = /twin: time: run ([\d.]+) ms/;

/** The numbers of `sa run --time`'s line (milliseconds; `specializedRun` is run minus JIT). */
export function saTimes(stderr: string): Record<string, number> {
  const m = SA_TIME.exec(stderr);
  if (m === null) throw new CommandFailed(`no 'sa: time:' line in: ${stderr.slice(0, 200)}`);
  const [run, jit] = [Number(m[2]), Number(m[3])];
  return { compile: Number(m[1]), run, jit, specializedRun: run - jit, functions: Number(m[4]), bytes: Number(m[5]) };
}

function twinTimes(stderr: string): Record<string, number> {
  const m = TWIN_TIME.exec(stderr);
  if (m === null) throw new CommandFailed(`no 'twin: time:' line in: ${stderr.slice(0, 200)}`);
  return { run: Number(m[1]) };
}

export async function runBagelSuite(options: BagelSuiteOptions): Promise<BagelSuiteResult> {
  const bagel = join(options.root, "interpreters", "bagel");
  const twins = join(bagel, "twins", "lox");
  const names = readdirSync(twins).filter((f) => f.endsWith(".lox")).map((f) => basename(f, ".lox")).sort();
  const sa = join(options.root, "bin", "sa");
  const tsx = join(options.root, "node_modules", "tsx", "dist", "cli.mjs");
  const programs: BagelProgramResult[] = [];
  for (const name of names) {
    const file = join(bagel, "programs", `${name}.bagel`);
    if (!existsSync(file)) continue;
    const failures: Record<string, string> = {};
    const without = (options.disabledAnnotations ?? []).map((n) => `--disable-annotation=${n}`);
    // The four configurations once per round, so drifts of the machine fall on all alike.
    options.progress(`  ${name}: generic, specialized, lox twin, js twin (${options.iterations} rounds)`);
    const results = await timeReportedRounds([
      { label: "generic", command: { program: process.execPath, args: [sa, "run", "--time", "--jit=off", ...without, file] }, parse: saTimes },
      { label: "specialized", command: { program: process.execPath, args: [sa, "run", "--time", "--jit=eager", ...without, file] }, parse: saTimes },
      { label: "lox twin", command: { program: process.execPath, args: [sa, "run", "--time", join(twins, `${name}.lox`)] }, parse: saTimes },
      { label: "js twin", command: { program: process.execPath, args: [tsx, join(bagel, "twins", "run.ts"), "--time", file] }, parse: twinTimes },
    ], options.iterations, (line) => options.progress(`  ${name}:${line}`));
    const get = (label: string): Record<string, Timing> | null => {
      const r = results.get(label);
      if (typeof r === "string") failures[label] = r;
      return r === undefined || typeof r === "string" ? null : r;
    };
    const generic = get("generic");
    const fast = get("specialized");
    const lox = get("lox twin");
    const js = get("js twin");
    const specialized = fast?.["specializedRun"] ?? null;
    programs.push({
      name,
      generic: generic?.["run"] ?? null,
      specialized,
      jit: fast?.["jit"] ?? null,
      codeBytes: fast?.["bytes"]?.median === undefined ? null : fast["bytes"].median * 1000,
      functions: fast?.["functions"]?.median === undefined ? null : fast["functions"].median * 1000,
      loxTwin: lox?.["run"] ?? null,
      jsTwin: js?.["run"] ?? null,
      speedup: ratio(generic?.["run"] ?? null, specialized),
      overLox: ratio(specialized, lox?.["run"] ?? null),
      jsOverSpecialized: ratio(js?.["run"] ?? null, specialized),
      failures,
    });
  }
  return {
    programs,
    largeFunction: await measureLargeFunction(sa, options),
    geomean: {
      speedup: geometricMeanOfPresent(programs.map((p) => p.speedup)),
      overLox: geometricMeanOfPresent(programs.map((p) => p.overLox)),
      jsOverSpecialized: geometricMeanOfPresent(programs.map((p) => p.jsOverSpecialized)),
    },
  };
}

async function measureLargeFunction(sa: string, options: BagelSuiteOptions): Promise<LargeFunctionResult> {
  const source = generateBagelFunction(LARGE_FUNCTION_INSTRUCTIONS);
  const instructions = workInstructions(source);
  const dir = mkdtempSync(join(tmpdir(), "sa-bench-"));
  const file = join(dir, "large-function.bagel");
  options.progress(`  large function (${instructions} instructions): jit (${options.iterations} runs)`);
  try {
    writeFileSync(file, source);
    const t = await timeReported({ program: process.execPath, args: [sa, "run", "--time", "--jit=eager", file] }, options.iterations, saTimes);
    const bytes = t["bytes"]?.median;
    return { instructions, jit: t["jit"] ?? null, codeBytes: bytes === undefined ? null : bytes * 1000, failure: null };
  } catch (e) {
    if (!(e instanceof CommandFailed)) throw e;
    options.progress(`  large function: failed: ${e.message}`);
    return { instructions, jit: null, codeBytes: null, failure: e.message };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function ms(t: Timing | null): string {
  return t === null ? "-" : `${(t.median * 1000).toFixed(1)} ±${(t.mad * 1000).toFixed(1)}`;
}

function times(r: number | null): string {
  return r === null ? "-" : `${r.toFixed(2)}x`;
}

/** The result as a Markdown table (milliseconds: median ± median absolute deviation). */
export function formatBagelSuite(result: BagelSuiteResult): string {
  const header = [
    "program", "generic ms", "specialized ms", "speedup", "lox twin ms", "spec/lox", "js twin ms", "js/spec", "jit ms", "code bytes",
  ];
  const rows = result.programs.map((p) => [
    p.name, ms(p.generic), ms(p.specialized), times(p.speedup), ms(p.loxTwin), times(p.overLox), ms(p.jsTwin),
    times(p.jsOverSpecialized), ms(p.jit), p.codeBytes === null ? "-" : String(Math.round(p.codeBytes)),
  ]);
  rows.push(["geomean", "", "", times(result.geomean.speedup), "", times(result.geomean.overLox), "", times(result.geomean.jsOverSpecialized), "", ""]);
  const line = (cells: readonly string[]): string => `| ${cells.join(" | ")} |`;
  const large = result.largeFunction;
  const size = large.codeBytes === null ? "" : `, ${Math.round(large.codeBytes)} bytes of code`;
  const jit = large.failure !== null ? `failed (${large.failure.split("\n")[0]})` : `${ms(large.jit)} ms${size}`;
  return [
    line(header), line(header.map(() => "---")), ...rows.map(line), "",
    `JIT time for a generated function of ${large.instructions} bytecode instructions (with its caller and one helper): ${jit}`,
  ].join("\n");
}
