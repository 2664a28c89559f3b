/**
 * Opcode bytes of the WebAssembly binary format
 * (https://webassembly.github.io/spec/core/binary/instructions.html) and
 * the mapping of machine-level IR operations with no immediate to them.
 * Operations with immediates (constants, memory access, calls, globals)
 * are encoded by function.ts.
 */
import { Op, type Opcode, Type } from "../../ir/index.ts";

/** Value types. */
export const ValType = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c, v128: 0x7b, funcref: 0x70 } as const;

/** Control and variable instructions. */
export const W = {
  unreachable: 0x00,
  nop: 0x01,
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  else: 0x05,
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  brTable: 0x0e,
  return: 0x0f,
  call: 0x10,
  callIndirect: 0x11,
  drop: 0x1a,
  select: 0x1b,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  globalGet: 0x23,
  globalSet: 0x24,
  i32Load: 0x28,
  i64Load: 0x29,
  f64Load: 0x2b,
  i32Load8U: 0x2d,
  i32Load16U: 0x2f,
  i32Store: 0x36,
  i64Store: 0x37,
  f64Store: 0x39,
  i32Store8: 0x3a,
  i32Store16: 0x3b,
  memorySize: 0x3f,
  memoryGrow: 0x40,
  i32Const: 0x41,
  i64Const: 0x42,
  f64Const: 0x44,
  i32Eqz: 0x45,
  /** Prefix of the saturating conversions and bulk memory operations. */
  prefixFC: 0xfc,
  /** After 0xFC. */
  i32TruncSatF64S: 0x02,
  memoryFill: 0x0b,
  /** The empty block type. */
  blockTypeEmpty: 0x40,
} as const;

/** The Wasm value type of an IR type (`val` is an i64); null for `none`. */
export function valType(t: Type): number | null {
  switch (t) {
    case Type.none: return null;
    case Type.i32: return ValType.i32;
    case Type.i64: case Type.val: return ValType.i64;
    case Type.f64: return ValType.f64;
    case Type.v128: return ValType.v128;
    default: throw new Error(`internal error: no Wasm type for IR type ${String(t)}`);
  }
}

/** Memory access: opcode and log2 of the natural alignment. */
export const MEMORY_OPS: ReadonlyMap<Opcode, readonly [number, number]> = new Map<Opcode, readonly [number, number]>([
  [Op.i32Load, [W.i32Load, 2]],
  [Op.i32Load8U, [W.i32Load8U, 0]],
  [Op.i32Load16U, [W.i32Load16U, 1]],
  [Op.i64Load, [W.i64Load, 3]],
  [Op.f64Load, [W.f64Load, 3]],
  [Op.i32Store, [W.i32Store, 2]],
  [Op.i32Store8, [W.i32Store8, 0]],
  [Op.i32Store16, [W.i32Store16, 1]],
  [Op.i64Store, [W.i64Store, 3]],
  [Op.f64Store, [W.f64Store, 3]],
]);

/** Operations that are one opcode byte, operands on the stack in IR order. */
export const SIMPLE_OPS: ReadonlyMap<Opcode, number> = new Map<Opcode, number>([
  [Op.i32Eqz, 0x45], [Op.i32Eq, 0x46], [Op.i32Ne, 0x47], [Op.i32LtS, 0x48], [Op.i32LtU, 0x49],
  [Op.i32GtS, 0x4a], [Op.i32GtU, 0x4b], [Op.i32LeS, 0x4c], [Op.i32LeU, 0x4d], [Op.i32GeS, 0x4e], [Op.i32GeU, 0x4f],
  [Op.i64Eqz, 0x50], [Op.i64Eq, 0x51], [Op.i64Ne, 0x52], [Op.i64LtU, 0x54], [Op.i64GeU, 0x5a],
  [Op.f64Eq, 0x61], [Op.f64Ne, 0x62], [Op.f64Lt, 0x63], [Op.f64Gt, 0x64], [Op.f64Le, 0x65], [Op.f64Ge, 0x66],
  [Op.i32Add, 0x6a], [Op.i32Sub, 0x6b], [Op.i32Mul, 0x6c], [Op.i32DivS, 0x6d], [Op.i32DivU, 0x6e],
  [Op.i32RemS, 0x6f], [Op.i32RemU, 0x70], [Op.i32And, 0x71], [Op.i32Or, 0x72], [Op.i32Xor, 0x73],
  [Op.i32Shl, 0x74], [Op.i32ShrS, 0x75], [Op.i32ShrU, 0x76],
  [Op.i64Add, 0x7c], [Op.i64Sub, 0x7d], [Op.i64Mul, 0x7e], [Op.i64And, 0x83], [Op.i64Or, 0x84],
  [Op.i64Xor, 0x85], [Op.i64Shl, 0x86], [Op.i64ShrS, 0x87], [Op.i64ShrU, 0x88],
  [Op.f64Abs, 0x99], [Op.f64Neg, 0x9a], [Op.f64Ceil, 0x9b], [Op.f64Floor, 0x9c], [Op.f64Trunc, 0x9d],
  [Op.f64Nearest, 0x9e], [Op.f64Sqrt, 0x9f], [Op.f64Add, 0xa0], [Op.f64Sub, 0xa1], [Op.f64Mul, 0xa2],
  [Op.f64Div, 0xa3], [Op.f64Min, 0xa4], [Op.f64Max, 0xa5],
  [Op.i32WrapI64, 0xa7], [Op.i64ExtendI32S, 0xac], [Op.i64ExtendI32U, 0xad],
  [Op.f64ConvertI32S, 0xb7], [Op.f64ConvertI32U, 0xb8], [Op.i64ReinterpretF64, 0xbd], [Op.f64ReinterpretI64, 0xbf],
]);
