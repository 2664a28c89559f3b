/**
 * Lox semantics on the heap: every operation the engines cannot (or do not
 * yet) do inline, with the exact messages of `messages.ts`. The IR engine
 * evaluates Lox-level instructions with it; the Wasm engine's imports are
 * its slow paths. Engines differ only in how a closure is called
 * (`CallBridge`): the IR interpreter runs the function's IR, Wasm calls
 * through the function table.
 *
 * Values are `RtVal`s (heap.ts). Inline-cache cells (8 bytes: key, data;
 * layout.ts) are filled here when an access can be repeated by the fast
 * path: a field read or write at a known slot (key: the instance's shape,
 * data: the slot), a method invoked on an instance without a field of that
 * name (key: shape, data: the method's closure). Cache address 0 means none.
 */
import { LoxRuntimeError } from "./errors.ts";
import type { Heap, RtVal } from "./heap.ts";
import { HEAP_NATIVES, type NativeContext } from "./heap-natives.ts";
import { Bound, Flag, Instance, Klass, Native, ObjType, POLY_ENTRIES, Shape } from "./layout.ts";
import { RuntimeMessage } from "./messages.ts";
import { NATIVE_SPECS } from "./native-specs.ts";
import { formatNumber } from "./number-format.ts";
import type { Output } from "./output.ts";

export interface CallBridge {
  /** Runs the function of `closure` with the receiver and arguments (arity already checked). */
  callClosure(closure: number, receiver: RtVal, args: RtVal[]): RtVal;
}

/** What the semantics need to know about the program. */
export interface ProgramInfo {
  functionName(index: number): string;
  globalName(id: number): string;
}

/** A closure's function word: table index in the low 24 bits, arity in the high 8. */
export function closureIndex(word: number): number {
  return word & 0xffffff;
}
export function closureArity(word: number): number {
  return word >>> 24;
}

export class LoxOps {
  private readonly natives: NativeContext;

  constructor(
    readonly heap: Heap,
    private readonly program: ProgramInfo,
    private readonly bridge: CallBridge,
    private readonly output: Output,
  ) {
    this.natives = {
      heap,
      fail(message: string): never {
        throw new LoxRuntimeError(message, 0);
      },
      stringify: (v) => this.stringify(v),
    };
  }

  fail(message: string, line: number): never {
    throw new LoxRuntimeError(message, line);
  }

  isObj(v: RtVal, type: number): v is bigint {
    return typeof v === "bigint" && this.heap.type(Number(v)) === type;
  }

  stringify(v: RtVal, visiting: Set<bigint> | null = null): string {
    if (v === null) return "nil";
    if (typeof v === "number") return formatNumber(v);
    if (typeof v === "boolean") return v ? "true" : "false";
    if (v === undefined) return "<undefined>";
    const heap = this.heap;
    const a = Number(v);
    switch (heap.type(a)) {
      case ObjType.string: return heap.stringText(a);
      case ObjType.closure: return `<fn ${this.program.functionName(closureIndex(heap.closureFunc(a)))}>`;
      case ObjType.boundMethod: return `<fn ${this.program.functionName(closureIndex(heap.closureFunc(heap.u32(a + Bound.closure))))}>`;
      case ObjType.native: return "<native fn>";
      case ObjType.klass: return heap.stringText(heap.u32(a + Klass.name));
      case ObjType.instance: return `${heap.stringText(heap.u32(heap.u32(a + Instance.klass) + Klass.name))} instance`;
      case ObjType.array: {
        const seen = visiting ?? new Set<bigint>();
        if (seen.has(v)) return "[...]";
        seen.add(v);
        const parts: string[] = [];
        for (let i = 0; i < heap.arrayLength(a); i++) parts.push(this.stringify(heap.arrayGet(a, i), seen));
        seen.delete(v);
        return `[${parts.join(", ")}]`;
      }
      default: return `<object ${a}>`;
    }
  }

  print(v: RtVal): void {
    this.output.write(this.stringify(v) + "\n");
  }

  // ---------------- operators ----------------

  add(a: RtVal, b: RtVal, line: number): RtVal {
    if (typeof a === "number" && typeof b === "number") return a + b;
    if (this.isObj(a, ObjType.string) && this.isObj(b, ObjType.string)) {
      const heap = this.heap;
      return BigInt(heap.intern(heap.stringText(Number(a)) + heap.stringText(Number(b))));
    }
    return this.fail(RuntimeMessage.operandsNumbersOrStrings, line);
  }

