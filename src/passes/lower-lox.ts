/**
 * lower-lox: rewrites every Lox-level instruction into machine-level IR:
 * constants become `val.const` (strings and class names by the address of
 * their object in the initial heap image), globals become loads and stores
 * of their slot, and every other operation becomes a call of its runtime
 * library helper (fast path inline in the helper, host import behind it) or
 * of a host import directly, with the instruction's source line as an
 * argument so errors report it. Each field access and invoke site gets its
 * own inline-cache cell. An instruction keeps its value id and span, so
 * uses and debug locations stay right.
 *
 * Assumes: the module's Lox functions are Lox-level IR; the image gives
 * addresses for every symbol, class and global the code names.
 */
import {
  type Block, type ClassId, type FunctionBody, type GlobalId, type IrFunction, isContextOp, type Module, Op, type Opcode, opInfo,
  LOX_KIND_NAMES, type SymbolId, Type, type Value, ValueKind,
} from "../ir/index.ts";
import {
  FALSE_BITS, IC_REGION_END, IC_REGION_START, NIL_BITS, OBJECT_TAG_BITS, POLY_ENTRIES, TRUE_BITS,
} from "../runtime/layout.ts";
import { readonlyFieldNames } from "../runtime/readonly-fields.ts";
import type { RuntimeLibrary } from "../runtime/wasm-lib/library.ts";
import { globalWrites } from "./global-writes.ts";
import { INTRINSIC_NATIVES, MAX_INLINE_ARRAY } from "../runtime/wasm-lib/helpers.ts";

/** Addresses in the initial heap image that compiled code embeds. */
export interface ImageAddresses {
  symbol(id: SymbolId): number;
  className(id: ClassId): number;
  globalSlot(id: GlobalId): number;
}

/** Hands out inline-cache cells; 0 (no cache) once the region is full. */
export class CacheCells {
  private next: number;
  constructor(start = IC_REGION_START, private readonly end = IC_REGION_END) {
    this.next = start;
  }
  /** A cell of `bytes` (8, or 16 for field writes); 0 when the region is full. */
  take(bytes = 8): number {
    if (this.next + bytes > this.end) return 0;
    const cell = this.next;
    this.next += bytes;
    return cell;
  }
}

const SIMPLE_HELPERS: ReadonlyMap<Opcode, string> = new Map([
  [Op.loxAdd, "add"], [Op.loxSub, "sub"], [Op.loxMul, "mul"], [Op.loxDiv, "div"], [Op.loxMod, "mod"],
]);

/** The helper of each Lox comparison: its test as an i32, or a run-time error for operands that are not numbers. */
const COMPARISON_HELPERS: ReadonlyMap<Opcode, string> = new Map([
  [Op.loxLt, "lt"], [Op.loxLe, "le"], [Op.loxGt, "gt"], [Op.loxGe, "ge"],
]);

/** The f64 instruction of each `num.*` op (operands known to be numbers). */
const NUMBER_OPS: ReadonlyMap<Opcode, Opcode> = new Map([
  [Op.numAdd, Op.f64Add], [Op.numSub, Op.f64Sub], [Op.numMul, Op.f64Mul], [Op.numDiv, Op.f64Div],
  [Op.numLt, Op.f64Lt], [Op.numLe, Op.f64Le], [Op.numGt, Op.f64Gt], [Op.numGe, Op.f64Ge],
  [Op.numEq, Op.f64Eq], [Op.numNe, Op.f64Ne],
]);

function f64Bits(x: number): bigint {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  return view.getBigInt64(0);
}

class FunctionLowerer {
  private out: Value[] = [];
  private current!: Value;

  constructor(
    private readonly module: Module,
    private readonly body: FunctionBody,
    private readonly lib: RuntimeLibrary,
    private readonly image: ImageAddresses,
    private readonly caches: CacheCells,
    private readonly knownFunctions: ReadonlyMap<GlobalId, IrFunction> = new Map(),
  ) {}

