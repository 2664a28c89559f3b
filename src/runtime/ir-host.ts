/**
 * Lox semantics for the IR interpreter: the `InterpreterHost` that
 * evaluates every Lox-level op on the heap (`heap.ts`), calls closures,
 * bound methods, classes and natives, prints, and turns exceptions into Lox
 * runtime errors with their trace. Messages come from `messages.ts`, like
 * every engine's.
 */
import {
  type FuncId, type GlobalId, type InterpreterHost, type IrFunction, IrInterpreter, LOX_IMPLICIT_PARAMS, type Module,
  Op, type Opcode, type SymbolId,
} from "../ir/index.ts";
import { isHostStackOverflow, LoxRuntimeError } from "./errors.ts";
import { type Heap, HeapExhausted, type RtVal } from "./heap.ts";
import { HEAP_NATIVES, type NativeContext } from "./heap-natives.ts";
import { Bound, Klass, Native, ObjType } from "./layout.ts";
import { RuntimeMessage } from "./messages.ts";
import { NATIVE_INDEX, NATIVE_SPECS } from "./native-specs.ts";
import { formatNumber } from "./number-format.ts";
import type { Output } from "./output.ts";

const CALL_OPS: ReadonlySet<Opcode> = new Set([Op.loxCall, Op.loxInvoke, Op.loxSuperInvoke, Op.call]);

export class IrHost implements InterpreterHost {
  readonly interpreter: IrInterpreter;
  private readonly symbolStrings: (bigint | undefined)[] = [];
  private readonly natives: NativeContext;

  constructor(readonly module: Module, readonly heap: Heap, private readonly output: Output, fuel = Infinity) {
    this.interpreter = new IrInterpreter(module, this, fuel);
    heap.initGlobals(module.globalCount);
    for (let g = 0; g < module.globalCount; g++) {
      const index = NATIVE_INDEX.get(module.globalName(g as GlobalId));
      if (index !== undefined) heap.writeVal(heap.globalAddr(g), BigInt(heap.newNative(index)));
    }
    const host = this;
    this.natives = {
      heap,
      fail(message: string): never {
        throw new LoxRuntimeError(message, 0);
      },
      stringify: (v) => host.stringify(v),
    };
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
    return this.heap.memory;
  }

  growMemory(): number {
    return -1;
  }

