/**
 * Bundles the CLI into dist/main.mjs (command line) and dist/worker.mjs
 * (program execution on a worker thread) with esbuild. Runs on `npm ci` (prepare), before tests and
 * `npm start`, and from bin/sa when the sources are newer than the bundle.
 * Packages are bundled except binaryen; the output is written to a
 * temporary file and renamed so concurrent builds never expose a torn file.
 */
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

export async function build() {
  const esbuild = await import("esbuild");
  const result = await esbuild.build({
    entryPoints: {
      main: join(root, "src/cli/main.ts"),
      worker: join(root, "src/cli/worker-entry.ts"),
      batch: join(root, "src/cli/batch-worker.ts"),
    },
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    // yargs is bundled: loading it from node_modules costs ~125 ms at every start, bundled ~45 ms.
    // binaryen stays external (large, and loaded only when asked for).
    external: ["binaryen"],
    // yargs' help layout measures text with `string-width`, whose Unicode tables cost ~0.1 s per start.
    alias: { "string-width": join(root, "src/cli/string-width.ts") },
    sourcemap: "external",
    write: false,
    outdir: join(root, "dist"),
    outExtension: { ".js": ".mjs" },
    logLevel: "warning",
  });
  mkdirSync(join(root, "dist"), { recursive: true });
  for (const file of result.outputFiles) {
    const temp = `${file.path}.${process.pid}.tmp`;
    writeFileSync(temp, file.contents);
    renameSync(temp, file.path);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await build();
