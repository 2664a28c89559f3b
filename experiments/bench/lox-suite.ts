/**
 * `npm run bench -- lox [DIR]`: every .lox program of DIR (default: the
 * project's own programs in experiments/lox) timed as whole processes on
 * the wasm engine (-O2) and the tree engine, plus the plain-JavaScript twin
 * (NAME.js next to NAME.lox) where there is one, and, with `--reference`,
 * another Lox implementation (e.g. the reference C one) given as a
 * command. Ratios are between medians of the same run; the JSON keeps every
 * statistic. A failing run (e.g. a program the reference cannot compile) is
 * reported as failed and the suite goes on.
 */
import { readdirSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { type Command, CommandFailed, geometricMeanOfPresent, ratio, type Timing, timeCommand } from "./measure.ts";

export interface LoxSuiteOptions {
  readonly dir: string;
  readonly root: string;
  readonly iterations: number;
  /** Samples for the tree engine (slow); 0 skips it. */
  readonly treeIterations: number;
  /** Annotations the programs run without (`sa run --disable-annotation`). */
  readonly disabledAnnotations?: readonly string[];
  /** A command that runs a .lox file given as its last argument, or null. */
  readonly reference: string | null;
  readonly progress: (line: string) => void;
}

export interface ProgramResult {
  readonly name: string;
  readonly file: string;
  readonly wasm: Timing | null;
  readonly tree: Timing | null;
  readonly js: Timing | null;
  readonly reference: Timing | null;
  /** tree / wasm, wasm / js, reference / wasm (medians). */
  readonly treeOverWasm: number | null;
  readonly wasmOverJs: number | null;
  readonly referenceOverWasm: number | null;
  /** Runs that failed (engine -> first lines of the error); their timing is null. */
  readonly failures: Readonly<Record<string, string>>;
}

export interface LoxSuiteResult {
  readonly dir: string;
  readonly programs: readonly ProgramResult[];
  readonly geomean: { readonly treeOverWasm: number | null; readonly wasmOverJs: number | null; readonly referenceOverWasm: number | null };
}

/** The suite cannot start: its directory is missing or holds no programs. */
export class SuiteInputError extends Error {}

export async function runLoxSuite(options: LoxSuiteOptions): Promise<LoxSuiteResult> {
  const dir = resolve(options.dir);
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch (e) {
    throw new SuiteInputError(`cannot read ${dir}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const files = entries.filter((f) => f.endsWith(".lox")).sort();
  if (files.length === 0) throw new SuiteInputError(`no .lox programs in ${dir}`);
  const sa = join(options.root, "bin", "sa");
  const twins = new Set(entries.filter((f) => f.endsWith(".js")));
  const programs: ProgramResult[] = [];
  for (const f of files) {
    const file = join(dir, f);
    const name = basename(f, ".lox");
    const failures: Record<string, string> = {};
    const time = async (label: string, command: Command, iterations: number): Promise<Timing | null> => {
      options.progress(`  ${name}: ${label} (${iterations} runs)`);
      try {
        return await timeCommand(command, iterations);
      } catch (e) {
        if (!(e instanceof CommandFailed)) throw e;
        options.progress(`  ${name}: ${label} failed: ${e.message}`);
        failures[label] = e.message;
        return null;
      }
    };
    const without = (options.disabledAnnotations ?? []).map((n) => `--disable-annotation=${n}`);
    const wasm = await time("wasm", { program: process.execPath, args: [sa, "run", ...without, file] }, options.iterations);
    const tree = options.treeIterations > 0
      ? await time("tree", { program: process.execPath, args: [sa, "run", "--engine=tree", ...without, file] }, options.treeIterations)
      : null;
    const js = twins.has(`${name}.js`) ? await time("js", { program: process.execPath, args: [join(dir, `${name}.js`)] }, options.iterations) : null;
    let reference: Timing | null = null;
    if (options.reference !== null) {
      const [program, ...args] = options.reference.split(" ").filter((p) => p !== "");
      reference = await time("reference", { program: program as string, args: [...args, file] }, options.iterations);
    }
    programs.push({
      name, file, wasm, tree, js, reference,
      treeOverWasm: ratio(tree, wasm), wasmOverJs: ratio(wasm, js), referenceOverWasm: ratio(reference, wasm), failures,
    });
  }
  return {
    dir,
    programs,
    geomean: {
      treeOverWasm: geometricMeanOfPresent(programs.map((p) => p.treeOverWasm)),
      wasmOverJs: geometricMeanOfPresent(programs.map((p) => p.wasmOverJs)),
      referenceOverWasm: geometricMeanOfPresent(programs.map((p) => p.referenceOverWasm)),
    },
  };
}

function seconds(t: Timing | null, failed: boolean): string {
  return t !== null ? `${t.median.toFixed(3)} ±${t.mad.toFixed(3)}` : failed ? "failed" : "-";
}

function times(r: number | null): string {
  return r === null ? "-" : `${r.toFixed(2)}x`;
}

/** The result as a Markdown table: medians ± median absolute deviation, in seconds. */
export function formatLoxSuite(result: LoxSuiteResult): string {
  const hasJs = result.programs.some((p) => p.js !== null);
  const hasRef = result.programs.some((p) => p.reference !== null || "reference" in p.failures);
  const hasTree = result.programs.some((p) => p.tree !== null || "tree" in p.failures);
  const header = ["program", "wasm s"];
  if (hasTree) header.push("tree s", "tree/wasm");
  if (hasJs) header.push("js s", "wasm/js");
  if (hasRef) header.push("reference s", "reference/wasm");
  const rows = result.programs.map((p) => {
    const row = [p.name, seconds(p.wasm, "wasm" in p.failures)];
    if (hasTree) row.push(seconds(p.tree, "tree" in p.failures), times(p.treeOverWasm));
    if (hasJs) row.push(seconds(p.js, "js" in p.failures), times(p.wasmOverJs));
    if (hasRef) row.push(seconds(p.reference, "reference" in p.failures), times(p.referenceOverWasm));
    return row;
  });
  const geoRow = ["geomean", ""];
  if (hasTree) geoRow.push("", times(result.geomean.treeOverWasm));
  if (hasJs) geoRow.push("", times(result.geomean.wasmOverJs));
  if (hasRef) geoRow.push("", times(result.geomean.referenceOverWasm));
  rows.push(geoRow);
  const line = (cells: readonly string[]): string => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}
