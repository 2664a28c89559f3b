/**
 * Compiled programs as files (`sa compile`, `sa exec`): the module as the
 * backend emitted it, plus its source map in the custom section `sa.lines`
 * so a stored program still reports Lox lines in its traces.
 */
import { LINES_SECTION } from "./compile.ts";
import type { CompiledProgram } from "./compile.ts";

/** A custom section in the Wasm binary format (id 0, name, bytes). */
function customSection(name: string, contents: Uint8Array): Uint8Array {
  const nameBytes = new TextEncoder().encode(name);
  const leb = (n: number): number[] => {
    const out: number[] = [];
    do {
      let byte = n & 0x7f;
      n >>>= 7;
      if (n !== 0) byte |= 0x80;
      out.push(byte);
    } while (n !== 0);
    return out;
  };
  const payload = [...leb(nameBytes.length), ...nameBytes];
  const size = payload.length + contents.length;
  const header = [0, ...leb(size), ...payload];
  const out = new Uint8Array(header.length + contents.length);
  out.set(header, 0);
  out.set(contents, header.length);
  return out;
}

/** The bytes of a stored program: the module with its source map appended as a custom section. */
export function storedProgram(compiled: CompiledProgram): Uint8Array {
  const map = compiled.artifact.sourceMap;
  if (map === null) return compiled.artifact.binary;
  const section = customSection(LINES_SECTION, new TextEncoder().encode(map));
  const out = new Uint8Array(compiled.artifact.binary.length + section.length);
  out.set(compiled.artifact.binary, 0);
  out.set(section, compiled.artifact.binary.length);
  return out;
}

export function readStoredSourceMap(module: WebAssembly.Module): string | null {
  const section = WebAssembly.Module.customSections(module, LINES_SECTION)[0];
  return section === undefined ? null : new TextDecoder().decode(section);
}