  /** The i32 test each Lox boolean lowered so far was made from (`testOf`). */
  private readonly tests = new Map<Value, Value>();
  /** Values read from the global of a native that has an inline fast path, and that native's name. */
  private readonly nativeReads = new Map<Value, string>();
  /** Values read from a global that only ever holds one function's closure, and that function. */
  private readonly functionReads = new Map<Value, IrFunction>();

  run(): void {
    const body = this.body;
    for (const b of body.blocks()) {
      for (const v of body.blockInsts(b)) {
        if (body.kind(v) !== ValueKind.inst || body.opcode(v) !== Op.loxGlobalGet) continue;
        const name = this.module.globalName(body.imm(v) as GlobalId);
        if (INTRINSIC_NATIVES.has(name)) this.nativeReads.set(v, name);
        const known = this.knownFunctions.get(body.imm(v) as GlobalId);
        if (known !== undefined) this.functionReads.set(v, known);
      }
    }
    for (const b of body.blocks()) this.lowerBlock(b);
  }

  private lowerBlock(b: Block): void {
    this.out = [];
    for (const v of this.body.blockInsts(b)) {
      this.current = v;
      const isInst = this.body.kind(v) === ValueKind.inst;
      if (isInst && isContextOp(this.body.opcode(v))) continue; // only the partial evaluator reads these
      if (isInst && opInfo(this.body.opcode(v)).level === "lox") this.lowerInst(v);
      else this.out.push(v);
    }
    this.body.setBlockInsts(b, this.out);
  }

  /** A new instruction before the one being lowered, with its span. */
  private emit(op: Opcode, args: readonly Value[], imm = 0, type?: Type): Value {
    const v = this.body.createInst(op, args, imm, type);
    this.body.copySpan(this.current, v);
    this.out.push(v);
    return v;
  }

  private i32(n: number): Value {
    return this.emit(Op.i32Const, [], n | 0);
  }

  private line(v: Value): Value {
    return this.i32(this.body.span(v)?.line ?? 0);
  }

  /** Rewrites `v` itself into its final instruction and keeps it in place. */
  private become(v: Value, op: Opcode, args: readonly Value[], imm = 0, type?: Type): void {
    this.body.rewriteInst(v, op, args, imm, type);
    this.out.push(v);
  }

  private becomeConst(v: Value, bits: bigint): void {
    this.become(v, Op.valConst, [], this.body.i64Index(BigInt.asIntN(64, bits)));
  }

  private becomeCall(v: Value, fn: number, args: readonly Value[]): void {
    this.become(v, Op.call, args, fn, this.module.func(fn as never).result);
  }

  /**
   * The i32 test a Lox boolean stands for, for the operations that make
   * one from a test (comparisons, `lox.is`, `==`, `!=`, `!`):
   * `lox.truthy` of such a value is the test itself, with no boolean made
   * and then tested. Emitted before `x`'s own lowering (so `x` can be that
   * test's boolean), or at a later `lox.truthy` of `x` when the blocks are
   * lowered out of dominance order; null for other values.
   */
  private testOf(x: Value): Value | null {
    const known = this.tests.get(x);
    if (known !== undefined) return known;
    const body = this.body;
    if (body.kind(x) !== ValueKind.inst) return null;
    const op = body.opcode(x);
    const args = body.args(x);
    switch (op) {
      case Op.numLt: case Op.numLe: case Op.numGt: case Op.numGe: case Op.numEq: case Op.numNe:
        return this.emit(NUMBER_OPS.get(op) as Opcode, this.f64Operands(args));
      case Op.loxIs: return this.emit(Op.call, args, this.lib.helper(`test.${LOX_KIND_NAMES[body.imm(x)]}`), Type.i32);
      case Op.loxLt: case Op.loxLe: case Op.loxGt: case Op.loxGe:
        return this.emit(Op.call, [...args, this.line(x)], this.lib.helper(COMPARISON_HELPERS.get(op) as string), Type.i32);
      case Op.loxEq: return this.emit(Op.call, args, this.lib.helper("equal"), Type.i32);
      case Op.loxNe: return this.emit(Op.i32Eqz, [this.emit(Op.call, args, this.lib.helper("equal"), Type.i32)]);
      case Op.loxNot: return this.emit(Op.i32Eqz, [this.truthyTest(args[0] as Value)]);
      default: return null;
    }
  }

