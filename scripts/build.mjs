/**
 * Bundles the CLI with esbuild into dist/main.mjs (command line),
 * dist/spawn.mjs (starts the program worker, see src/cli/spawn.ts),
 * dist/batch.mjs (the batch worker) and, as CommonJS, dist/worker.cjs
 * (program execution on a worker thread) with its loader
 * dist/worker-start.cjs; then writes dist/worker.cache, V8's code cache of
 * the worker bundle (scripts/make-worker-cache.cjs), which program workers
 * load it with. Runs on `npm ci` (prepare), before tests and `npm start`,
 * and from bin/sa when the sources are newer than the bundle.
 * Packages are bundled except binaryen; each output is written to a
 * temporary file and renamed so concurrent builds never expose a torn file.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");

const COMMON = {
  bundle: true,
  platform: "node",
  target: "node20",
  // binaryen stays external (large, and loaded only when asked for).
  external: ["binaryen"],
  // yargs' help layout measures text with `string-width`, whose Unicode tables cost ~0.1 s per start.
  alias: { "string-width": join(root, "src/cli/string-width.ts") },
  sourcemap: "external",
  write: false,
  outdir: dist,
  logLevel: "warning",
};

export async function build() {
  const esbuild = await import("esbuild");
  const modules = await esbuild.build({
    ...COMMON,
    // yargs is bundled: loading it from node_modules costs ~125 ms at every start, bundled ~45 ms.
    entryPoints: { main: join(root, "src/cli/main.ts"), batch: join(root, "src/cli/batch-worker.ts"), spawn: join(root, "src/cli/spawn.ts") },
    format: "esm",
    outExtension: { ".js": ".mjs" },
  });
  // CommonJS, which node:vm can load with a code cache (ES modules cannot be, in Node 20).
  const scripts = await esbuild.build({
    ...COMMON,
    entryPoints: { worker: join(root, "src/cli/worker-entry.ts"), "worker-start": join(root, "src/cli/worker-start.ts") },
    format: "cjs",
    outExtension: { ".js": ".cjs" },
    define: { "import.meta.url": "__sa_module_url" },
    banner: { js: 'var __sa_module_url = require("node:url").pathToFileURL(__filename).href;' },
  });
  mkdirSync(dist, { recursive: true });
  for (const file of [...modules.outputFiles, ...scripts.outputFiles]) {
    const temp = `${file.path}.${process.pid}.tmp`;
    writeFileSync(temp, file.contents);
    renameSync(temp, file.path);
  }
  const cache = spawnSync(process.execPath, [join(root, "scripts", "make-worker-cache.cjs"), dist], { stdio: "inherit", env: { ...process.env, NODE_OPTIONS: "" } });
  if (cache.status !== 0) throw new Error(`writing the worker's code cache failed (exit ${cache.status})`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await build();
