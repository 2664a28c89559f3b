/**
 * The runtime heap: the size-class allocator, memory growth and exhaustion,
 * the mark-sweep collector (roots, weak interning, weak inline caches, the
 * immortal image, attaching to an image) and the heap verifier, including a
 * property test against a JavaScript model of the object graph.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Heap, HeapExhausted, type HeapOptions, type RtVal } from "../../src/runtime/heap.ts";
import { verifyHeap } from "../../src/runtime/heap-verify.ts";
import {
  Bound, cellsPerPage, Flag, freeListHead, HEAP_START, IC_REGION_START, Instance, Klass, MAX_SMALL_SIZE, ObjType, PAGE_SIZE,
  PageHeader, Roots, SHADOW_STACK_BASE, SIZE_CLASSES, sizeClassOf,
} from "../../src/runtime/layout.ts";
import { ArrayBufferMemory } from "../../src/runtime/memory.ts";

function newHeap(options: HeapOptions = {}, heapBytes = 1 << 20): Heap {
  return Heap.create(new ArrayBufferMemory(HEAP_START + heapBytes), options);
}

function pageOf(addr: number): number {
  return addr - ((addr - HEAP_START) % PAGE_SIZE);
}

/** A deep, address-preserving reading of what `v` reaches (cycles become "#addr"). */
function snapshot(heap: Heap, v: RtVal, seen = new Set<number>()): unknown {
  if (typeof v !== "bigint") return v;
  const a = Number(v);
  if (seen.has(a)) return `#${a}`;
  seen.add(a);
  const deep = (x: RtVal): unknown => snapshot(heap, x, seen);
  const ref = (addr: number): unknown => (addr === 0 ? 0 : snapshot(heap, BigInt(addr), seen));
  switch (heap.type(a)) {
    case ObjType.string: return { a, string: heap.stringText(a) };
    case ObjType.array: return { a, array: Array.from({ length: heap.arrayLength(a) }, (_, i) => deep(heap.arrayGet(a, i))) };
    case ObjType.cell: return { a, cell: deep(heap.readVal(a + 8)) };
    case ObjType.closure: return { a, func: heap.closureFunc(a), cells: Array.from({ length: heap.u16(a + 2) }, (_, i) => ref(heap.closureCell(a, i))) };
    case ObjType.boundMethod: return { a, receiver: deep(heap.readVal(a + Bound.receiver)), closure: ref(heap.u32(a + Bound.closure)) };
    case ObjType.native: return { a, native: heap.u32(a + 4) };
    case ObjType.klass: {
      const methods = heap.tableEntries(heap.u32(a + Klass.methods)).map(([k, m]) => [heap.stringText(k), deep(m)]);
      return { a, klass: heap.stringText(heap.u32(a + Klass.name)), methods, init: ref(heap.u32(a + Klass.init)) };
    }
    case ObjType.instance: {
      const fields: unknown[] = [];
      for (let s = heap.u32(a + Instance.shape); heap.u32(s + 12) > 0; s = heap.u32(s + 4)) {
        const name = heap.u32(s + 8);
        fields.push([heap.stringText(name), deep(heap.fieldGet(a, name))]);
      }
      return { a, klass: ref(heap.u32(a + Instance.klass)), shape: heap.u32(a + Instance.shape), fields };
    }
    default: return { a, other: heap.type(a) };
  }
}

describe("size classes", () => {
  it("sizeClassOf picks the smallest class that fits", () => {
    for (let bytes = 1; bytes <= MAX_SMALL_SIZE; bytes++) {
      const cls = sizeClassOf(bytes);
      expect(SIZE_CLASSES[cls]).toBeGreaterThanOrEqual(bytes);
      if (cls > 0) expect(SIZE_CLASSES[cls - 1]).toBeLessThan(bytes);
    }
    expect(sizeClassOf(MAX_SMALL_SIZE + 1)).toBe(-1);
    for (const size of SIZE_CLASSES) expect(size % 8).toBe(0);
    expect(SIZE_CLASSES.at(-1)).toBe(MAX_SMALL_SIZE);
  });
});