  /** i32: whether `x` is truthy (its test, or the `truthy` helper's answer). */
  private truthyTest(x: Value): Value {
    return this.testOf(x) ?? this.emit(Op.call, [x], this.lib.helper("truthy"), Type.i32);
  }

  /** Lowers `v`, a Lox boolean made from a test, to that test's boolean, and remembers the test. */
  private becomeBoolean(v: Value): void {
    const test = this.testOf(v) as Value;
    this.tests.set(v, test);
    const yes = this.emit(Op.valConst, [], this.body.i64Index(BigInt.asIntN(64, TRUE_BITS)));
    const no = this.emit(Op.valConst, [], this.body.i64Index(BigInt.asIntN(64, FALSE_BITS)));
    this.become(v, Op.select, [test, yes, no], 0, Type.val);
  }

  /** The f64 of each operand (numbers, as the `num.*` ops guarantee). */
  private f64Operands(args: readonly Value[]): Value[] {
    return args.map((a) => this.emit(Op.f64ReinterpretI64, [this.emit(Op.valBits, [a])]));
  }

  /** A new `val.const` of the image's string for a symbol. */
  private stringConst(symbol: SymbolId): Value {
    return this.emit(Op.valConst, [], this.body.i64Index(BigInt.asIntN(64, OBJECT_TAG_BITS | BigInt(this.image.symbol(symbol)))));
  }

  /** Stores values at the shadow stack pointer for a host import; returns the address. */
  private storeArgs(values: readonly Value[]): Value {
    const sp = this.emit(Op.shadowSpGet, []);
    values.forEach((x, i) => this.emit(Op.i64Store, [sp, this.emit(Op.valBits, [x])], 8 * i));
    return sp;
  }

