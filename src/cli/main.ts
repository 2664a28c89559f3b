/**
 * Entry of the bundled CLI (dist/main.mjs). Programs execute on a worker
 * (dist/worker-start.cjs, see `worker.ts`), which bin/sa has already
 * started (spawn.ts) so that it loads while this thread loads and runs the
 * command-line parser; run directly, this module starts one first itself.
 */
import { ProgramWorker, requestedStackMb, SPARE_WORKER } from "./worker.ts";

const argv = process.argv.slice(2);
const spare = (globalThis as { [SPARE_WORKER]?: ProgramWorker })[SPARE_WORKER] ?? new ProgramWorker(requestedStackMb(argv));
const { cliMain } = await import("./cli.ts");
await cliMain(argv, spare);
