/**
 * Loads binaryen on first use. Importing it costs hundreds of milliseconds,
 * so nothing imports it statically: the tree and IR engines never pay for
 * it. This module (and src/backend as a whole) is the only place that
 * touches binaryen.
 */
import type binaryenType from "binaryen";

export type Binaryen = typeof binaryenType;

/**
 * Where a host that loads this code as a script without a module loader of
 * its own (the program worker, see src/cli/worker-start.ts) puts its
 * `import()`: such code cannot import modules itself.
 */
export const MODULE_IMPORTER = Symbol.for("sa.importModule");

type Importer = (specifier: string) => Promise<{ default: Binaryen }>;

let loading: Promise<Binaryen> | null = null;

export function loadBinaryen(): Promise<Binaryen> {
  const importer = (globalThis as { [MODULE_IMPORTER]?: Importer })[MODULE_IMPORTER];
  loading ??= (importer !== undefined ? importer("binaryen") : import("binaryen")).then((m) => m.default);
  return loading;
}
