/**
 * Long differential fuzzing of the partial evaluator on Bagel (the test
 * suite runs a few hundred programs; this runs as many as asked):
 *
 *   npx tsx scripts/fuzz-bagel.ts [--runs=N] [--seed=S] [--engine=ir|wasm]
 *
 * Each random program (test/bagel/generator.ts, about a third ending in a
 * run-time error) runs on the interpreter with `--jit=off` and with
 * `--jit=eager`, and on the JavaScript twin; all three must agree on
 * output, exit code, error message and line. A failure is shrunk by
 * fast-check to a small program, printed with the seed, and exits 1.
 * Progress goes to stderr every 100 programs.
 */
import fc from "fast-check";
import { bagelProgram } from "../test/bagel/generator.ts";
import { runOnLox, runOnTwin } from "../test/bagel/run-bagel.ts";

function option(name: string): string | undefined {
  const prefix = `--${name}=`;
  return process.argv.slice(2).find((a) => a.startsWith(prefix))?.slice(prefix.length);
}

const runs = Number(option("runs") ?? "1000");
const seed = Number(option("seed") ?? String(Date.now() % 2 ** 31));
const engine = option("engine") ?? "ir";
if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(seed) || (engine !== "ir" && engine !== "wasm")) {
  process.stderr.write("usage: npx tsx scripts/fuzz-bagel.ts [--runs=N] [--seed=S] [--engine=ir|wasm]\n");
  process.exit(64);
}

let done = 0;
const started = performance.now();
process.stderr.write(`fuzz-bagel: ${runs} programs on the ${engine} engine, seed ${seed}\n`);
try {
  await fc.assert(
    fc.asyncProperty(bagelProgram(), async (program) => {
      const twin = runOnTwin(program);
      const generic = await runOnLox(program, engine, "off");
      const internalErrors: string[] = [];
      const specialized = await runOnLox(program, engine, "eager", (e) => {
        if (e.kind === "abandoned" && e.reason.startsWith("internal error")) internalErrors.push(e.reason);
      });
      // The JIT verifies what it makes (run-bagel.ts); an internal error falls back to the generic code, but is a bug.
      if (internalErrors.length > 0) throw new Error(`the JIT failed: ${internalErrors[0]}`);
      if (JSON.stringify(generic) !== JSON.stringify(twin)) throw new Error(`generic and twin differ:\n${JSON.stringify({ generic, twin }, null, 2)}`);
      if (JSON.stringify(specialized) !== JSON.stringify(generic)) {
        throw new Error(`specialized and generic differ:\n${JSON.stringify({ specialized, generic }, null, 2)}`);
      }
      if (++done % 100 === 0) process.stderr.write(`  ${done} programs, ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
    }),
    { numRuns: runs, seed },
  );
} catch (e) {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}
process.stdout.write(`${runs} programs agree (seed ${seed})\n`);