describe("allocator", () => {
  it("allocates every size class in pages of its own, zeroed and aligned", () => {
    const heap = newHeap();
    for (const [cls, cellSize] of SIZE_CLASSES.entries()) {
      const addrs = Array.from({ length: cellsPerPage(cellSize) + 1 }, () => heap.allocRaw(cellSize - 8));
      for (const [i, a] of addrs.entries()) {
        expect(a % 8).toBe(0);
        expect(heap.u32(pageOf(a) + PageHeader.cellSize)).toBe(cellSize);
        expect(heap.type(a)).toBe(ObjType.raw);
        if (i % 16 === 0) expect(heap.bytes.subarray(a + 8, a + cellSize).findIndex((b) => b !== 0)).toBe(-1);
      }
      expect(new Set(addrs).size).toBe(addrs.length);
      // The last one did not fit the first page.
      expect(pageOf(addrs.at(-1) as number)).not.toBe(pageOf(addrs[0] as number));
      expect(heap.u32(freeListHead(cls))).not.toBe(0);
    }
    expect(verifyHeap(heap)).toEqual([]);
  });

  it("gives large objects runs of whole pages", () => {
    const heap = newHeap();
    const small = heap.allocRaw(MAX_SMALL_SIZE - 8);
    const large = heap.allocRaw(MAX_SMALL_SIZE - 7);
    const huge = heap.allocRaw(5 * PAGE_SIZE);
    expect(heap.u32(pageOf(small))).toBe(MAX_SMALL_SIZE);
    for (const [a, pages] of [[large, 1], [huge, 6]] as const) {
      expect(a - pageOf(a)).toBe(PageHeader.size);
      expect(heap.u32(pageOf(a) + PageHeader.cellSize)).toBe(0);
      expect(heap.u32(pageOf(a) + PageHeader.pages)).toBe(pages);
    }
    expect(heap.bump).toBe(pageOf(huge) + 6 * PAGE_SIZE);
    expect(verifyHeap(heap)).toEqual([]);
  });

  it("grows memory across many pages and keeps every value", () => {
    const heap = newHeap({}, PAGE_SIZE);
    heap.initGlobals(1);
    const arr = heap.newArray([]);
    heap.writeVal(heap.globalAddr(0), BigInt(arr));
    for (let i = 0; i < 20000; i++) heap.arrayPush(arr, BigInt(heap.newArray([i, `${i}`.length])));
    expect(heap.stats().memoryBytes).toBeGreaterThan(HEAP_START + 40 * PAGE_SIZE);
    for (let i = 0; i < 20000; i += 997) expect(heap.arrayGet(Number(heap.arrayGet(arr, i)), 0)).toBe(i);
    expect(verifyHeap(heap)).toEqual([]);
  });

  it("throws HeapExhausted when memory cannot grow, and recovers after a collection", () => {
    const heap = Heap.create(new ArrayBufferMemory(HEAP_START, HEAP_START / PAGE_SIZE + 16));
    heap.initGlobals(1);
    const keep = heap.newArray([]);
    heap.writeVal(heap.globalAddr(0), BigInt(keep));
    let count = 0;
    expect(() => {
      for (;;) {
        heap.newArray([count++]);
      }
    }).toThrow(HeapExhausted);
    expect(() => heap.allocRaw(3 * PAGE_SIZE)).toThrow(HeapExhausted);
    heap.collect();
    expect(verifyHeap(heap)).toEqual([]);
    const bump = heap.bump;
    heap.allocRaw(3 * PAGE_SIZE);
    for (let i = 0; i < 100; i++) heap.arrayPush(keep, i);
    expect(heap.bump).toBe(bump);
    expect(heap.arrayGet(keep, 99)).toBe(99);
  });
});

