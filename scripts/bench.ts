/**
 * `npm run bench -- SUITE [DIR] [options]`: runs a benchmark suite, prints
 * a Markdown table and writes the full results as JSON. Suites: `lox`
 * (experiments/bench/lox-suite.ts).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { formatLoxSuite, runLoxSuite, SuiteInputError } from "../experiments/bench/lox-suite.ts";
import { CommandFailed } from "../experiments/bench/measure.ts";
import { formatBagelAblation, runBagelAblation } from "../experiments/bench/bagel-ablation.ts";
import { formatBagelSuite, runBagelSuite } from "../experiments/bench/bagel-suite.ts";
import { unknownAnnotationProblem } from "../annotations/index.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

const USAGE = `usage: npm run bench -- lox [DIR] [options]
       npm run bench -- bagel [options]
       npm run bench -- bagel --ablation [options]

lox: times every .lox program of DIR (default experiments/lox) as whole processes
with tinybench: the wasm engine (-O2, compile included), the tree engine, the
plain-JavaScript twin NAME.js when DIR has one, and optionally another Lox
implementation. Prints medians ± median absolute deviation (seconds) and the
ratios between medians of the same run; writes JSON.

bagel: times the Bagel benchmarks (interpreters/bagel/programs with a Lox
twin) inside each process: the generic interpreter, the interpreter
specialized by the partial evaluator (its run time, and the JIT's time and
code size apart), the program written in Lox, and the same bytecode on the
interpreter written in JavaScript; then the JIT's time, step by step, on
sixteen generated functions of 1,000 bytecode instructions in one process:
the first, the median of the last eight, and the total of each (the JIT's
warm-up). Writes experiments/results/bagel.json.
With --ablation: the speedup over the generic interpreter with all the
interpreter's annotations and with each one disabled (--disable-annotation);
writes experiments/results/bagel-ablation.json.

options:
  --iterations N        runs per program and engine (default 5)
  --tree-iterations N   runs on the tree engine (default 3; 0 skips it)
  --reference CMD       also time CMD FILE.lox (e.g. a clox binary)
  --ablation            bagel: the annotation ablation instead of the main table
  --disable-annotation NAME
                        run the programs as if they did not have this annotation
                        (as sa run --disable-annotation; repeatable; not with --ablation)
  --json PATH           where to write the results (default experiments/results/lox-DIRNAME.json)
  -h, --help            this text`;

function fail(message: string): never {
  process.stderr.write(`bench: ${message}\n${USAGE}\n`);
  process.exit(64);
}

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        iterations: { type: "string", default: "5" },
        "tree-iterations": { type: "string", default: "3" },
        reference: { type: "string" },
        json: { type: "string" },
        ablation: { type: "boolean", default: false },
        "disable-annotation": { type: "string", multiple: true, default: [] },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (e) {
    fail(e instanceof Error ? e.message : String(e));
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const [suite, dirArg, ...extra] = positionals;
  if (suite !== "lox" && suite !== "bagel") fail(suite === undefined ? "name a suite" : `unknown suite '${suite}'`);
  if (extra.length > 0) fail(`unexpected arguments: ${extra.join(" ")}`);
  if (values.ablation && suite !== "bagel") fail("--ablation is an option of the bagel suite");
  const disabledAnnotations = values["disable-annotation"];
  const problem = unknownAnnotationProblem(disabledAnnotations);
  if (problem !== null) fail(`--disable-annotation: ${problem}`);
  if (values.ablation && disabledAnnotations.length > 0) fail("--ablation disables each annotation in turn; it takes no --disable-annotation");
  const count = (text: string, name: string, min: number): number => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < min) fail(`--${name} must be an integer >= ${min}`);
    return n;
  };
  const machine = { cpus: cpus()[0]?.model ?? "?", parallelism: availableParallelism(), node: process.version };
  /** Prints a suite's table and writes its results as JSON, with the date and the machine. */
  const publish = (name: string, table: string, result: object, defaultJson: string): void => {
    const jsonPath = resolve(values.json ?? join(root, "experiments", "results", defaultJson));
    process.stdout.write(`${table}\n`);
    mkdirSync(dirname(jsonPath), { recursive: true });
    writeFileSync(jsonPath, `${JSON.stringify({ suite: name, date: new Date().toISOString(), machine, ...result }, null, 2)}\n`);
    process.stderr.write(`wrote ${jsonPath}\n`);
  };
  const progress = (line: string): void => {
    process.stderr.write(`${line}\n`);
  };
  if (suite === "bagel") {
    if (dirArg !== undefined) fail("the bagel suite takes no directory");
    const iterations = count(values.iterations, "iterations", 1);
    if (values.ablation) {
      process.stderr.write("bench bagel --ablation: interpreters/bagel/programs\n");
      const ablation = await runBagelAblation({ root, iterations, progress });
      publish("bagel-ablation", formatBagelAblation(ablation), ablation, "bagel-ablation.json");
      return;
    }
    const without = disabledAnnotations.map((n) => ` without @${n}`).join(",");
    process.stderr.write(`bench bagel: interpreters/bagel/programs${without}\n`);
    const result = await runBagelSuite({ root, iterations, progress, disabledAnnotations });
    publish("bagel", formatBagelSuite(result), { disabledAnnotations, ...result }, "bagel.json");
    return;
  }
  const dir = resolve(dirArg ?? join(root, "experiments", "lox"));
  const dirName = dir.split(/[\\/]/).filter((p) => p !== "").pop() ?? "lox";
  process.stderr.write(`bench lox: ${dir}\n`);
  const result = await runLoxSuite({
    dir,
    root,
    iterations: count(values.iterations, "iterations", 1),
    treeIterations: count(values["tree-iterations"], "tree-iterations", 0),
    reference: values.reference ?? null,
    disabledAnnotations,
    progress,
  });
  publish("lox", formatLoxSuite(result), { disabledAnnotations, ...result }, `lox-${dirName}.json`);
  if (result.programs.some((p) => "wasm" in p.failures)) process.exitCode = 1;
}

main().catch((e: unknown) => {
  if (e instanceof SuiteInputError) {
    process.stderr.write(`bench: ${e.message}\n`);
    process.exit(66);
  }
  if (e instanceof CommandFailed) {
    process.stderr.write(`bench: ${e.message}\n`);
    process.exit(1);
  }
  throw e;
});
