/**
 * The line table of an encoded module: module-relative code offsets (what
 * V8 prints as `wasm-function[i]:0xOFFSET` in stack traces) with the Lox
 * line of the IR instruction whose opcode starts there, sorted by offset.
 * The line at an offset is that of the last entry at or before it; each
 * function body starts with an entry of line 0 so lookups never reach into
 * the previous function.
 *
 * Stored in the custom section `sa.lines2` as: the entry count, then per
 * entry the offset delta (unsigned LEB128) and the line delta (signed
 * LEB128).
 */
import { ByteReader, ByteWriter, u32Size } from "./bytes.ts";

/** Custom section holding the line table of a module built by the fast backend. */
export const LINE_TABLE_SECTION = "sa.lines2";

export interface LineTable {
  /** Code offsets, ascending. */
  readonly offsets: Int32Array;
  /** The Lox line of each offset (0: unknown). */
  readonly lines: Int32Array;
}

/** The line of the last entry at or before `offset` (0 if none). */
export function lineAt(table: LineTable, offset: number): number {
  let lo = 0;
  let hi = table.offsets.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((table.offsets[mid] as number) <= offset) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found === -1 ? 0 : (table.lines[found] as number);
}

export function encodeLineTable(table: LineTable): Uint8Array {
  const w = new ByteWriter(table.offsets.length * 3 + 8);
  w.u32(table.offsets.length);
  let offset = 0;
  let line = 0;
  for (let i = 0; i < table.offsets.length; i++) {
    const o = table.offsets[i] as number;
    const l = table.lines[i] as number;
    w.u32(o - offset);
    w.s32(l - line);
    offset = o;
    line = l;
  }
  return w.finish();
}

export function decodeLineTable(bytes: Uint8Array): LineTable {
  const r = new ByteReader(bytes);
  const n = r.u32();
  const offsets = new Int32Array(n);
  const lines = new Int32Array(n);
  let offset = 0;
  let line = 0;
  for (let i = 0; i < n; i++) {
    offset += r.u32();
    line += r.s32();
    offsets[i] = offset;
    lines[i] = line;
  }
  return { offsets, lines };
}

/** A custom section (id 0, name, contents) in the binary format. */
export function customSection(name: string, contents: Uint8Array): Uint8Array {
  const w = new ByteWriter(contents.length + name.length + 12);
  w.byte(0);
  const nameBytes = new TextEncoder().encode(name);
  w.u32(u32Size(nameBytes.length) + nameBytes.length + contents.length);
  w.u32(nameBytes.length);
  w.bytes(nameBytes);
  w.bytes(contents);
  return w.finish();
}

/** A module with a custom section appended (custom sections may follow all others). */
export function appendCustomSection(binary: Uint8Array, name: string, contents: Uint8Array): Uint8Array {
  const section = customSection(name, contents);
  const out = new Uint8Array(binary.length + section.length);
  out.set(binary, 0);
  out.set(section, binary.length);
  return out;
}

/** The line table a module carries in its `sa.lines2` section, or null. */
export function readLineTable(module: WebAssembly.Module): LineTable | null {
  const section = WebAssembly.Module.customSections(module, LINE_TABLE_SECTION)[0];
  return section === undefined ? null : decodeLineTable(new Uint8Array(section));
}