describe("garbage collection", () => {
  it("reuses the cells and pages of unreachable objects", () => {
    const heap = newHeap();
    heap.initGlobals(1);
    const live = heap.newArray([1, 2, 3]);
    heap.writeVal(heap.globalAddr(0), BigInt(live));
    const garbage = new Set(Array.from({ length: 5000 }, () => heap.newCell(7)));
    const big = heap.allocRaw(3 * PAGE_SIZE);
    const bump = heap.bump;
    heap.collect();
    expect(verifyHeap(heap)).toEqual([]);
    expect(heap.stats().collections).toBe(1);
    expect(heap.arrayGet(live, 2)).toBe(3);
    let reused = 0;
    for (let i = 0; i < 5000; i++) if (garbage.has(heap.newCell(i))) reused++;
    expect(reused).toBeGreaterThan(4000);
    expect(heap.allocRaw(3 * PAGE_SIZE)).toBe(big);
    expect(heap.bump).toBe(bump);
    expect(verifyHeap(heap)).toEqual([]);
  });

  it("keeps every object reachable from globals, the shadow stack and JS roots, identical", () => {
    let ssp = SHADOW_STACK_BASE;
    const heap = newHeap({ shadowStackPointer: () => ssp });
    heap.initGlobals(3);
    const s = (t: string): number => heap.intern(t);
    // Classes with methods and inheritance; instances with fields (shapes with transitions).
    const closureOf = (func: number, values: RtVal[]): number => heap.newClosure(func, values.map((v) => heap.newCell(v)));
    const base = heap.newClass(s("Base"));
    heap.setClassMethod(base, s("init"), closureOf(1, [1, "x".length]));
    heap.setClassMethod(base, s("area"), closureOf(2, [null]));
    const derived = heap.newClass(s("Derived"));
    for (const [name, m] of heap.tableEntries(heap.u32(base + Klass.methods))) heap.setClassMethod(derived, name, Number(m));
    heap.setClassMethod(derived, s("extra"), closureOf(3, []));
    const points = Array.from({ length: 50 }, (_, i) => {
      const p = heap.newInstance(i % 2 === 0 ? base : derived);
      for (const f of ["x", "y", "z", "w", "v"].slice(0, 1 + (i % 5))) heap.fieldSet(p, s(f), i);
      heap.fieldSet(p, s("label"), BigInt(s(`point ${i}`)));
      return p;
    });
    const matrix = heap.newArray(points.slice(0, 10).map((p) => BigInt(heap.newArray([BigInt(p), BigInt(heap.newArray([]))]))));
    for (const p of points) heap.arrayPush(matrix, BigInt(p));
    heap.arrayPush(matrix, BigInt(matrix)); // a cycle
    // A methods table that grew many times.
    for (let i = 0; i < 200; i++) heap.setClassMethod(derived, s(`m${i}`), closureOf(100 + i, [i]));
    heap.writeVal(heap.globalAddr(0), BigInt(matrix));
    heap.writeVal(heap.globalAddr(1), BigInt(derived));
    // On the shadow stack: a bound method; a non-object word; as a JS root: a closure over a cell holding an array.
    const bound = heap.newBoundMethod(BigInt(points[3] as number), heap.classMethod(derived, s("area")) as number);
    heap.writeVal(SHADOW_STACK_BASE, BigInt(bound));
    heap.writeVal(SHADOW_STACK_BASE + 8, 12.5);
    ssp = SHADOW_STACK_BASE + 16;
    const captured = closureOf(9, [BigInt(heap.newArray(["abc".length, BigInt(s("captured"))]))]);
    // Garbage, including strings and a class with shapes.
    for (let i = 0; i < 300; i++) heap.newArray([BigInt(s(`dead ${i}`)), BigInt(heap.newInstance(heap.newClass(s(`Dead${i}`))))]);
    const roots: RtVal[] = [BigInt(matrix), BigInt(derived), BigInt(bound), BigInt(captured)];
    const before = roots.map((r) => snapshot(heap, r));
    heap.pushRoot(BigInt(captured));
    heap.collect();
    heap.popRoots(1);
    expect(verifyHeap(heap)).toEqual([]);
    expect(roots.map((r) => snapshot(heap, r))).toEqual(before);
    expect(heap.isInterned("dead 7")).toBe(false);
    expect(heap.isInterned("point 7")).toBe(true);
    expect(heap.isInterned("captured")).toBe(true);
    // A dead string can be interned again.
    const again = heap.intern("dead 7");
    expect(heap.stringText(again)).toBe("dead 7");
    expect(heap.intern("dead 7")).toBe(again);
    // Nothing roots the closure now; the shadow stack still roots the bound method.
    heap.collect();
    expect(verifyHeap(heap)).toEqual([]);
    expect(heap.type(captured)).toBe(ObjType.free);
    expect(snapshot(heap, BigInt(bound))).toEqual(before[2]);
    ssp = SHADOW_STACK_BASE;
    heap.collect();
    expect(heap.type(bound)).toBe(ObjType.free);
    expect(verifyHeap(heap)).toEqual([]);
  });

  it("clears inline-cache cells keyed by freed objects and keeps the others", () => {
    const heap = newHeap();
    heap.initGlobals(1);
    const live = heap.newClass(heap.intern("Live"));
    const dead = heap.newClass(heap.intern("Dead"));
    heap.writeVal(heap.globalAddr(0), BigInt(live));
    const liveShape = heap.u32(live + Klass.rootShape);
    const deadShape = heap.u32(dead + Klass.rootShape);
    const cells = [[deadShape, 5], [liveShape, 6], [0, 7]] as const;
    cells.forEach(([key, data], i) => {
      heap.setU32(IC_REGION_START + 8 * i, key);
      heap.setU32(IC_REGION_START + 8 * i + 4, data);
    });
    heap.collect();
    expect([0, 1, 2].map((i) => [heap.u32(IC_REGION_START + 8 * i), heap.u32(IC_REGION_START + 8 * i + 4)])).toEqual([[0, 0], [liveShape, 6], [0, 7]]);
    expect(verifyHeap(heap)).toEqual([]);
  });

  it("keeps the immortal image and attaches to a copy of it", () => {
    const builder = newHeap();
    const names = ["print", "x", "hello world"].map((t) => builder.intern(t));
    builder.initGlobals(2);
    const native = builder.newNative(3);
    builder.writeVal(builder.globalAddr(0), BigInt(native));
    builder.markImageEnd();
    expect(builder.hasFlag(native, Flag.immortal)).toBe(true);
    const image = builder.image();
    expect(image.size).toBe(builder.bump);
    const segments = image.segments;
    expect(segments.reduce((n, seg) => n + seg.bytes.length, 0)).toBeLessThan(1024);
    expect(segments.every((seg) => seg.offset + seg.bytes.length <= image.size)).toBe(true);

    const memory = new ArrayBufferMemory(image.size + PAGE_SIZE);
    for (const seg of segments) new Uint8Array(memory.buffer).set(seg.bytes, seg.offset);
    const heap = Heap.attach(memory, builder.imageStrings());
    expect(verifyHeap(heap)).toEqual([]);
    expect(heap.intern("hello world")).toBe(names[2]);
    heap.writeVal(heap.globalAddr(0), null); // the native is still immortal
    heap.writeVal(heap.globalAddr(1), BigInt(heap.newArray([BigInt(heap.intern("runtime string"))])));
    for (let i = 0; i < 1000; i++) heap.newArray([BigInt(heap.intern(`garbage ${i}`))]);
    heap.collect();
    expect(verifyHeap(heap)).toEqual([]);
    expect(heap.type(native)).toBe(ObjType.native);
    expect(names.map((n) => heap.stringText(n))).toEqual(["print", "x", "hello world"]);
    expect(heap.isInterned("garbage 5")).toBe(false);
    expect(heap.stringText(Number(heap.arrayGet(Number(heap.readVal(heap.globalAddr(1))), 0)))).toBe("runtime string");
  });

  it("collects at safepoints once enough was allocated, or always under stress", () => {
    const heap = newHeap({ minGcThreshold: 64 * 1024 });
    heap.initGlobals(1);
    expect(heap.safepoint()).toBe(false);
    let collections = 0;
    for (let i = 0; i < 20000; i++) {
      heap.newArray([i]);
      if (heap.safepoint()) collections++;
    }
    // A collection every ~1200 arrays.
    expect(collections).toBeGreaterThan(10);
    expect(collections).toBeLessThan(40);
    expect(heap.stats().collections).toBe(collections);
    // Each array takes a 16-byte cell and a 40-byte one for its storage.
    expect(heap.stats().bytesAllocated).toBeGreaterThan(20000 * 56);
    expect(heap.u32(Roots.collections)).toBe(collections);

    const stressed = newHeap({ gcStress: true });
    expect(stressed.u32(Roots.threshold)).toBe(0);
    const kept = stressed.newArray([1]);
    expect(stressed.safepoint([BigInt(kept)])).toBe(true);
    expect(stressed.withRoots([BigInt(kept)], () => stressed.safepoint())).toBe(true);
    expect(stressed.arrayGet(kept, 0)).toBe(1);
    stressed.safepoint();
    // Unrooted, it is gone: nothing is live, and its page is back in the page pool (or its cell on a free list).
    expect(stressed.stats().bytesLive).toBe(0);
    expect(verifyHeap(stressed)).toEqual([]);
  });

  it("collects a list of 200,000 nested arrays without overflowing the stack", () => {
    const heap = newHeap();
    heap.initGlobals(1);
    let list: RtVal = null;
    for (let i = 0; i < 200000; i++) list = BigInt(heap.newArray([i, list]));
    heap.writeVal(heap.globalAddr(0), list);
    heap.collect();
    let n = 0;
    for (let v = heap.readVal(heap.globalAddr(0)); v !== null; v = heap.arrayGet(Number(v), 1)) n++;
    expect(n).toBe(200000);
    heap.writeVal(heap.globalAddr(0), null);
    heap.collect();
    expect(heap.stats().bytesLive).toBeLessThan(PAGE_SIZE);
    expect(verifyHeap(heap)).toEqual([]);
  });
});

