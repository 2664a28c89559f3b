/**
 * The opcode table: one entry per instruction, read by the builder,
 * printer, parser, verifier, constant folder, passes and IR interpreter.
 *
 * Two levels share the table (DESIGN.md §5): Lox-level ops (`lox.*`, `num.*`) work
 * on boxed values with exact Lox semantics, including which runtime error
 * they raise; machine-level ops (`i32.*`, `i64.*`, `f64.*`, loads, stores,
 * calls) are WebAssembly's. The entry gives operand types (a fixed list,
 * then optionally any number of a variadic type), the result type
 * (`dynamic` when it comes from a callee's signature or the operands), the
 * kind of immediate, effects, and, for pure machine ops, `apply`: their
 * semantics on raw JavaScript values (i32/f64 as number, i64 as bigint),
 * which is both the folder's and the interpreter's definition.
 */
import { Effect, type Effects } from "./effects.ts";
import { Type } from "./types.ts";

/** What an instruction's immediate is. */
export type ImmKind =
  | "none"
  | "f64" // a number (lox.num, f64.const)
  | "i32" // a 32-bit integer (i32.const, closure cell index)
  | "i64" // index into the function's i64 constant table
  | "offset" // a memory offset in bytes (loads, stores)
  | "symbol" // a module symbol: string constant or field/method name
  | "global" // a module global
  | "func" // a module function
  | "class" // a module class descriptor
  | "kind"; // a kind of Lox value (lox-kinds.ts)

export type Raw = number | bigint;

export interface OpcodeInfo {
  readonly name: string;
  readonly level: "lox" | "machine";
  readonly operands: readonly Type[];
  readonly variadic: Type | null;
  readonly result: Type | "dynamic";
  readonly imm: ImmKind;
  readonly effects: Effects;
  readonly apply?: (a: Raw, b: Raw, c: Raw) => Raw;
}

const { i32, i64, f64, val, none } = Type;
const E = Effect;
const HEAP_READ = E.reads | E.throws;
const ANY = E.throws | E.reads | E.writes | E.allocates | E.calls | E.io;

type Def = Omit<OpcodeInfo, "level" | "variadic"> & { readonly variadic?: Type };

function lox(name: string, operands: readonly Type[], result: Type, effects: Effects, imm: ImmKind = "none", variadic?: Type): Def {
  return variadic === undefined ? { name, operands, result, effects, imm } : { name, operands, result, effects, imm, variadic };
}

function pure(name: string, operands: readonly Type[], result: Type, apply: (a: Raw, b: Raw, c: Raw) => Raw): Def {
  return { name, operands, result, effects: E.pure, imm: "none", apply };
}

// Raw-value helpers for the machine semantics (WebAssembly's).
const n = (x: Raw): number => x as number;
const b = (x: Raw): bigint => x as bigint;
const bool = (c: boolean): number => (c ? 1 : 0);
const u32 = (x: Raw): number => (x as number) >>> 0;
const s64 = (x: bigint): bigint => BigInt.asIntN(64, x);
const u64 = (x: Raw): bigint => BigInt.asUintN(64, x as bigint);
const scratch = new DataView(new ArrayBuffer(8));

function reinterpretF64(x: Raw): Raw {
  scratch.setBigInt64(0, x as bigint);
  return scratch.getFloat64(0);
}
function reinterpretI64(x: Raw): Raw {
  scratch.setFloat64(0, x as number);
  return scratch.getBigInt64(0);
}
function truncSat(x: number): number {
  if (x !== x) return 0;
  if (x >= 2147483647) return 2147483647;
  if (x <= -2147483648) return -2147483648;
  return Math.trunc(x) | 0;
}
function nearest(x: number): number {
  if (!Number.isFinite(x) || Number.isInteger(x)) return x;
  const r = Math.round(x);
  return Math.abs(x - Math.trunc(x)) === 0.5 ? 2 * Math.round(x / 2) : r;
}

