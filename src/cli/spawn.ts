/**
 * Starts the program worker as the very first thing a run does (bundled
 * alone as dist/spawn.mjs, which bin/sa imports before it checks the bundle
 * and loads the command line): the worker's own start (Node's bootstrap of
 * a thread, then the compiler bundle) is the longest step on the way to
 * running a program, and the command line's modules and parser load on the
 * main thread meanwhile. Measured on `sa run` of a one-line program: the
 * worker started 40-50 ms after bin/sa's first line when main.mjs started
 * it, 10-14 ms after it from here, and received its task ~30 ms sooner.
 *
 * The worker is left on `globalThis` under `SPARE_WORKER`, where main.ts
 * takes it (main.mjs is a separate bundle, so the two cannot share a
 * module variable); main.ts starts one itself when there is none (when
 * dist/main.mjs is run directly, or after `stopSpareWorker`).
 */
import { ProgramWorker, requestedStackMb, SPARE_WORKER } from "./worker.ts";

const slot = globalThis as { [SPARE_WORKER]?: ProgramWorker };
slot[SPARE_WORKER] = new ProgramWorker(requestedStackMb(process.argv.slice(2)));

/** Stops the worker started here (bin/sa, when it is about to rebuild the bundles the worker loaded). */
export function stopSpareWorker(): void {
  slot[SPARE_WORKER]?.dispose();
  delete slot[SPARE_WORKER];
}
