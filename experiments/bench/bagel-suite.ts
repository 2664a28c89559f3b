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
import { generateBagelFunctions, workInstructions } from "../compile-time/bagel-function.ts";
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

/** The steps of one JIT batch, as `--jit-log`'s "linked" line gives them (milliseconds). */
export const JIT_STEPS = ["total", "specialize", "optimize", "lower", "encode", "compile"] as const;
export type JitStep = (typeof JIT_STEPS)[number];

/**
 * The JIT's time on generated functions of about 1,000 bytecode
 * instructions each (experiments/compile-time/bagel-function.ts),
 * specialized alone (at its second call), step by step: specialization,
 * the specialized pipeline, lowering, encoding, V8's compilation. `first`
 * is the first of them in a fresh process (the JIT's own JavaScript is
 * still cold: V8 has not optimized it yet); `warm` the median of the last
 * half of them (`warmFunctions`), in the same process; `byPosition` the
 * total of the k-th function, for each k (the JIT's warm-up curve). The
 * first batch also holds a version of the helper the function calls.
 */
export interface LargeFunctionResult {
  readonly instructions: number;
  readonly functions: number;
  readonly first: Readonly<Record<JitStep, Timing>> | null;
  readonly warm: Readonly<Record<JitStep, Timing>> | null;
  readonly byPosition: readonly Timing[];
  readonly codeBytes: number | null;
  readonly failure: string | null;
}

/** Bytecode instructions of each function of the JIT-time workload. */
export const LARGE_FUNCTION_INSTRUCTIONS = 1000;
/**
 * Functions of the JIT-time workload: the first is compiled by the cold
 * JIT; V8 keeps optimizing the JIT's code over the next ones (measured:
 * the JIT's time fell over the first eight, from about 400 ms to 80, and
 * then held within ±10%), so there are sixteen and the warm figure is the
 * median of the last half.
 */
export const LARGE_FUNCTIONS = 16;

/** How many of the workload's last functions the warm figure takes. */
export function warmFunctions(functions: number): number {
  return Math.max(1, Math.floor(functions / 2));
}

const JIT_LINKED =
  /sa: jit: linked \d+ functions, (\d+) bytes, in ([\d.]+) ms \(specialize ([\d.]+), optimize ([\d.]+), lower ([\d.]+), encode ([\d.]+), V8 compile ([\d.]+)\)/g;

/** A batch of at least this many bytes of Wasm holds one of the large functions (the helper's alone is about 1 KB). */
const LARGE_BATCH_BYTES = 10_000;

/**
 * The steps of each large function's batch from `sa run --jit-log
 * --jit=auto --jit-threshold=1` on the workload (each function called
 * twice, so each is specialized alone, at its second call), in the order
 * the script calls them. Other batches (the helper's) are left out.
 */
export function largeFunctionTimes(stderr: string, functions: number): Record<string, number> {
  const batches = [...stderr.matchAll(JIT_LINKED)].map((m) => ({
    bytes: Number(m[1]),
    steps: Object.fromEntries(JIT_STEPS.map((step, i) => [step, Number(m[i + 2])])) as Record<JitStep, number>,
  })).filter((b) => b.bytes >= LARGE_BATCH_BYTES);
  if (batches.length !== functions) {
    throw new CommandFailed(`expected ${functions} JIT batches of large functions, found ${batches.length}`);
  }
  const first = batches[0] as (typeof batches)[number];
  const later = batches.slice(Math.max(1, functions - warmFunctions(functions)));
  const middle = (xs: number[]): number => {
    const sorted = [...xs].sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  };
  const out: Record<string, number> = { bytes: first.bytes };
  batches.forEach((b, i) => {
    out[`at${i + 1}.total`] = b.steps.total;
  });
  for (const step of JIT_STEPS) {
    out[`first.${step}`] = first.steps[step];
    if (later.length > 0) out[`warm.${step}`] = middle(later.map((b) => b.steps[step]));
  }
  return out;
}