  numbers(a: RtVal, b: RtVal, line: number): void {
    if (typeof a !== "number" || typeof b !== "number") this.fail(RuntimeMessage.operandsNumbers, line);
  }

  // ---------------- calls ----------------

  callClosure(closure: number, receiver: RtVal, args: RtVal[], line: number): RtVal {
    const arity = closureArity(this.heap.closureFunc(closure));
    if (args.length !== arity) this.fail(RuntimeMessage.arity(arity, args.length), line);
    return this.bridge.callClosure(closure, receiver, args);
  }

  callValue(callee: RtVal, args: RtVal[], line: number): RtVal {
    if (typeof callee === "bigint") {
      const heap = this.heap;
      const a = Number(callee);
      switch (heap.type(a)) {
        case ObjType.closure:
          return this.callClosure(a, null, args, line);
        case ObjType.boundMethod:
          return this.callClosure(heap.u32(a + Bound.closure), heap.readVal(a + Bound.receiver), args, line);
        case ObjType.klass: {
          const inst = heap.newInstance(a);
          const instance = BigInt(inst);
          const init = heap.u32(a + Klass.init);
          if (init !== 0) heap.withRoots([instance], () => this.callClosure(init, instance, args, line));
          else if (args.length !== 0) this.fail(RuntimeMessage.arity(0, args.length), line);
          heap.setFlag(inst, Flag.constructed);
          return instance;
        }
        case ObjType.native: {
          const index = heap.u32(a + Native.index);
          const spec = NATIVE_SPECS[index];
          if (spec === undefined) break;
          if (args.length !== spec.arity) this.fail(RuntimeMessage.arity(spec.arity, args.length), line);
          try {
            return (HEAP_NATIVES[index] as (a: RtVal[], c: NativeContext) => RtVal)(args, this.natives);
          } catch (e) {
            if (e instanceof LoxRuntimeError && e.line === 0 && e.frames.length === 0) e.line = line;
            throw e;
          }
        }
        default:
          break;
      }
    }
    return this.fail(RuntimeMessage.canOnlyCall, line);
  }

  /** `receiver.name(args)`; `name` is an interned string's address. */
  invoke(receiver: RtVal, name: number, args: RtVal[], line: number, cache = 0): RtVal {
    const heap = this.heap;
    if (!this.isObj(receiver, ObjType.instance)) this.fail(RuntimeMessage.onlyInstancesHaveMethods, line);
    const inst = Number(receiver);
    const field = heap.fieldGet(inst, name);
    if (field !== undefined) return this.callValue(field, args, line);
    const method = heap.classMethod(heap.u32(inst + Instance.klass), name);
    if (method === undefined) this.fail(RuntimeMessage.undefinedProperty(heap.stringText(name)), line);
    if (cache !== 0) this.remember(cache, heap.u32(inst + Instance.shape), method);
    return this.callClosure(method, receiver, args, line);
  }

  /** `super.name(args)`; the cache, if any, gets (superclass, method). */
  superInvoke(receiver: RtVal, superclass: RtVal, name: number, args: RtVal[], line: number, cache = 0): RtVal {
    const method = this.heap.classMethod(Number(superclass), name);
    if (method === undefined) this.fail(RuntimeMessage.undefinedProperty(this.heap.stringText(name)), line);
    if (cache !== 0) {
      this.heap.setU32(cache, Number(superclass));
      this.heap.setU32(cache + 4, method);
    }
    return this.callClosure(method, receiver, args, line);
  }

  superGet(receiver: RtVal, superclass: RtVal, name: number, line: number): RtVal {
    const method = this.heap.classMethod(Number(superclass), name);
    if (method === undefined) this.fail(RuntimeMessage.undefinedProperty(this.heap.stringText(name)), line);
    return BigInt(this.heap.newBoundMethod(receiver, method));
  }

  // ---------------- objects ----------------

  /**
   * Puts (shape, data) first in a polymorphic cache of POLY_ENTRIES cells,
   * moving the others down (the least recently filled falls off).
   */
  private remember(cache: number, shape: number, data: number): void {
    const heap = this.heap;
    for (let k = POLY_ENTRIES - 1; k > 0; k--) {
      heap.setU32(cache + 8 * k, heap.u32(cache + 8 * (k - 1)));
      heap.setU32(cache + 8 * k + 4, heap.u32(cache + 8 * (k - 1) + 4));
    }
    heap.setU32(cache, shape);
    heap.setU32(cache + 4, data);
  }

