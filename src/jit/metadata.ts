/**
 * What the runtime needs to know about a compiled program besides its code:
 * function names and kinds (for traces and `<fn name>`), global names (for
 * "Undefined variable"), the entry function, and the image's interned
 * strings. Stored in the module as the custom section `sa.meta` (JSON), so
 * a `.wasm` written by `sa compile` runs on its own (`sa exec`).
 */
import type { GlobalId, Module } from "../ir/index.ts";

export const META_SECTION = "sa.meta";
export const META_VERSION = 1;

export interface ProgramMeta {
  readonly version: number;
  readonly functions: readonly { readonly name: string; readonly kind: "lox" | "helper" | "import" }[];
  readonly globals: readonly string[];
  readonly entry: number;
  readonly imageStrings: readonly number[];
}

export function programMeta(module: Module, imageStrings: readonly number[]): ProgramMeta {
  const globals: string[] = [];
  for (let g = 0; g < module.globalCount; g++) globals.push(module.globalName(g as GlobalId));
  return {
    version: META_VERSION,
    functions: module.functions.map((f) => ({ name: f.name, kind: f.kind })),
    globals,
    entry: module.entry ?? 0,
    imageStrings,
  };
}

export function encodeMeta(meta: ProgramMeta): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(meta));
}

export class BadModuleError extends Error {}

/** Reads the metadata section of a compiled module. */
export function readMeta(module: WebAssembly.Module): ProgramMeta {
  const sections = WebAssembly.Module.customSections(module, META_SECTION);
  const section = sections[0];
  if (section === undefined) throw new BadModuleError(`not a Sa program (no '${META_SECTION}' section)`);
  let meta: unknown;
  try {
    meta = JSON.parse(new TextDecoder().decode(section));
  } catch {
    throw new BadModuleError(`the '${META_SECTION}' section is corrupted`);
  }
  const m = meta as Partial<ProgramMeta>;
  if (m.version !== META_VERSION || !Array.isArray(m.functions) || !Array.isArray(m.globals) || !Array.isArray(m.imageStrings)) {
    throw new BadModuleError(`the '${META_SECTION}' section is from another version or corrupted`);
  }
  return m as ProgramMeta;
}