/**
 * The property: random programs of allocations, links, unlinks and
 * collections keep the heap sound and every reachable value as a
 * JavaScript model of the same graph says.
 */
describe("garbage collection against a model", () => {
  type ModelVal = number | null | boolean | { ref: number };
  interface ModelNode {
    readonly addr: number;
    readonly kind: "array" | "instance" | "cell" | "closure" | "string";
    /** Array elements, instance fields by field index (undefined = not set), a cell's value, a closure's cells (refs). */
    readonly slots: (ModelVal | undefined)[];
    readonly text?: string;
  }
  const GLOBALS = 6;
  const FIELDS = 6;

  const op = fc.oneof(
    fc.record({ op: fc.constant("new" as const), kind: fc.integer({ min: 0, max: 5 }), size: fc.nat(40), where: fc.nat(), seed: fc.nat() }),
    fc.record({ op: fc.constant("set" as const), target: fc.nat(), slot: fc.nat(), value: fc.nat() }),
    fc.record({ op: fc.constant("push" as const), target: fc.nat(), value: fc.nat() }),
    fc.record({ op: fc.constant("global" as const), g: fc.nat(GLOBALS - 1), value: fc.nat() }),
    fc.record({ op: fc.constant("collect" as const) }),
  );

  it("keeps the heap sound and the reachable graph intact", () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 120 }), (ops) => {
        const heap = newHeap();
        heap.initGlobals(GLOBALS + 1);
        const klass = heap.newClass(heap.intern("C"));
        const fieldNames = Array.from({ length: FIELDS }, (_, i) => heap.intern(`f${i}`));
        heap.writeVal(heap.globalAddr(GLOBALS), BigInt(klass));
        for (let g = 0; g < GLOBALS; g++) heap.writeVal(heap.globalAddr(g), null);
        heap.markImageEnd(); // the class, its name and the field names stay
        const nodes = new Map<number, ModelNode>(); // by address
        const globals: ModelVal[] = new Array<ModelVal>(GLOBALS).fill(null);
        let texts = 0;

        const reachable = (): ModelNode[] => {
          const seen = new Set<number>();
          const out: ModelNode[] = [];
          const stack = globals.slice();
          while (stack.length > 0) {
            const v = stack.pop();
            if (typeof v !== "object" || v === null || seen.has(v.ref)) continue;
            seen.add(v.ref);
            const node = nodes.get(v.ref) as ModelNode;
            out.push(node);
            for (const s of node.slots) if (s !== undefined) stack.push(s);
          }
          return out.sort((a, b) => a.addr - b.addr);
        };
        const pick = (live: ModelNode[], n: number, value: number): ModelVal => {
          switch (value % 4) {
            case 0: return live.length === 0 ? null : { ref: (live[n % live.length] as ModelNode).addr };
            case 1: return value / 4;
            case 2: return null;
            default: return value % 8 === 3;
          }
        };
        const toRt = (v: ModelVal): RtVal => (typeof v === "object" && v !== null ? BigInt(v.ref) : v);
        const write = (node: ModelNode, slot: number, v: ModelVal): void => {
          node.slots[slot] = v;
          switch (node.kind) {
            case "array": heap.arraySet(node.addr, slot, toRt(v)); break;
            case "instance": heap.fieldSet(node.addr, fieldNames[slot] as number, toRt(v)); break;
            case "cell": heap.writeVal(node.addr + 8, toRt(v)); break;
            default: throw new Error("immutable");
          }
        };
        const check = (): void => {
          expect(verifyHeap(heap)).toEqual([]);
          globals.forEach((g, i) => expect(heap.readVal(heap.globalAddr(i))).toBe(toRt(g)));
          for (const node of reachable()) {
            switch (node.kind) {
              case "array":
                expect(heap.arrayLength(node.addr)).toBe(node.slots.length);
                node.slots.forEach((v, i) => expect(heap.arrayGet(node.addr, i)).toBe(toRt(v as ModelVal)));
                break;
              case "instance":
                node.slots.forEach((v, i) => expect(heap.fieldGet(node.addr, fieldNames[i] as number)).toBe(v === undefined ? undefined : toRt(v)));
                break;
              case "cell": expect(heap.readVal(node.addr + 8)).toBe(toRt(node.slots[0] as ModelVal)); break;
              case "closure": node.slots.forEach((v, i) => expect(BigInt(heap.closureCell(node.addr, i))).toBe(toRt(v as ModelVal))); break;
              case "string": expect(heap.stringText(node.addr)).toBe(node.text); expect(heap.intern(node.text as string)).toBe(node.addr); break;
            }
          }
        };

        for (const o of ops) {
          const live = reachable();
          const mutable = live.filter((n) => n.kind === "array" || n.kind === "instance" || n.kind === "cell");
          switch (o.op) {
            case "new": {
              let node: ModelNode;
              const values = Array.from({ length: o.size }, (_, i) => pick(live, o.seed + i, o.seed * 7 + i));
              switch (o.kind) {
                case 0: node = { addr: heap.newArray(values.map(toRt)), kind: "array", slots: values }; break;
                case 1: // a large array
                  node = { addr: heap.newArray(new Array<RtVal>(300 + o.size * 20).fill(1.5)), kind: "array", slots: new Array<ModelVal>(300 + o.size * 20).fill(1.5) };
                  break;
                case 2: {
                  node = { addr: heap.newInstance(klass), kind: "instance", slots: new Array<ModelVal | undefined>(FIELDS).fill(undefined) };
                  for (const [i, v] of values.slice(0, FIELDS).entries()) write(node, (o.seed + i) % FIELDS, v);
                  break;
                }
                case 3: node = { addr: heap.newCell(toRt(values[0] ?? null)), kind: "cell", slots: [values[0] ?? null] }; break;
                case 4: {
                  // Fresh cells (only the closure holds them) and cells already reachable.
                  const fresh = values.slice(0, 1 + (o.size % 3)).map((v): ModelNode => ({ addr: heap.newCell(toRt(v)), kind: "cell", slots: [v] }));
                  for (const c of fresh) nodes.set(c.addr, c);
                  const cells = [...fresh, ...live.filter((n) => n.kind === "cell").slice(0, o.size % 4)];
                  node = { addr: heap.newClosure(o.seed, cells.map((c) => c.addr)), kind: "closure", slots: cells.map((c) => ({ ref: c.addr })) };
                  break;
                }
                default: {
                  const text = `t${texts++}:${"x".repeat(o.size * 3)}`;
                  node = { addr: heap.intern(text), kind: "string", slots: [], text };
                }
              }
              nodes.set(node.addr, node);
              // Link it somewhere (or leave it as garbage).
              const holders = mutable;
              const where = o.where % (GLOBALS + holders.length + 2);
              if (where < GLOBALS) globals[where] = { ref: node.addr };
              else if (where < GLOBALS + holders.length) {
                const h = holders[where - GLOBALS] as ModelNode;
                if (h.kind === "array" && h.slots.length === 0) {
                  h.slots.push({ ref: node.addr });
                  heap.arrayPush(h.addr, BigInt(node.addr));
                } else write(h, o.where % (h.kind === "array" ? h.slots.length : h.kind === "instance" ? FIELDS : 1), { ref: node.addr });
              }
              globals.forEach((g, i) => heap.writeVal(heap.globalAddr(i), toRt(g)));
              break;
            }
            case "set": {
              if (mutable.length === 0) break;
              const t = mutable[o.target % mutable.length] as ModelNode;
              const size = t.kind === "array" ? t.slots.length : t.kind === "instance" ? FIELDS : 1;
              if (size > 0) write(t, o.slot % size, pick(live, o.value, o.value));
              break;
            }
            case "push": {
              const arrays = live.filter((n) => n.kind === "array");
              if (arrays.length === 0) break;
              const t = arrays[o.target % arrays.length] as ModelNode;
              const v = pick(live, o.value, o.value);
              t.slots.push(v);
              heap.arrayPush(t.addr, toRt(v));
              break;
            }
            case "global":
              globals[o.g] = pick(live, o.value, o.value);
              heap.writeVal(heap.globalAddr(o.g), toRt(globals[o.g] as ModelVal));
              break;
            case "collect": {
              heap.collect();
              const keep = new Set(reachable().map((n) => n.addr));
              for (const addr of [...nodes.keys()]) if (!keep.has(addr)) nodes.delete(addr);
              check();
              break;
            }
          }
        }
        heap.collect();
        check();
      }),
      { numRuns: 150 },
    );
  });
});
