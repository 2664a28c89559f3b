/**
 * Writes dist/worker.cache, V8's code cache of the worker bundle: loads
 * dist/worker.cjs the way a program worker does (worker-start.cjs), runs
 * its warm-up (src/cli/warm-up.ts) so that the functions it uses are
 * compiled, and saves the cache. Run by build.mjs in a fresh `node` with
 * no flags, as program workers run: V8 rejects a cache made under other
 * flags (the worker then compiles the bundle as usual).
 */
"use strict";
const { renameSync, writeFileSync } = require("node:fs");
const { join } = require("node:path");

const dist = process.argv[2];
const { loadBundle } = require(join(dist, "worker-start.cjs"));
const { script, exports: bundle } = loadBundle(join(dist, "worker.cjs"), undefined);
bundle.warmUp().then(() => {
  const target = join(dist, "worker.cache");
  const temp = `${target}.${process.pid}.tmp`;
  writeFileSync(temp, script.createCachedData());
  renameSync(temp, target);
});
