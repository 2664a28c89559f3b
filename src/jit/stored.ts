/**
 * Compiled programs as files (`sa compile`, `sa exec`): the module as the
 * backend emitted it. A module from the direct encoder carries its line
 * table already (`sa.lines2`); one from binaryen gets its source map
 * appended in the custom section `sa.lines`, so a stored program still
 * reports Lox lines in its traces.
 */
import { appendCustomSection } from "../backend/encoder/line-table.ts";
import { LINES_SECTION } from "./compile.ts";
import type { CompiledProgram } from "./compile.ts";

/** The bytes of a stored program: the module with its source map appended as a custom section. */
export function storedProgram(compiled: CompiledProgram): Uint8Array {
  const map = compiled.artifact.sourceMap;
  if (map === null) return compiled.artifact.binary;
  return appendCustomSection(compiled.artifact.binary, LINES_SECTION, new TextEncoder().encode(map));
}

export function readStoredSourceMap(module: WebAssembly.Module): string | null {
  const section = WebAssembly.Module.customSections(module, LINES_SECTION)[0];
  return section === undefined ? null : new TextDecoder().decode(section);
}