  get(object: RtVal, name: number, line: number, cache = 0): RtVal {
    const heap = this.heap;
    if (!this.isObj(object, ObjType.instance)) this.fail(RuntimeMessage.onlyInstancesHaveProperties, line);
    const inst = Number(object);
    const shape = heap.u32(inst + Instance.shape);
    const slot = heap.shapeSlot(shape, name);
    if (slot >= 0) {
      if (cache !== 0) this.remember(cache, shape, slot);
      return heap.fieldGet(inst, name) as RtVal;
    }
    const method = heap.classMethod(heap.u32(inst + Instance.klass), name);
    if (method === undefined) this.fail(RuntimeMessage.undefinedProperty(heap.stringText(name)), line);
    return BigInt(heap.newBoundMethod(object, method));
  }

  /**
   * `object.name = value`. The cache (two cells, see the `set` helper) gets
   * (shape before, slot) and (shape after, 0); the class remembers
   * how many fields its instances grow to (`Klass.fieldHint`). A readonly
   * field of the instance's class (`@readonly`) can be assigned only while
   * the instance is being constructed, and is never cached: the fast path
   * would not see construction end. (A shape belongs to one class, so a
   * cached shape never stands for an instance with other readonly fields.)
   */
  set(object: RtVal, name: number, value: RtVal, line: number, cache = 0): void {
    const heap = this.heap;
    if (!this.isObj(object, ObjType.instance)) this.fail(RuntimeMessage.onlyInstancesHaveFields, line);
    const inst = Number(object);
    const klass = heap.u32(inst + Instance.klass);
    if (heap.isReadonlyField(klass, name)) {
      if (heap.hasFlag(inst, Flag.constructed)) this.fail(RuntimeMessage.readonlyField(heap.stringText(name)), line);
      cache = 0;
    }
    const before = heap.u32(inst + Instance.shape);
    heap.fieldSet(inst, name, value);
    const after = heap.u32(inst + Instance.shape);
    if (after !== before) {
      const count = heap.u32(after + Shape.count);
      if (count > heap.u32(klass + Klass.fieldHint)) heap.setU32(klass + Klass.fieldHint, count);
    }
    if (cache !== 0) {
      heap.setU32(cache, before);
      heap.setU32(cache + 4, heap.shapeSlot(after, name));
      heap.setU32(cache + 8, after);
      heap.setU32(cache + 12, 0);
    }
  }

  /** A class named by the string `name`, whose instances have the readonly fields named by `readonly` (strings). */
  klass(name: number, readonly: readonly number[] = []): RtVal {
    const k = this.heap.newClass(name);
    this.heap.addReadonlyFields(k, readonly);
    return BigInt(k);
  }

  /** Copies the superclass's methods into the class, and its readonly fields (they are inherited). */
  inherit(klass: RtVal, superclass: RtVal, line: number): void {
    if (!this.isObj(superclass, ObjType.klass)) this.fail(RuntimeMessage.superclassMustBeClass, line);
    const heap = this.heap;
    for (const [name, method] of heap.tableEntries(heap.u32(Number(superclass) + Klass.methods))) {
      heap.setClassMethod(Number(klass), name, Number(method as bigint));
    }
    heap.addReadonlyFields(Number(klass), heap.readonlyFields(Number(superclass)));
  }

  method(klass: RtVal, name: number, closure: RtVal): void {
    this.heap.setClassMethod(Number(klass), name, Number(closure as bigint));
  }

  // ---------------- arrays ----------------

  private checkIndex(object: RtVal, index: RtVal, line: number): number {
    if (!this.isObj(object, ObjType.array)) this.fail(RuntimeMessage.onlyArraysIndexed, line);
    if (typeof index !== "number" || !Number.isInteger(index)) this.fail(RuntimeMessage.indexNotInteger, line);
    const a = Number(object);
    const length = this.heap.arrayLength(a);
    if (index < 0 || index >= length) this.fail(RuntimeMessage.indexOutOfBounds(index, length), line);
    return a;
  }

  indexGet(object: RtVal, index: RtVal, line: number): RtVal {
    return this.heap.arrayGet(this.checkIndex(object, index, line), index as number);
  }

  indexSet(object: RtVal, index: RtVal, value: RtVal, line: number): void {
    const a = this.checkIndex(object, index, line);
    if (this.heap.isFrozen(a)) this.fail(RuntimeMessage.frozenArray, line);
    this.heap.arraySet(a, index as number, value);
  }

  array(elements: RtVal[]): RtVal {
    return BigInt(this.heap.newArray(elements));
  }

  // ---------------- variables ----------------

  undefinedVariable(global: number, line: number): never {
    return this.fail(RuntimeMessage.undefinedVariable(this.program.globalName(global)), line);
  }
}
