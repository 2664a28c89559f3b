/**
 * The runtime pieces every engine shares: the native list, value boxing in
 * the heap layout, tables and shapes of the IR engine's heap.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Heap, type RtVal } from "../../src/runtime/heap.ts";
import { HEAP_START } from "../../src/runtime/layout.ts";
import { ArrayBufferMemory } from "../../src/runtime/memory.ts";
import { HEAP_NATIVES } from "../../src/runtime/heap-natives.ts";
import { NATIVE_SPECS } from "../../src/runtime/native-specs.ts";
import { createNatives } from "../../src/tree/natives.ts";

describe("natives", () => {
  it("the tree engine provides exactly the specified natives", () => {
    expect(createNatives().map((n) => ({ name: n.name, arity: n.arity }))).toEqual(NATIVE_SPECS.map((s) => ({ name: s.name, arity: s.arity })));
  });
  it("the heap engine implements every specified native", () => {
    expect(HEAP_NATIVES.length).toBe(NATIVE_SPECS.length);
  });
});

describe("heap layout", () => {
  it("boxes and unboxes every kind of value", () => {
    const heap = Heap.create();
    const obj = BigInt(heap.intern("x"));
    const slot = heap.allocRaw(8) + 8;
    fc.assert(
      fc.property(fc.oneof(fc.double(), fc.constantFrom<RtVal>(null, true, false, undefined, obj)), (v) => {
        heap.writeVal(slot, v);
        expect(heap.readVal(slot)).toStrictEqual(v);
      }),
    );
  });

  it("interns strings: equal text, same address", () => {
    const heap = Heap.create();
    expect(heap.intern("hello")).toBe(heap.intern("hel" + "lo"));
    expect(heap.stringText(heap.intern("a\u00e9b"))).toBe("a\u00e9b");
  });

  it("tables grow and keep every entry", () => {
    const heap = Heap.create();
    const table = heap.newTable(2);
    const keys = Array.from({ length: 100 }, (_, i) => heap.intern(`k${i}`));
    keys.forEach((k, i) => heap.tableSet(table, k, i));
    keys.forEach((k, i) => expect(heap.tableGet(table, k)).toBe(i));
    expect(heap.tableGet(table, heap.intern("absent"))).toBeUndefined();
  });

  it("instances of one class that add fields in the same order share shapes", () => {
    const heap = Heap.create();
    const klass = heap.newClass(heap.intern("P"));
    const [x, y] = [heap.intern("x"), heap.intern("y")];
    const a = heap.newInstance(klass);
    const b = heap.newInstance(klass);
    for (const inst of [a, b]) {
      heap.fieldSet(inst, x, 1);
      heap.fieldSet(inst, y, 2);
    }
    expect(heap.u32(a + 8)).toBe(heap.u32(b + 8));
    expect(heap.fieldGet(a, y)).toBe(2);
    heap.fieldSet(a, x, 5);
    expect(heap.fieldGet(a, x)).toBe(5);
    expect(heap.fieldGet(b, x)).toBe(1);
    expect(heap.fieldGet(a, heap.intern("z"))).toBeUndefined();
  });

  it("survives growth of the buffer", () => {
    const heap = Heap.create(new ArrayBufferMemory(HEAP_START));
    const arr = heap.newArray([]);
    for (let i = 0; i < 1000; i++) heap.arrayPush(arr, i);
    expect(heap.arrayLength(arr)).toBe(1000);
    expect(heap.arrayGet(arr, 999)).toBe(999);
  });
});
