/**
 * Runtime error traces for compiled code, at no cost to running code: the
 * JavaScript stack of the error lists the Wasm frames
 * (`at f3_fib (wasm://...:wasm-function[5]:0x1a4)`); each Lox function's
 * frame is named from the module metadata (the id is in the Wasm name, see
 * src/backend) and its line is read from the line table the direct encoder
 * puts in the module, or from the source map that binaryen emits from the
 * IR's spans (code offset -> Lox line). Helper frames (the runtime
 * library) are not Lox frames and are skipped.
 *
 * Source maps: version 3, one generated line, `mappings` as Base64 VLQ
 * segments (generated column = code offset, source, line, column).
 */
import type { TraceFrame } from "../runtime/errors.ts";
import { lineAt, type LineTable } from "../backend/encoder/line-table.ts";
import type { ProgramMeta } from "./metadata.ts";

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** Code offsets and their Lox lines, sorted by offset. */
export class LineMap {
  private constructor(readonly offsets: Int32Array, readonly lines: Int32Array) {}

  static fromSourceMap(json: string | null): LineMap {
    if (json === null) return new LineMap(new Int32Array(0), new Int32Array(0));
    const mappings = (JSON.parse(json) as { mappings?: string }).mappings ?? "";
    const offsets: number[] = [];
    const lines: number[] = [];
    let column = 0;
    let line = 0;
    for (const segment of mappings.split(/[,;]/)) {
      if (segment === "") continue;
      const fields: number[] = [];
      let value = 0;
      let shift = 0;
      for (const ch of segment) {
        const digit = BASE64.indexOf(ch);
        value += (digit & 31) << shift;
        if (digit & 32) {
          shift += 5;
        } else {
          fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      column += fields[0] ?? 0;
      if (fields.length >= 3) {
        line += fields[2] ?? 0;
        offsets.push(column);
        lines.push(line + 1);
      }
    }
    return new LineMap(Int32Array.from(offsets), Int32Array.from(lines));
  }

  /** From the line table the direct encoder puts in a module (null: no lines). */
  static fromTable(table: LineTable | null): LineMap {
    return table === null ? new LineMap(new Int32Array(0), new Int32Array(0)) : new LineMap(table.offsets, table.lines);
  }

  /** The line of the last mapping at or before `offset` (0 if none). */
  lineAt(offset: number): number {
    return lineAt(this, offset);
  }

}

const WASM_FRAME = /at (\S+) \(wasm:\/\/[^)]*:wasm-function\[(\d+)\]:0x([0-9a-f]+)\)/;

/** A function compiled at run time (named `f<id>s<n>_...`), for traces. */
export interface SpecializedFrame {
  /** The Lox function it specializes. */
  readonly name: string;
  /** Lines of the module it was compiled into. */
  readonly lines: LineMap;
}

/**
 * The Lox frames of a JavaScript stack, innermost first. `innermostLine`
 * (when not 0) replaces the first frame's line: the failing operation
 * passed it explicitly. With `skipInnermost`, the innermost Lox frame is
 * dropped; with `skipEntered`, it is dropped only when it is the very top
 * of the stack. Both serve "Stack overflow.", which the reference reports
 * at the caller's call: the frame being entered when the stack ran out
 * (checked in its prologue) is not part of the trace.
 */
export function loxFrames(
  stack: string, meta: ProgramMeta, lines: LineMap, innermostLine: number, skipInnermost = false, skipEntered = false,
  specialized: ReadonlyMap<number, SpecializedFrame> = new Map(),
): TraceFrame[] {
  const frames: TraceFrame[] = [];
  let skip = skipInnermost;
  let top = true;
  for (const text of stack.split("\n")) {
    if (!/^\s+at /.test(text)) continue;
    const m = WASM_FRAME.exec(text);
    const atTop = top;
    top = false;
    if (m === null) continue;
    if (skipEntered && atTop && /^f\d+(s\d+|d)?_/.test(m[1] as string)) continue;
    const name = m[1] as string;
    // A dispatch stub: the frame it calls (generic body or specialized code) stands for the function.
    if (/^f\d+d_/.test(name)) continue;
    const id = /^f(\d+)(?:s(\d+))?_/.exec(name);
    if (id === null) continue;
    if (skip) {
      skip = false;
      continue;
    }
    const offset = parseInt(m[3] as string, 16);
    const innermost = frames.length === 0 && innermostLine > 0 ? innermostLine : 0;
    if (id[2] !== undefined) {
      const frame = specialized.get(Number(id[2]));
      frames.push({ name: frame?.name ?? "?", line: innermost || (frame?.lines.lineAt(offset) ?? 0) });
      continue;
    }
    const index = Number(id[1]);
    const fn = meta.functions[index];
    frames.push({ name: index === meta.entry ? null : (fn?.name ?? "?"), line: innermost || lines.lineAt(offset) });
  }
  return frames;
}
