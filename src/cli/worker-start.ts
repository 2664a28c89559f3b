/**
 * Entry of a program worker (dist/worker-start.cjs, see worker.ts): loads
 * the worker bundle (dist/worker.cjs) with V8's code cache of it
 * (dist/worker.cache, which the build writes after a warm-up, see
 * warm-up.ts). With the cache V8 neither parses the bundle nor compiles
 * the functions the warm-up ran: loading took ~10 ms instead of ~25-35 ms,
 * on the path of every run. A missing or rejected cache (another V8, other
 * flags) only means the bundle is compiled as usual.
 *
 * Assumes: it runs as CommonJS next to worker.cjs and worker.cache.
 */
import { readFileSync } from "node:fs";
import { wrap } from "node:module";
import { join } from "node:path";
import { Script } from "node:vm";
import { MODULE_IMPORTER } from "../backend/binaryen-loader.ts";
import { enableCompilationHints } from "../jit/tier-flags.ts";

/** Loads the bundle at `path` with `cachedData`; returns the script (for `createCachedData`) and the bundle's exports. */
export function loadBundle(path: string, cachedData: Buffer | undefined): { script: Script; exports: Record<string, unknown> } {
  // V8 accepts a code cache only under the flags it was made with: the flag a run sets is set first.
  enableCompilationHints();
  // Code compiled by node:vm cannot import() (binaryen is loaded so, when asked for): this module imports for it.
  (globalThis as Record<symbol, unknown>)[MODULE_IMPORTER] = (specifier: string) => import(specifier);
  const script = new Script(wrap(readFileSync(path, "utf8")), { filename: path, ...(cachedData === undefined ? {} : { cachedData }) });
  const init = script.runInThisContext() as (exports: object, req: NodeRequire, module: object, filename: string, dirname: string) => void;
  const module = { exports: {} as Record<string, unknown> };
  init(module.exports, require, module, path, join(path, ".."));
  return { script, exports: module.exports };
}

function readCache(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

// Run as the worker's entry (the build's cache maker only borrows `loadBundle`).
if (require.main === module) {
  loadBundle(join(__dirname, "worker.cjs"), readCache(join(__dirname, "worker.cache")));
}