  /**
   * Turns exceptions into Lox runtime errors and records trace frames.
   * Host stack exhaustion becomes "Stack overflow." at the innermost frame
   * that is executing a call, with that call's line, as in the reference
   * (which fails when pushing a frame): frames it struck inside, before
   * their own first call, are not part of the trace.
   */
  unwind(error: unknown, fn: IrFunction, op: Opcode, line: number): unknown {
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

  // ---------------- values ----------------

  private isObj(v: RtVal, type: number): v is bigint {
    return typeof v === "bigint" && this.heap.type(Number(v)) === type;
  }

  private str(symbol: number): bigint {
    let s = this.symbolStrings[symbol];
    if (s === undefined) {
      s = BigInt(this.heap.intern(this.module.symbolText(symbol as SymbolId)));
      this.symbolStrings[symbol] = s;
    }
    return s;
  }

  stringify(v: RtVal, visiting: Set<bigint> | null = null): string {
    if (v === null) return "nil";
    if (typeof v === "number") return formatNumber(v);
    if (typeof v === "boolean") return v ? "true" : "false";
    if (v === undefined) return "<undefined>";
    const heap = this.heap;
    const addr = Number(v);
    switch (heap.type(addr)) {
      case ObjType.string: return heap.stringText(addr);
      case ObjType.closure: return `<fn ${this.module.func(heap.closureFunc(addr) as FuncId).name}>`;
      case ObjType.boundMethod: return `<fn ${this.module.func(heap.closureFunc(heap.u32(addr + Bound.closure)) as FuncId).name}>`;
      case ObjType.native: return "<native fn>";
      case ObjType.klass: return heap.stringText(heap.u32(addr + Klass.name));
      case ObjType.instance: return `${heap.stringText(heap.u32(heap.u32(addr + 4) + Klass.name))} instance`;
      case ObjType.array: {
        const seen = visiting ?? new Set<bigint>();
        if (seen.has(v)) return "[...]";
        seen.add(v);
        const parts: string[] = [];
        for (let i = 0; i < heap.arrayLength(addr); i++) parts.push(this.stringify(heap.arrayGet(addr, i), seen));
        seen.delete(v);
        return `[${parts.join(", ")}]`;
      }
      default: return `<object ${addr}>`;
    }
  }

  // ---------------- calls ----------------

  private callClosure(closure: number, receiver: RtVal, args: RtVal[], line: number): RtVal {
    const fn = this.module.func(this.heap.closureFunc(closure) as FuncId);
    const arity = fn.params.length - LOX_IMPLICIT_PARAMS;
    if (args.length !== arity) throw new LoxRuntimeError(RuntimeMessage.arity(arity, args.length), line);
    return this.interpreter.run(fn, [BigInt(closure), receiver, ...args]) as RtVal;
  }

  private callValue(callee: RtVal, args: RtVal[], line: number): RtVal {
    if (typeof callee === "bigint") {
      const heap = this.heap;
      const addr = Number(callee);
      switch (heap.type(addr)) {
        case ObjType.closure:
          return this.callClosure(addr, null, args, line);
        case ObjType.boundMethod:
          return this.callClosure(heap.u32(addr + Bound.closure), heap.readVal(addr + Bound.receiver), args, line);
        case ObjType.klass: {
          const instance = BigInt(heap.newInstance(addr));
          const init = heap.u32(addr + Klass.init);
          if (init !== 0) this.callClosure(init, instance, args, line);
          else if (args.length !== 0) throw new LoxRuntimeError(RuntimeMessage.arity(0, args.length), line);
          return instance;
        }
        case ObjType.native: {
          const index = heap.u32(addr + Native.index);
          const spec = NATIVE_SPECS[index];
          if (spec === undefined) break;
          if (args.length !== spec.arity) throw new LoxRuntimeError(RuntimeMessage.arity(spec.arity, args.length), line);
          return (HEAP_NATIVES[index] as (a: RtVal[], c: NativeContext) => RtVal)(args, this.natives);
        }
        default:
          break;
      }
    }
    throw new LoxRuntimeError(RuntimeMessage.canOnlyCall, line);
  }

  private checkIndex(object: RtVal, index: RtVal, line: number): number {
    if (!this.isObj(object, ObjType.array)) throw new LoxRuntimeError(RuntimeMessage.onlyArraysIndexed, line);
    if (typeof index !== "number" || !Number.isInteger(index)) throw new LoxRuntimeError(RuntimeMessage.indexNotInteger, line);
    const a = Number(object);
    const length = this.heap.arrayLength(a);
    if (index < 0 || index >= length) throw new LoxRuntimeError(RuntimeMessage.indexOutOfBounds(index, length), line);
    return a;
  }

  private numbers(a: RtVal, b: RtVal, line: number): void {
    if (typeof a !== "number" || typeof b !== "number") throw new LoxRuntimeError(RuntimeMessage.operandsNumbers, line);
  }

  // ---------------- the Lox-level ops ----------------

  lox(op: Opcode, args: unknown[], imm: number, line: number): unknown {
    const a = args[0] as RtVal;
    const b = args[1] as RtVal;
    const heap = this.heap;
    try {
      switch (op) {
        case Op.loxNum: return imm;
        case Op.loxNil: return null;
        case Op.loxTrue: return true;
        case Op.loxFalse: return false;
        case Op.loxStr: return this.str(imm);
        case Op.loxAdd:
          if (typeof a === "number" && typeof b === "number") return a + b;
          if (this.isObj(a, ObjType.string) && this.isObj(b, ObjType.string)) {
            return BigInt(heap.intern(heap.stringText(Number(a)) + heap.stringText(Number(b))));
          }
          throw new LoxRuntimeError(RuntimeMessage.operandsNumbersOrStrings, line);
        case Op.loxSub: this.numbers(a, b, line); return (a as number) - (b as number);
        case Op.loxMul: this.numbers(a, b, line); return (a as number) * (b as number);
        case Op.loxDiv: this.numbers(a, b, line); return (a as number) / (b as number);
        case Op.loxMod: this.numbers(a, b, line); return (a as number) % (b as number);
        case Op.loxLt: this.numbers(a, b, line); return (a as number) < (b as number);
        case Op.loxLe: this.numbers(a, b, line); return (a as number) <= (b as number);
        case Op.loxGt: this.numbers(a, b, line); return (a as number) > (b as number);
        case Op.loxGe: this.numbers(a, b, line); return (a as number) >= (b as number);
        case Op.loxNeg:
          if (typeof a !== "number") throw new LoxRuntimeError(RuntimeMessage.operandNumber, line);
          return -a;
        case Op.loxNot: return a === null || a === false;
        case Op.loxEq: return a === b;
        case Op.loxNe: return a !== b;
        case Op.loxTruthy: return a === null || a === false ? 0 : 1;
        case Op.loxGlobalGet: {
          const v = heap.readVal(heap.globalAddr(imm));
          if (v === undefined) throw new LoxRuntimeError(RuntimeMessage.undefinedVariable(this.module.globalName(imm as GlobalId)), line);
          return v;
        }
        case Op.loxGlobalSet: {
          const addr = heap.globalAddr(imm);
          if (heap.readVal(addr) === undefined) {
            throw new LoxRuntimeError(RuntimeMessage.undefinedVariable(this.module.globalName(imm as GlobalId)), line);
          }
          heap.writeVal(addr, a);
          return undefined;
        }
        case Op.loxGlobalDefine: heap.writeVal(heap.globalAddr(imm), a); return undefined;
        case Op.loxCellNew: return BigInt(heap.newCell(a));
        case Op.loxCellGet: return heap.readVal(Number(a) + 8);
        case Op.loxCellSet: heap.writeVal(Number(a) + 8, b); return undefined;
        case Op.loxClosureCell: return BigInt(heap.closureCell(Number(a), imm));
        case Op.loxClosure: return BigInt(heap.newClosure(imm, (args as bigint[]).map(Number)));
        case Op.loxCall: return this.callValue(a, args.slice(1) as RtVal[], line);
        case Op.loxInvoke: {
          const name = Number(this.str(imm));
          if (!this.isObj(a, ObjType.instance)) throw new LoxRuntimeError(RuntimeMessage.onlyInstancesHaveMethods, line);
          const field = heap.fieldGet(Number(a), name);
          if (field !== undefined) return this.callValue(field, args.slice(1) as RtVal[], line);
          const method = heap.classMethod(heap.u32(Number(a) + 4), name);
          if (method === undefined) throw new LoxRuntimeError(RuntimeMessage.undefinedProperty(this.module.symbolText(imm as SymbolId)), line);
          return this.callClosure(method, a, args.slice(1) as RtVal[], line);
        }
        case Op.loxSuperInvoke: {
          const method = heap.classMethod(Number(b), Number(this.str(imm)));
          if (method === undefined) throw new LoxRuntimeError(RuntimeMessage.undefinedProperty(this.module.symbolText(imm as SymbolId)), line);
          return this.callClosure(method, a, args.slice(2) as RtVal[], line);
        }
        case Op.loxSuperGet: {
          const method = heap.classMethod(Number(b), Number(this.str(imm)));
          if (method === undefined) throw new LoxRuntimeError(RuntimeMessage.undefinedProperty(this.module.symbolText(imm as SymbolId)), line);
          return BigInt(heap.newBoundMethod(a, method));
        }
        case Op.loxGet: {
          if (!this.isObj(a, ObjType.instance)) throw new LoxRuntimeError(RuntimeMessage.onlyInstancesHaveProperties, line);
          const name = Number(this.str(imm));
          const field = heap.fieldGet(Number(a), name);
          if (field !== undefined) return field;
          const method = heap.classMethod(heap.u32(Number(a) + 4), name);
          if (method === undefined) throw new LoxRuntimeError(RuntimeMessage.undefinedProperty(this.module.symbolText(imm as SymbolId)), line);
          return BigInt(heap.newBoundMethod(a, method));
        }
        case Op.loxSet:
          if (!this.isObj(a, ObjType.instance)) throw new LoxRuntimeError(RuntimeMessage.onlyInstancesHaveFields, line);
          heap.fieldSet(Number(a), Number(this.str(imm)), b);
          return undefined;
        case Op.loxClass: return BigInt(heap.newClass(heap.intern(this.module.classDecl(imm as never).name)));
        case Op.loxInherit: {
          if (!this.isObj(b, ObjType.klass)) throw new LoxRuntimeError(RuntimeMessage.superclassMustBeClass, line);
          const superclass = Number(b);
          for (const [name, method] of heap.tableEntries(heap.u32(superclass + Klass.methods))) {
            heap.setClassMethod(Number(a), name, Number(method as bigint));
          }
          return undefined;
        }
        case Op.loxMethod: heap.setClassMethod(Number(a), Number(this.str(imm)), Number(b)); return undefined;
        case Op.loxArray: return BigInt(heap.newArray(args as RtVal[]));
        case Op.loxIndexGet: return heap.arrayGet(this.checkIndex(a, b, line), b as number);
        case Op.loxIndexSet: {
          const array = this.checkIndex(a, b, line);
          if (heap.isFrozen(array)) throw new LoxRuntimeError(RuntimeMessage.frozenArray, line);
          heap.arraySet(array, b as number, args[2] as RtVal);
          return undefined;
        }
        case Op.loxPrint: this.output.write(this.stringify(a) + "\n"); return undefined;
        default:
          throw new Error(`internal error: the IR engine has no rule for opcode ${op}`);
      }
    } catch (e) {
      // Natives report failures without knowing the line: give them this call's.
      if (e instanceof LoxRuntimeError && e.frames.length === 0 && e.line === 0) e.line = line;
      throw e;
    }
  }
}
