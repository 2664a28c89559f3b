/**
 * Loads binaryen on first use. Importing it costs hundreds of milliseconds,
 * so nothing imports it statically: the tree and IR engines never pay for
 * it. This module (and src/backend as a whole) is the only place that
 * touches binaryen.
 */
import type binaryenType from "binaryen";

export type Binaryen = typeof binaryenType;

let loading: Promise<Binaryen> | null = null;

export function loadBinaryen(): Promise<Binaryen> {
  loading ??= import("binaryen").then((m) => m.default);
  return loading;
}
