/**
 * The partial evaluator's view (`PeHeap`) of a running program's heap, for
 * both engines that keep one (the IR interpreter's and the Wasm engine's
 * linear memory share the layout). Values come out as the PE's known
 * values: numbers, nil, booleans and strings as constants, other objects
 * as references. A readonly field counts only once its instance is
 * constructed (src/runtime/readonly-fields.ts).
 */
import { type FuncId, type GlobalId, num, Type } from "../ir/index.ts";
import type { HeapObjectView, KnownVal, PeHeap } from "../pe/index.ts";
import type { Heap, RtVal } from "../runtime/heap.ts";
import { Instance, Klass, Native, ObjType } from "../runtime/layout.ts";
import { closureIndex } from "../runtime/lox-ops.ts";
import { NATIVE_SPECS } from "../runtime/native-specs.ts";
import { constantReadonlyField } from "../runtime/readonly-fields.ts";

/** A run-time value as a known value (null for the internal "undefined global" marker). */
export function knownFromRuntime(heap: Heap, v: RtVal): KnownVal | null {
  if (typeof v === "number") return { kind: "const", c: { type: Type.val, val: num(v) } };
  if (v === null) return { kind: "const", c: { type: Type.val, val: { kind: "nil" } } };
  if (typeof v === "boolean") return { kind: "const", c: { type: Type.val, val: { kind: "bool", value: v } } };
  if (typeof v === "bigint") {
    const addr = Number(v);
    if (heap.type(addr) === ObjType.string) return { kind: "const", c: { type: Type.val, val: { kind: "str", text: heap.stringText(addr) } } };
    return { kind: "ref", addr };
  }
  return null;
}

export class RuntimeHeapView implements PeHeap {
  constructor(private readonly heap: Heap) {}

  describe(addr: number): HeapObjectView {
    const heap = this.heap;
    switch (heap.type(addr)) {
      case ObjType.array: return { kind: "array", length: heap.arrayLength(addr), frozen: heap.isFrozen(addr) };
      case ObjType.closure: return { kind: "closure", func: closureIndex(heap.closureFunc(addr)) as FuncId };
      case ObjType.native: return { kind: "native", name: NATIVE_SPECS[heap.u32(addr + Native.index)]?.name ?? "?" };
      case ObjType.instance: return { kind: "instance", className: this.className(addr) };
      default: return { kind: "other" };
    }
  }

  private className(inst: number): string {
    const klass = this.heap.u32(inst + Instance.klass);
    return this.heap.stringText(this.heap.u32(klass + Klass.name));
  }

  frozenElement(addr: number, index: number): KnownVal {
    return knownFromRuntime(this.heap, this.heap.arrayGet(addr, index)) ?? { kind: "const", c: { type: Type.val, val: { kind: "nil" } } };
  }

  readonlyField(addr: number, name: string): KnownVal | null {
    if (this.heap.type(addr) !== ObjType.instance) return null;
    const value = constantReadonlyField(this.heap, addr, name);
    return value === undefined ? null : knownFromRuntime(this.heap, value);
  }

  globalValue(id: GlobalId): KnownVal | null {
    return knownFromRuntime(this.heap, this.heap.readVal(this.heap.globalAddr(id)));
  }
}
