/**
 * Entry of the bundled CLI (dist/main.mjs): parses the command line on the
 * main thread. Programs execute on a worker (dist/worker.mjs, see
 * `worker.ts`), which does not load the command-line parser.
 */
import { cliMain } from "./cli.ts";

await cliMain(process.argv.slice(2));