const DEFS = {
  // ---- Lox level: constants ----
  loxNum: lox("lox.num", [], val, E.pure, "f64"),
  loxNil: lox("lox.nil", [], val, E.pure),
  loxTrue: lox("lox.true", [], val, E.pure),
  loxFalse: lox("lox.false", [], val, E.pure),
  loxStr: lox("lox.str", [], val, E.pure, "symbol"),
  /** A known object of the running program's heap, by address (only specialized code has these). */
  loxObject: lox("lox.object", [], val, E.pure, "i32"),
  // ---- Lox level: operators (exact Lox semantics and errors) ----
  loxAdd: lox("lox.add", [val, val], val, E.throws | E.allocates),
  loxSub: lox("lox.sub", [val, val], val, E.throws),
  loxMul: lox("lox.mul", [val, val], val, E.throws),
  loxDiv: lox("lox.div", [val, val], val, E.throws),
  loxMod: lox("lox.mod", [val, val], val, E.throws),
  loxNeg: lox("lox.neg", [val], val, E.throws),
  loxNot: lox("lox.not", [val], val, E.pure),
  loxEq: lox("lox.eq", [val, val], val, E.pure),
  loxNe: lox("lox.ne", [val, val], val, E.pure),
  loxLt: lox("lox.lt", [val, val], val, E.throws),
  loxLe: lox("lox.le", [val, val], val, E.throws),
  loxGt: lox("lox.gt", [val, val], val, E.throws),
  loxGe: lox("lox.ge", [val, val], val, E.throws),
  loxTruthy: lox("lox.truthy", [val], i32, E.pure),
  // ---- Lox level: arithmetic on operands known to be numbers (type-facts.ts proves it; no checks, no errors) ----
  numAdd: lox("num.add", [val, val], val, E.pure),
  numSub: lox("num.sub", [val, val], val, E.pure),
  numMul: lox("num.mul", [val, val], val, E.pure),
  numDiv: lox("num.div", [val, val], val, E.pure),
  numLt: lox("num.lt", [val, val], val, E.pure),
  numLe: lox("num.le", [val, val], val, E.pure),
  numGt: lox("num.gt", [val, val], val, E.pure),
  numGe: lox("num.ge", [val, val], val, E.pure),
  /** `==` and `!=` of numbers (IEEE: NaN is unequal to itself, -0 equals 0, as Lox's `==` on numbers). */
  numEq: lox("num.eq", [val, val], val, E.pure),
  numNe: lox("num.ne", [val, val], val, E.pure),
  /** `floor` of a number (the native, where the operand is known to be a number: monomorphize.ts). */
  numFloor: lox("num.floor", [val], val, E.pure),
  /** Whether the operand is a Lox value of kind `imm` (lox-kinds.ts): true or false. */
  loxIs: lox("lox.is", [val], val, E.pure, "kind"),
  // ---- Lox level: variables ----
  loxGlobalGet: lox("lox.global.get", [], val, HEAP_READ, "global"),
  loxGlobalSet: lox("lox.global.set", [val], none, E.writes | E.throws, "global"),
  loxGlobalDefine: lox("lox.global.define", [val], none, E.writes, "global"),
  loxCellNew: lox("lox.cell.new", [val], val, E.allocates),
  loxCellGet: lox("lox.cell.get", [val], val, E.reads),
  loxCellSet: lox("lox.cell.set", [val, val], none, E.writes),
  /** The `imm`-th captured cell of a closure (closures never change their cells). */
  loxClosureCell: lox("lox.closure.cell", [val], val, E.pure, "i32"),
  /** A new closure of function `imm` capturing the given cells. */
  loxClosure: lox("lox.closure", [], val, E.allocates, "func", val),
  // ---- Lox level: calls ----
  /** Calls a function, bound method, class or native with the arguments. */
  loxCall: lox("lox.call", [val], val, ANY, "none", val),
  /** `receiver.name(args)` as one operation. */
  loxInvoke: lox("lox.invoke", [val], val, ANY, "symbol", val),
  /** `super.name(args)`: this, superclass, args. */
  loxSuperInvoke: lox("lox.super.invoke", [val, val], val, ANY, "symbol", val),
  /** `super.name`: this, superclass; a bound method. */
  loxSuperGet: lox("lox.super.get", [val, val], val, HEAP_READ | E.allocates, "symbol"),
  // ---- Lox level: objects ----
  loxGet: lox("lox.get", [val], val, HEAP_READ | E.allocates, "symbol"),
  loxSet: lox("lox.set", [val, val], none, E.writes | E.throws, "symbol"),
  loxClass: lox("lox.class", [], val, E.allocates, "class"),
  loxInherit: lox("lox.inherit", [val, val], none, E.writes | E.throws),
  loxMethod: lox("lox.method", [val, val], none, E.writes, "symbol"),
  // ---- Lox level: arrays ----
  loxArray: lox("lox.array", [], val, E.allocates, "none", val),
  loxIndexGet: lox("lox.index.get", [val, val], val, HEAP_READ),
  loxIndexSet: lox("lox.index.set", [val, val, val], none, E.writes | E.throws),
  // ---- Lox level: output ----
  loxPrint: lox("lox.print", [val], none, E.io),
  // ---- Lox level: partial-evaluation intrinsics (no effect when run; lowering drops them) ----
  /** Entry of the dispatch loop of an `@context(pc)` function: pushes a context holding the initial pc. */
  peContextPush: lox("pe.context.push", [val], none, E.writes),
  /** An assignment to the context variable inside the dispatch loop: the new pc. */
  peContextUpdate: lox("pe.context.update", [val], none, E.writes),
  /** Exit of the dispatch loop: pops the context. */
  peContextPop: lox("pe.context.pop", [], none, E.writes),

  // ---- machine level: constants ----
  i32Const: { name: "i32.const", operands: [], result: i32, effects: E.pure, imm: "i32" },
  i64Const: { name: "i64.const", operands: [], result: i64, effects: E.pure, imm: "i64" },
  f64Const: { name: "f64.const", operands: [], result: f64, effects: E.pure, imm: "f64" },
  // ---- i32 ----
  i32Add: pure("i32.add", [i32, i32], i32, (x, y) => (n(x) + n(y)) | 0),
  i32Sub: pure("i32.sub", [i32, i32], i32, (x, y) => (n(x) - n(y)) | 0),
  i32Mul: pure("i32.mul", [i32, i32], i32, (x, y) => Math.imul(n(x), n(y))),
  i32And: pure("i32.and", [i32, i32], i32, (x, y) => n(x) & n(y)),
  i32Or: pure("i32.or", [i32, i32], i32, (x, y) => n(x) | n(y)),
  i32Xor: pure("i32.xor", [i32, i32], i32, (x, y) => n(x) ^ n(y)),
  i32Shl: pure("i32.shl", [i32, i32], i32, (x, y) => n(x) << n(y)),
  i32ShrS: pure("i32.shr_s", [i32, i32], i32, (x, y) => n(x) >> n(y)),
  i32ShrU: pure("i32.shr_u", [i32, i32], i32, (x, y) => (n(x) >>> n(y)) | 0),
  i32DivS: { name: "i32.div_s", operands: [i32, i32], result: i32, effects: E.throws, imm: "none" },
  i32DivU: { name: "i32.div_u", operands: [i32, i32], result: i32, effects: E.throws, imm: "none" },
  i32RemS: { name: "i32.rem_s", operands: [i32, i32], result: i32, effects: E.throws, imm: "none" },
  i32RemU: { name: "i32.rem_u", operands: [i32, i32], result: i32, effects: E.throws, imm: "none" },
  i32Eq: pure("i32.eq", [i32, i32], i32, (x, y) => bool(n(x) === n(y))),
  i32Ne: pure("i32.ne", [i32, i32], i32, (x, y) => bool(n(x) !== n(y))),
  i32LtS: pure("i32.lt_s", [i32, i32], i32, (x, y) => bool(n(x) < n(y))),
  i32LtU: pure("i32.lt_u", [i32, i32], i32, (x, y) => bool(u32(x) < u32(y))),
  i32LeS: pure("i32.le_s", [i32, i32], i32, (x, y) => bool(n(x) <= n(y))),
  i32LeU: pure("i32.le_u", [i32, i32], i32, (x, y) => bool(u32(x) <= u32(y))),
  i32GtS: pure("i32.gt_s", [i32, i32], i32, (x, y) => bool(n(x) > n(y))),
  i32GtU: pure("i32.gt_u", [i32, i32], i32, (x, y) => bool(u32(x) > u32(y))),
  i32GeS: pure("i32.ge_s", [i32, i32], i32, (x, y) => bool(n(x) >= n(y))),
  i32GeU: pure("i32.ge_u", [i32, i32], i32, (x, y) => bool(u32(x) >= u32(y))),
  i32Eqz: pure("i32.eqz", [i32], i32, (x) => bool(n(x) === 0)),
  // ---- i64 ----
  i64Add: pure("i64.add", [i64, i64], i64, (x, y) => s64(b(x) + b(y))),
  i64Sub: pure("i64.sub", [i64, i64], i64, (x, y) => s64(b(x) - b(y))),
  i64Mul: pure("i64.mul", [i64, i64], i64, (x, y) => s64(b(x) * b(y))),
  i64And: pure("i64.and", [i64, i64], i64, (x, y) => b(x) & b(y)),
  i64Or: pure("i64.or", [i64, i64], i64, (x, y) => b(x) | b(y)),
  i64Xor: pure("i64.xor", [i64, i64], i64, (x, y) => b(x) ^ b(y)),
  i64Shl: pure("i64.shl", [i64, i64], i64, (x, y) => s64(b(x) << (b(y) & 63n))),
  i64ShrS: pure("i64.shr_s", [i64, i64], i64, (x, y) => b(x) >> (b(y) & 63n)),
  i64ShrU: pure("i64.shr_u", [i64, i64], i64, (x, y) => s64(u64(x) >> (b(y) & 63n))),
  i64Eq: pure("i64.eq", [i64, i64], i32, (x, y) => bool(b(x) === b(y))),
  i64Ne: pure("i64.ne", [i64, i64], i32, (x, y) => bool(b(x) !== b(y))),
  i64LtU: pure("i64.lt_u", [i64, i64], i32, (x, y) => bool(u64(x) < u64(y))),
  i64GeU: pure("i64.ge_u", [i64, i64], i32, (x, y) => bool(u64(x) >= u64(y))),
  i64Eqz: pure("i64.eqz", [i64], i32, (x) => bool(b(x) === 0n)),
  // ---- f64 ----
  f64Add: pure("f64.add", [f64, f64], f64, (x, y) => n(x) + n(y)),
  f64Sub: pure("f64.sub", [f64, f64], f64, (x, y) => n(x) - n(y)),
  f64Mul: pure("f64.mul", [f64, f64], f64, (x, y) => n(x) * n(y)),
  f64Div: pure("f64.div", [f64, f64], f64, (x, y) => n(x) / n(y)),
  f64Min: pure("f64.min", [f64, f64], f64, (x, y) => Math.min(n(x), n(y))),
  f64Max: pure("f64.max", [f64, f64], f64, (x, y) => Math.max(n(x), n(y))),
  f64Neg: pure("f64.neg", [f64], f64, (x) => -n(x)),
  f64Abs: pure("f64.abs", [f64], f64, (x) => Math.abs(n(x))),
  f64Floor: pure("f64.floor", [f64], f64, (x) => Math.floor(n(x))),
  f64Ceil: pure("f64.ceil", [f64], f64, (x) => Math.ceil(n(x))),
  f64Trunc: pure("f64.trunc", [f64], f64, (x) => Math.trunc(n(x))),
  f64Nearest: pure("f64.nearest", [f64], f64, (x) => nearest(n(x))),
  f64Sqrt: pure("f64.sqrt", [f64], f64, (x) => Math.sqrt(n(x))),
  f64Eq: pure("f64.eq", [f64, f64], i32, (x, y) => bool(n(x) === n(y))),
  f64Ne: pure("f64.ne", [f64, f64], i32, (x, y) => bool(n(x) !== n(y))),
  f64Lt: pure("f64.lt", [f64, f64], i32, (x, y) => bool(n(x) < n(y))),
  f64Le: pure("f64.le", [f64, f64], i32, (x, y) => bool(n(x) <= n(y))),
  f64Gt: pure("f64.gt", [f64, f64], i32, (x, y) => bool(n(x) > n(y))),
  f64Ge: pure("f64.ge", [f64, f64], i32, (x, y) => bool(n(x) >= n(y))),
  // ---- conversions ----
  i32WrapI64: pure("i32.wrap_i64", [i64], i32, (x) => Number(BigInt.asIntN(32, b(x)))),
  i64ExtendI32S: pure("i64.extend_i32_s", [i32], i64, (x) => BigInt(n(x))),
  i64ExtendI32U: pure("i64.extend_i32_u", [i32], i64, (x) => BigInt(u32(x))),
  f64ConvertI32S: pure("f64.convert_i32_s", [i32], f64, (x) => n(x)),
  f64ConvertI32U: pure("f64.convert_i32_u", [i32], f64, (x) => u32(x)),
  i32TruncSatF64S: pure("i32.trunc_sat_f64_s", [f64], i32, (x) => truncSat(n(x))),
  i64ReinterpretF64: pure("i64.reinterpret_f64", [f64], i64, reinterpretI64),
  f64ReinterpretI64: pure("f64.reinterpret_i64", [i64], f64, reinterpretF64),
  /** The 64 bits of a boxed value, and back. */
  valBits: { name: "val.bits", operands: [val], result: i64, effects: E.pure, imm: "none" },
  valFromBits: { name: "val.from_bits", operands: [i64], result: val, effects: E.pure, imm: "none" },
  /** A boxed value given by its 64 bits (immediate: index into the i64 constant table). */
  valConst: { name: "val.const", operands: [], result: val, effects: E.pure, imm: "i64" },
  select: { name: "select", operands: [i32], result: "dynamic", effects: E.pure, imm: "none", variadic: none },
  // ---- memory (immediate: byte offset added to the i32 address) ----
  i32Load: { name: "i32.load", operands: [i32], result: i32, effects: E.reads, imm: "offset" },
  i32Load8U: { name: "i32.load8_u", operands: [i32], result: i32, effects: E.reads, imm: "offset" },
  i32Load16U: { name: "i32.load16_u", operands: [i32], result: i32, effects: E.reads, imm: "offset" },
  i64Load: { name: "i64.load", operands: [i32], result: i64, effects: E.reads, imm: "offset" },
  f64Load: { name: "f64.load", operands: [i32], result: f64, effects: E.reads, imm: "offset" },
  i32Store: { name: "i32.store", operands: [i32, i32], result: none, effects: E.writes, imm: "offset" },
  i32Store8: { name: "i32.store8", operands: [i32, i32], result: none, effects: E.writes, imm: "offset" },
  i32Store16: { name: "i32.store16", operands: [i32, i32], result: none, effects: E.writes, imm: "offset" },
  i64Store: { name: "i64.store", operands: [i32, i64], result: none, effects: E.writes, imm: "offset" },
  f64Store: { name: "f64.store", operands: [i32, f64], result: none, effects: E.writes, imm: "offset" },
  memorySize: { name: "memory.size", operands: [], result: i32, effects: E.reads, imm: "none" },
  memoryFill: { name: "memory.fill", operands: [i32, i32, i32], result: none, effects: E.writes, imm: "none" },
  /** The shadow stack pointer (the Wasm global `ssp`): where spilled GC roots go. */
  shadowSpGet: { name: "shadow.sp.get", operands: [], result: i32, effects: E.reads, imm: "none" },
  shadowSpSet: { name: "shadow.sp.set", operands: [i32], result: none, effects: E.writes, imm: "none" },
  memoryGrow: { name: "memory.grow", operands: [i32], result: i32, effects: E.writes, imm: "none" },
  // ---- calls ----
  /** Direct call of a module function; the result type is the callee's. */
  call: { name: "call", operands: [], result: "dynamic", effects: ANY, imm: "func", variadic: none },
  /**
   * Indirect call of the Lox function in table slot `index` (an i32) with
   * the Lox calling convention: closure, receiver, arguments. In Wasm, a
   * `call_indirect` whose signature has one i64 per operand after the index.
   */
  callLox: { name: "call.lox", operands: [i32, val, val], result: val, effects: ANY, imm: "none", variadic: val },
  /**
   * `call.lox` of a function proven `@pure` that reads no heap object
   * (pe/pure-calls.ts): the same call, but two on the same operands give
   * the same result, so gvn merges one that a first one dominates. It may
   * still raise an error, so it is never removed or moved otherwise.
   */
  callLoxPure: { name: "call.lox.pure", operands: [i32, val, val], result: val, effects: ANY, imm: "none", variadic: val },
} as const satisfies Record<string, Def>;

