/**
 * Lox semantics for the IR interpreter: the `InterpreterHost` that
 * evaluates Lox-level instructions with `LoxOps` (the semantics the Wasm
 * engine's runtime shares) on a heap that never collects, calls closures by
 * running their function's IR, and turns exceptions into Lox runtime errors
 * with their trace.
 */
import {
  type FuncId, type GlobalId, type InterpreterHost, type IrFunction, IrInterpreter, LOX_IMPLICIT_PARAMS, type Module,
  LoxKind, Op, type Opcode, type SymbolId,
} from "../ir/index.ts";
import { isHostStackOverflow, LoxRuntimeError } from "./errors.ts";
import { type Heap, HeapExhausted, type RtVal } from "./heap.ts";
import { Cell, ObjType } from "./layout.ts";
import { closureIndex, LoxOps } from "./lox-ops.ts";
import { RuntimeMessage } from "./messages.ts";
import { readonlyFieldNames } from "./readonly-fields.ts";
import { NATIVE_INDEX } from "./native-specs.ts";
import type { Output } from "./output.ts";

const CALL_OPS: ReadonlySet<Opcode> = new Set([Op.loxCall, Op.loxInvoke, Op.loxSuperInvoke, Op.call]);

export class IrHost implements InterpreterHost {
  readonly interpreter: IrInterpreter;
  readonly ops: LoxOps;
  /** Unused at the Lox level (no machine code runs here). */
  shadowSp = 0;
  /** Interned strings of the module's symbols (this heap never collects, so addresses stay valid). */
  private readonly symbolStrings: (number | undefined)[] = [];

  constructor(readonly module: Module, readonly heap: Heap, private readonly output: Output, fuel = Infinity) {
    this.interpreter = new IrInterpreter(module, this, fuel);
    heap.initGlobals(module.globalCount);
    for (let g = 0; g < module.globalCount; g++) {
      const index = NATIVE_INDEX.get(module.globalName(g as GlobalId));
      if (index !== undefined) heap.writeVal(heap.globalAddr(g), BigInt(heap.newNative(index)));
    }
    this.ops = new LoxOps(heap, {
      functionName: (index) => module.func(index as FuncId).name,
      globalName: (id) => module.globalName(id as GlobalId),
    }, {
      callClosure: (closure, receiver, args) => {
        const fn = module.func(closureIndex(heap.closureFunc(closure)) as FuncId);
        return this.interpreter.run(fn, [BigInt(closure), receiver, ...args]) as RtVal;
      },
    }, output);
  }

  /** Runs the module's script. Runtime errors are thrown as `LoxRuntimeError`. */
  runScript(): void {
    const entry = this.module.entry;
    if (entry === null) throw new Error("internal error: module has no entry function");
    try {
      this.interpreter.call(entry, [null, null]);
    } catch (e) {
      // Stack exhaustion that no call instruction claimed (see `unwind`).
      if (isHostStackOverflow(e)) throw new LoxRuntimeError(RuntimeMessage.stackOverflow, 0);
      throw e;
    } finally {
      this.output.flush();
    }
  }

  memory(): DataView {
    return new DataView(this.heap.bytes.buffer);
  }

  growMemory(): number {
    return -1;
  }

  callImport(fn: IrFunction): unknown {
    throw new Error(`internal error: Lox-level IR calls no imports (called '${fn.name}')`);
  }

  /**
   * Turns exceptions into Lox runtime errors and records trace frames.
   * Host stack exhaustion becomes "Stack overflow." at the innermost frame
   * that is executing a call, with that call's line, as in the reference
   * (which fails when pushing a frame): frames it struck inside, before
   * their own first call, are not part of the trace.
   */
  unwind(error: unknown, fn: IrFunction, op: Opcode, line: number): unknown {
    // A dispatch stub (a `@monomorphize` function's) is not a frame of the program: its callee's frame is the function's.
    if (fn.attributes.some((a) => a.name === "dispatch")) return error;
    let e: unknown = error;
    if (isHostStackOverflow(e)) {
      if (!CALL_OPS.has(op)) return e;
      e = new LoxRuntimeError(RuntimeMessage.stackOverflow, line);
    } else if (e instanceof HeapExhausted) {
      e = new LoxRuntimeError(RuntimeMessage.outOfMemory, line);
    }
    if (e instanceof LoxRuntimeError) {
      e.line = line;
      e.leaveFrame(fn.id === this.module.entry ? null : fn.name);
    }
    return e;
  }

  private str(symbol: number): number {
    let s = this.symbolStrings[symbol];
    if (s === undefined) {
      s = this.heap.intern(this.module.symbolText(symbol as SymbolId));
      this.symbolStrings[symbol] = s;
    }
    return s;
  }

  private kindOf(a: RtVal): LoxKind {
    if (a === null) return LoxKind.nil;
    if (typeof a === "boolean") return LoxKind.bool;
    if (typeof a === "number") return LoxKind.num;
    if (typeof a !== "bigint") return LoxKind.other;
    const type = this.heap.type(Number(a));
    return type === ObjType.string ? LoxKind.str : type === ObjType.array ? LoxKind.array : LoxKind.other;
  }