  private lowerInst(v: Value): void {
    const body = this.body;
    const op = body.opcode(v);
    const args = body.args(v);
    const imm = body.imm(v);
    const lib = this.lib;
    const helper = SIMPLE_HELPERS.get(op);
    if (helper !== undefined) {
      const line = this.line(v);
      this.becomeCall(v, lib.helper(helper), [...args, line]);
      return;
    }
    switch (op) {
      case Op.loxNum: this.becomeConst(v, f64Bits(imm)); return;
      case Op.loxNil: this.becomeConst(v, NIL_BITS); return;
      case Op.loxTrue: this.becomeConst(v, TRUE_BITS); return;
      case Op.loxFalse: this.becomeConst(v, FALSE_BITS); return;
      case Op.loxStr: this.becomeConst(v, OBJECT_TAG_BITS | BigInt(this.image.symbol(imm as SymbolId))); return;
      case Op.loxObject: this.becomeConst(v, OBJECT_TAG_BITS | BigInt(imm >>> 0)); return;
      case Op.loxNeg: this.becomeCall(v, lib.helper("neg"), [...args, this.line(v)]); return;
      case Op.loxNot: case Op.loxEq: case Op.loxNe: this.becomeBoolean(v); return;
      case Op.loxTruthy: {
        const test = this.testOf(args[0] as Value);
        if (test !== null) this.become(v, Op.i32Ne, [test, this.i32(0)]);
        else this.becomeCall(v, lib.helper("truthy"), args);
        return;
      }
      case Op.numAdd: case Op.numSub: case Op.numMul: case Op.numDiv: {
        const f = this.emit(NUMBER_OPS.get(op) as Opcode, this.f64Operands(args));
        this.become(v, Op.valFromBits, [this.emit(Op.i64ReinterpretF64, [f])]);
        return;
      }
      case Op.numFloor: {
        const f = this.emit(Op.f64Floor, this.f64Operands(args));
        this.become(v, Op.valFromBits, [this.emit(Op.i64ReinterpretF64, [f])]);
        return;
      }
      case Op.numLt: case Op.numLe: case Op.numGt: case Op.numGe: case Op.numEq: case Op.numNe: case Op.loxIs:
      case Op.loxLt: case Op.loxLe: case Op.loxGt: case Op.loxGe:
        this.becomeBoolean(v);
        return;
      case Op.loxGlobalGet: {
        const slot = this.i32(this.image.globalSlot(imm as GlobalId));
        this.becomeCall(v, lib.helper("globalGet"), [slot, this.i32(imm), this.line(v)]);
        return;
      }
      case Op.loxGlobalSet: {
        const slot = this.i32(this.image.globalSlot(imm as GlobalId));
        this.becomeCall(v, lib.helper("globalSet"), [slot, this.i32(imm), args[0] as Value, this.line(v)]);
        return;
      }
      case Op.loxGlobalDefine: {
        const slot = this.i32(this.image.globalSlot(imm as GlobalId));
        this.become(v, Op.i64Store, [slot, this.emit(Op.valBits, [args[0] as Value])], 0);
        return;
      }
      case Op.loxCellNew: this.becomeCall(v, lib.helper("cellNew"), args); return;
      case Op.loxCellGet: this.becomeCall(v, lib.helper("cellGet"), args); return;
      case Op.loxCellSet: this.becomeCall(v, lib.helper("cellSet"), args); return;
      case Op.loxClosureCell: this.becomeCall(v, lib.helper("closureCell"), [args[0] as Value, this.i32(imm)]); return;
      case Op.loxClosure: {
        const callee = this.module.func(imm as never);
        const arity = callee.params.length - 2;
        this.becomeCall(v, lib.helper(`closure.${args.length}`), [this.i32(imm | (arity << 24)), ...args]);
        return;
      }
      case Op.loxCall: {
        const line = this.line(v);
        const native = this.nativeReads.get(args[0] as Value);
        if (native !== undefined && args.length === 1 + (INTRINSIC_NATIVES.get(native) as number)) {
          this.becomeCall(v, lib.helper(`native.${native}`), [...args, line]);
          return;
        }
        const known = this.functionReads.get(args[0] as Value);
        if (known !== undefined && known.params.length - 2 === args.length - 1) {
          this.becomeCall(v, lib.helper(`callDirect.${known.id}.${args.length - 1}`), [...args, line]);
          return;
        }
        this.becomeCall(v, lib.helper(`call.${args.length - 1}`), [...args, line]);
        return;
      }
      case Op.loxInvoke: {
        const [receiver, ...rest] = args as [Value, ...Value[]];
        const name = this.i32(this.image.symbol(imm as SymbolId));
        const cache = this.i32(this.caches.take(8 * POLY_ENTRIES));
        const line = this.line(v);
        this.becomeCall(v, lib.helper(`invoke.${rest.length}`), [receiver, name, cache, ...rest, line]);
        return;
      }
      case Op.loxSuperInvoke: {
        const [receiver, superclass, ...rest] = args as [Value, Value, ...Value[]];
        const name = this.i32(this.image.symbol(imm as SymbolId));
        const cache = this.i32(this.caches.take());
        const line = this.line(v);
        this.becomeCall(v, lib.helper(`superInvoke.${rest.length}`), [receiver, superclass, name, cache, ...rest, line]);
        return;
      }
      case Op.loxSuperGet: {
        const name = this.i32(this.image.symbol(imm as SymbolId));
        this.becomeCall(v, lib.importFn("superGet"), [args[0] as Value, args[1] as Value, name, this.line(v)]);
        return;
      }
      case Op.loxGet: {
        const name = this.i32(this.image.symbol(imm as SymbolId));
        const cache = this.i32(this.caches.take(8 * POLY_ENTRIES));
        this.becomeCall(v, lib.helper("get"), [args[0] as Value, name, cache, this.line(v)]);
        return;
      }
      case Op.loxSet: {
        const name = this.i32(this.image.symbol(imm as SymbolId));
        const cache = this.i32(this.caches.take(16));
        this.becomeCall(v, lib.helper("set"), [args[0] as Value, name, args[1] as Value, cache, this.line(v)]);
        return;
      }
      case Op.loxClass: {
        // The readonly field names are symbols (src/lower), so strings of the image.
        const names = readonlyFieldNames(this.module.classDecl(imm as ClassId).attributes);
        const strings = names.map((n) => this.stringConst(this.module.symbol(n)));
        const stored = strings.length === 0 ? this.i32(0) : this.storeArgs(strings);
        this.becomeCall(v, lib.importFn("klass"), [this.i32(this.image.className(imm as ClassId)), stored, this.i32(strings.length)]);
        return;
      }
      case Op.loxInherit: this.becomeCall(v, lib.importFn("inherit"), [...args, this.line(v)]); return;
      case Op.loxMethod: {
        const name = this.i32(this.image.symbol(imm as SymbolId));
        this.becomeCall(v, lib.importFn("method"), [args[0] as Value, name, args[1] as Value]);
        return;
      }
      case Op.loxArray: {
        if (args.length <= MAX_INLINE_ARRAY) {
          this.becomeCall(v, lib.helper(`array.${args.length}`), args);
          return;
        }
        const stored = this.storeArgs(args);
        this.becomeCall(v, lib.importFn("array"), [stored, this.i32(args.length)]);
        return;
      }
      case Op.loxIndexGet: this.becomeCall(v, lib.helper("indexGet"), [...args, this.line(v)]); return;
      case Op.loxIndexSet: this.becomeCall(v, lib.helper("indexSet"), [...args, this.line(v)]); return;
      case Op.loxPrint: this.becomeCall(v, lib.importFn("print"), args); return;
      default:
        throw new Error(`internal error: lower-lox has no rule for ${body.opcode(v)}`);
    }
  }
}