export type OpKey = keyof typeof DEFS;
/** An opcode: the index of its entry in `OPCODES`. */
export type Opcode = number & { readonly __opcode: unique symbol };

const keys = Object.keys(DEFS) as OpKey[];

export const OPCODES: readonly OpcodeInfo[] = keys.map((k) => {
  const d: Def = DEFS[k];
  const level = d.name.startsWith("lox.") || d.name.startsWith("num.") || d.name.startsWith("pe.") ? "lox" : "machine";
  return { ...d, level, variadic: d.variadic ?? null };
});

/** Opcode numbers by key: `Op.loxAdd`. */
export const Op = Object.fromEntries(keys.map((k, i) => [k, i])) as { readonly [K in OpKey]: Opcode };

const BY_NAME: ReadonlyMap<string, Opcode> = new Map(OPCODES.map((info, i) => [info.name, i as Opcode]));

export function opcodeByName(name: string): Opcode | undefined {
  return BY_NAME.get(name);
}

/** The partial evaluator's context intrinsics: markers only, no run-time meaning. */
export function isContextOp(op: Opcode): boolean {
  return op === Op.peContextPush || op === Op.peContextUpdate || op === Op.peContextPop;
}

export function opInfo(op: Opcode): OpcodeInfo {
  return OPCODES[op] as OpcodeInfo;
}