  lox(op: Opcode, args: unknown[], imm: number, line: number): unknown {
    const a = args[0] as RtVal;
    const b = args[1] as RtVal;
    const ops = this.ops;
    const heap = this.heap;
    switch (op) {
      case Op.loxNum: return imm;
      case Op.loxNil: return null;
      case Op.loxTrue: return true;
      case Op.loxFalse: return false;
      case Op.loxStr: return BigInt(this.str(imm));
      case Op.loxObject: return BigInt(imm >>> 0);
      case Op.loxAdd: return ops.add(a, b, line);
      case Op.loxSub: ops.numbers(a, b, line); return (a as number) - (b as number);
      case Op.loxMul: ops.numbers(a, b, line); return (a as number) * (b as number);
      case Op.loxDiv: ops.numbers(a, b, line); return (a as number) / (b as number);
      case Op.loxMod: ops.numbers(a, b, line); return (a as number) % (b as number);
      case Op.loxLt: ops.numbers(a, b, line); return (a as number) < (b as number);
      case Op.loxLe: ops.numbers(a, b, line); return (a as number) <= (b as number);
      case Op.loxGt: ops.numbers(a, b, line); return (a as number) > (b as number);
      case Op.loxGe: ops.numbers(a, b, line); return (a as number) >= (b as number);
      case Op.loxNeg:
        if (typeof a !== "number") throw new LoxRuntimeError(RuntimeMessage.operandNumber, line);
        return -a;
      case Op.loxNot: return a === null || a === false;
      case Op.loxEq: return a === b;
      case Op.loxNe: return a !== b;
      case Op.loxTruthy: return a === null || a === false ? 0 : 1;
      case Op.loxIs: return this.kindOf(a) === imm;
      case Op.numAdd: return (a as number) + (b as number);
      case Op.numFloor: return Math.floor(a as number);
      case Op.numSub: return (a as number) - (b as number);
      case Op.numMul: return (a as number) * (b as number);
      case Op.numDiv: return (a as number) / (b as number);
      case Op.numLt: return (a as number) < (b as number);
      case Op.numLe: return (a as number) <= (b as number);
      case Op.numGt: return (a as number) > (b as number);
      case Op.numGe: return (a as number) >= (b as number);
      case Op.numEq: return (a as number) === (b as number);
      case Op.numNe: return (a as number) !== (b as number);
      case Op.loxGlobalGet: {
        const v = heap.readVal(heap.globalAddr(imm));
        if (v === undefined) ops.undefinedVariable(imm, line);
        return v;
      }
      case Op.loxGlobalSet: {
        const at = heap.globalAddr(imm);
        if (heap.readVal(at) === undefined) ops.undefinedVariable(imm, line);
        heap.writeVal(at, a);
        return undefined;
      }
      case Op.loxGlobalDefine: heap.writeVal(heap.globalAddr(imm), a); return undefined;
      case Op.loxCellNew: return BigInt(heap.newCell(a));
      case Op.loxCellGet: return heap.readVal(Number(a) + Cell.value);
      case Op.loxCellSet: heap.writeVal(Number(a) + Cell.value, b); return undefined;
      case Op.loxClosureCell: return BigInt(heap.closureCell(Number(a), imm));
      case Op.loxClosure: {
        const arity = this.module.func(imm as FuncId).params.length - LOX_IMPLICIT_PARAMS;
        return BigInt(heap.newClosure(imm | (arity << 24), (args as bigint[]).map(Number)));
      }
      case Op.loxCall: return ops.callValue(a, args.slice(1) as RtVal[], line);
      case Op.loxInvoke: return ops.invoke(a, this.str(imm), args.slice(1) as RtVal[], line);
      case Op.loxSuperInvoke: return ops.superInvoke(a, b, this.str(imm), args.slice(2) as RtVal[], line);
      case Op.loxSuperGet: return ops.superGet(a, b, this.str(imm), line);
      case Op.loxGet: return ops.get(a, this.str(imm), line);
      case Op.loxSet: ops.set(a, this.str(imm), b, line); return undefined;
      case Op.loxClass: {
        const decl = this.module.classDecl(imm as never);
        return ops.klass(heap.intern(decl.name), readonlyFieldNames(decl.attributes).map((n) => heap.intern(n)));
      }
      case Op.loxInherit: ops.inherit(a, b, line); return undefined;
      case Op.loxMethod: ops.method(a, this.str(imm), b); return undefined;
      case Op.loxArray: return ops.array(args as RtVal[]);
      case Op.loxIndexGet: return ops.indexGet(a, b, line);
      case Op.loxIndexSet: ops.indexSet(a, b, args[2] as RtVal, line); return undefined;
      case Op.loxPrint: ops.print(a); return undefined;
      default:
        throw new Error(`internal error: the IR engine has no rule for opcode ${op}`);
    }
  }
}