export interface BagelSuiteResult {
  readonly programs: readonly BagelProgramResult[];
  readonly largeFunction: LargeFunctionResult;
  readonly geomean: { readonly speedup: number | null; readonly overLox: number | null; readonly jsOverSpecialized: number | null };
}

const SA_TIME = /sa: time: compile ([\d.]+) ms(?: \([^)]*\))?, run ([\d.]+) ms \(jit ([\d.]+) ms, (\d+) functions, (\d+) bytes\)/;
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
  const source = generateBagelFunctions(LARGE_FUNCTION_INSTRUCTIONS, LARGE_FUNCTIONS, 2);
  const instructions = workInstructions(source);
  const dir = mkdtempSync(join(tmpdir(), "sa-bench-"));
  const file = join(dir, "large-functions.bagel");
  options.progress(`  ${LARGE_FUNCTIONS} large functions (${instructions} instructions in the first): jit (${options.iterations} runs)`);
  const failed = (failure: string): LargeFunctionResult => ({
    instructions, functions: LARGE_FUNCTIONS, first: null, warm: null, byPosition: [], codeBytes: null, failure,
  });
  try {
    writeFileSync(file, source);
    const command = { program: process.execPath, args: [sa, "run", "--jit-log", "--jit=auto", "--jit-threshold=1", file] };
    const t = await timeReported(command, options.iterations, (stderr) => largeFunctionTimes(stderr, LARGE_FUNCTIONS));
    const steps = (prefix: string): Record<JitStep, Timing> | null => {
      const found = JIT_STEPS.map((step) => t[`${prefix}.${step}`]);
      return found.every((x) => x !== undefined) ? Object.fromEntries(JIT_STEPS.map((step, i) => [step, found[i]])) as Record<JitStep, Timing> : null;
    };
    const bytes = t["bytes"]?.median;
    const byPosition = Array.from({ length: LARGE_FUNCTIONS }, (_, i) => t[`at${i + 1}.total`]).filter((x): x is Timing => x !== undefined);
    return {
      instructions, functions: LARGE_FUNCTIONS, first: steps("first"), warm: steps("warm"), byPosition,
      codeBytes: bytes === undefined ? null : bytes * 1000, failure: null,
    };
  } catch (e) {
    if (!(e instanceof CommandFailed)) throw e;
    options.progress(`  large functions: failed: ${e.message}`);
    return failed(e.message);
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
  return [line(header), line(header.map(() => "---")), ...rows.map(line), "", formatLargeFunction(result.largeFunction)].join("\n");
}

/** The JIT-time table: one row for the cold JIT's function, one for the warm JIT's. */
function formatLargeFunction(large: LargeFunctionResult): string {
  const title = `JIT time for generated functions of about ${large.instructions} bytecode instructions (each batch with what it calls), ms:`;
  if (large.failure !== null) return `${title} failed (${large.failure.split("\n")[0]})`;
  const header = ["function", ...JIT_STEPS.map((step) => (step === "compile" ? "V8 compile" : step))];
  const row = (label: string, steps: Readonly<Record<JitStep, Timing>> | null): string[] =>
    [label, ...JIT_STEPS.map((step) => ms(steps?.[step] ?? null))];
  const line = (cells: readonly string[]): string => `| ${cells.join(" | ")} |`;
  const size = large.codeBytes === null ? "" : ` The first batch is ${Math.round(large.codeBytes)} bytes of Wasm.`;
  const curve = large.byPosition.map((t, i) => `${i + 1}: ${(t.median * 1000).toFixed(0)}`).join(", ");
  return [
    title, "",
    line(header), line(header.map(() => "---")),
    line(row("first in the process", large.first)),
    line(row(`warm: median of the last ${warmFunctions(large.functions)} of ${large.functions}`, large.warm)),
    "", `The first runs while V8 has not yet optimized the JIT's own code; the later ones with it warm.${size}`,
    ...(curve === "" ? [] : ["", `Total ms of the k-th function of the process (the JIT's warm-up), median over runs: ${curve}.`]),
  ].join("\n");
}
