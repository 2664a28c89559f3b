/**
 * Entry of the bundled CLI (dist/main.mjs). Programs execute on a worker
 * (dist/worker-start.cjs, see `worker.ts`), which is started first so that it
 * loads while this thread loads and runs the command-line parser.
 */
import { ProgramWorker, requestedStackMb } from "./worker.ts";

const argv = process.argv.slice(2);
const spare = new ProgramWorker(requestedStackMb(argv));
const { cliMain } = await import("./cli.ts");
await cliMain(argv, spare);