/**
 * Lowers every Lox function of the module (helpers and imports are added as
 * needed). `directCalls`: whether a function's IR id is its slot in the function
 * table, as in a program's own module (not in a module linked into a
 * running program), so that a closure's function word identifies it.
 */
export function lowerLox(module: Module, lib: RuntimeLibrary, image: ImageAddresses, caches: CacheCells, directCalls = true): void {
  const loxFunctions: IrFunction[] = module.functions.filter((f) => f.kind === "lox");
  const known = directCalls ? knownGlobalFunctions(module, loxFunctions) : new Map<GlobalId, IrFunction>();
  for (const fn of loxFunctions) new FunctionLowerer(module, fn.body, lib, image, caches, known).run();
}

/**
 * Globals that can only ever hold one function: defined once, by a closure
 * that captures nothing, and never assigned. A call through such a global
 * goes to the function's table slot once one compare confirms that the
 * callee is a closure of it (the check alone makes this sound: every
 * closure of a function is called the same way; the analysis only picks
 * the function).
 */
function knownGlobalFunctions(module: Module, functions: readonly IrFunction[]): Map<GlobalId, IrFunction> {
  const { defines, assigned } = globalWrites(functions);
  const known = new Map<GlobalId, IrFunction>();
  for (const [g, writes] of defines) {
    const [only] = writes;
    if (writes.length !== 1 || only === undefined || assigned.has(g)) continue;
    const { body, value } = only;
    const isPlainClosure = body.kind(value) === ValueKind.inst && body.opcode(value) === Op.loxClosure && body.args(value).length === 0;
    if (isPlainClosure) known.set(g, module.func(body.imm(value) as never));
  }
  return known;
}
