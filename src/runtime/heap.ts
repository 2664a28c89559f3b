/**
 * The heap of the IR engine: Lox objects in an ArrayBuffer with exactly the
 * layout of `layout.ts`, so the partial evaluator reads it as it would read
 * the Wasm engine's memory.
 *
 * Values on the JavaScript side (`RtVal`): a Lox number is a JS number, nil
 * is null, booleans are booleans, an object is a bigint holding its address
 * (bigints compare by value, so `===` is identity of objects), and
 * `undefined` is the marker of a global that was never defined.
 *
 * Allocation bumps a pointer and grows the buffer by copying (addresses are
 * offsets, so they survive growth). This engine does not collect garbage:
 * it is the correctness oracle for small programs; the Wasm engine has the
 * collector. Interned strings are found through a JavaScript map (a cache
 * derived from the heap); everything else lives only in the heap.
 */
import {
  align8, Arr, Bound, Cell, Closure, FALSE_LO, Flag, hashBytes, Header, HEAP_START, Instance, Klass, NIL_LO, Native,
  OBJECT_HI, ObjType, QNAN_HI, Raw, Roots, Shape, Str, Table, TRUE_LO, UNDEFINED_LO,
} from "./layout.ts";

export type RtVal = number | boolean | null | bigint | undefined;

/** Thrown when the heap would pass the 4 GiB address space. */
export class HeapExhausted extends Error {}

const MAX_BYTES = 2 ** 32 - 65536;

export class Heap {
  private buffer: ArrayBuffer;
  private view: DataView;
  private bytes: Uint8Array;
  private readonly interned = new Map<string, number>();
  private readonly stringCache = new Map<number, string>();

  constructor(initialBytes = 1 << 20) {
    this.buffer = new ArrayBuffer(initialBytes);
    this.view = new DataView(this.buffer);
    this.bytes = new Uint8Array(this.buffer);
    this.view.setUint32(Roots.heapTop, HEAP_START, true);
  }

  /** The current memory (replaced when the heap grows). */
  get memory(): DataView {
    return this.view;
  }
  get top(): number {
    return this.view.getUint32(Roots.heapTop, true);
  }

  // ---------------- raw access ----------------

  u8(addr: number): number { return this.bytes[addr] as number; }
  u16(addr: number): number { return this.view.getUint16(addr, true); }
  u32(addr: number): number { return this.view.getUint32(addr, true); }
  setU8(addr: number, v: number): void { this.bytes[addr] = v; }
  setU16(addr: number, v: number): void { this.view.setUint16(addr, v, true); }
  setU32(addr: number, v: number): void { this.view.setUint32(addr, v >>> 0, true); }

  readVal(addr: number): RtVal {
    const hi = this.view.getInt32(addr + 4, true);
    if ((hi & QNAN_HI) !== QNAN_HI) return this.view.getFloat64(addr, true);
    const lo = this.view.getUint32(addr, true);
    if (hi === OBJECT_HI) return BigInt(lo);
    switch (lo) {
      case NIL_LO: return null;
      case FALSE_LO: return false;
      case TRUE_LO: return true;
      case UNDEFINED_LO: return undefined;
      default: throw new Error(`internal error: bad value bits at ${addr}`);
    }
  }

  writeVal(addr: number, v: RtVal): void {
    if (typeof v === "number") {
      this.view.setFloat64(addr, v, true);
      return;
    }
    let lo: number;
    let hi = QNAN_HI;
    if (typeof v === "bigint") {
      lo = Number(v);
      hi = OBJECT_HI;
    } else {
      lo = v === null ? NIL_LO : v === false ? FALSE_LO : v === true ? TRUE_LO : UNDEFINED_LO;
    }
    this.view.setUint32(addr, lo, true);
    this.view.setInt32(addr + 4, hi, true);
  }

  type(obj: number): number {
    return this.bytes[obj + Header.type] as number;
  }
  hasFlag(obj: number, flag: number): boolean {
    return ((this.bytes[obj + Header.flags] as number) & flag) !== 0;
  }
  setFlag(obj: number, flag: number): void {
    this.bytes[obj + Header.flags] = (this.bytes[obj + Header.flags] as number) | flag;
  }

  // ---------------- allocation ----------------

  private ensure(end: number): void {
    if (end <= this.buffer.byteLength) return;
    if (end > MAX_BYTES) throw new HeapExhausted("out of memory");
    let size = this.buffer.byteLength;
    while (size < end) size = Math.min(MAX_BYTES, size * 2);
    const next = new ArrayBuffer(size);
    new Uint8Array(next).set(this.bytes);
    this.buffer = next;
    this.view = new DataView(next);
    this.bytes = new Uint8Array(next);
  }

  /** A zeroed object of `size` bytes (header included) with its type set. */
  alloc(type: ObjType, size: number): number {
    const addr = this.top;
    const end = addr + align8(size);
    this.ensure(end);
    this.bytes.fill(0, addr, end);
    this.bytes[addr + Header.type] = type;
    this.view.setUint32(Roots.heapTop, end, true);
    return addr;
  }

  allocRaw(payloadBytes: number): number {
    const raw = this.alloc(ObjType.raw, Raw.payload + payloadBytes);
    this.setU32(raw + Header.word, payloadBytes);
    return raw;
  }

  // ---------------- strings ----------------

  /** The interned string with these bytes (one UTF-16 unit per byte). */
  intern(text: string): number {
    const existing = this.interned.get(text);
    if (existing !== undefined) return existing;
    const addr = this.alloc(ObjType.string, Str.bytes + text.length);
    this.setU32(addr + Str.length, text.length);
    this.setU32(addr + Str.hash, hashBytes(text));
    for (let i = 0; i < text.length; i++) this.bytes[addr + Str.bytes + i] = text.charCodeAt(i);
    this.interned.set(text, addr);
    this.stringCache.set(addr, text);
    return addr;
  }

  stringText(addr: number): string {
    const cached = this.stringCache.get(addr);
    if (cached !== undefined) return cached;
    const length = this.u32(addr + Str.length);
    let text = "";
    for (let i = 0; i < length; i++) text += String.fromCharCode(this.bytes[addr + Str.bytes + i] as number);
    this.stringCache.set(addr, text);
    return text;
  }

  // ---------------- globals ----------------

  initGlobals(count: number): void {
    const raw = this.allocRaw(count * 8);
    for (let i = 0; i < count; i++) this.writeVal(raw + Raw.payload + i * 8, undefined);
    this.setU32(Roots.globals, raw);
  }
  globalAddr(id: number): number {
    return this.u32(Roots.globals) + Raw.payload + id * 8;
  }

  // ---------------- cells, closures, natives, bound methods ----------------

  newCell(value: RtVal): number {
    const cell = this.alloc(ObjType.cell, Cell.size);
    this.writeVal(cell + Cell.value, value);
    return cell;
  }

  newClosure(func: number, cells: readonly number[]): number {
    const c = this.alloc(ObjType.closure, Closure.cells + 4 * cells.length);
    this.setU16(c + Closure.cellCount, cells.length);
    this.setU32(c + Closure.func, func);
    cells.forEach((cell, i) => this.setU32(c + Closure.cells + 4 * i, cell));
    return c;
  }
  closureFunc(c: number): number {
    return this.u32(c + Closure.func);
  }
  closureCell(c: number, i: number): number {
    return this.u32(c + Closure.cells + 4 * i);
  }

  newNative(index: number): number {
    const n = this.alloc(ObjType.native, Native.size);
    this.setU32(n + Native.index, index);
    return n;
  }

  newBoundMethod(receiver: RtVal, closure: number): number {
    const b = this.alloc(ObjType.boundMethod, Bound.size);
    this.writeVal(b + Bound.receiver, receiver);
    this.setU32(b + Bound.closure, closure);
    return b;
  }

  // ---------------- tables ----------------

  newTable(capacity = 8): number {
    const t = this.alloc(ObjType.table, Table.size);
    this.setU32(t + Table.capacity, capacity);
    this.setU32(t + Table.entries, this.allocRaw(capacity * Table.entrySize));
    return t;
  }

  /** Address of the entry for `key` (a string), or of the empty slot where it would go. */
  private tableSlot(table: number, key: number): number {
    const capacity = this.u32(table + Table.capacity);
    const entries = this.u32(table + Table.entries) + Raw.payload;
    let i = this.u32(key + Str.hash) & (capacity - 1);
    for (;;) {
      const entry = entries + i * Table.entrySize;
      const k = this.u32(entry + Table.entryKey);
      if (k === key || k === 0) return entry;
      i = (i + 1) & (capacity - 1);
    }
  }

  tableGet(table: number, key: number): RtVal | undefined {
    const entry = this.tableSlot(table, key);
    return this.u32(entry + Table.entryKey) === 0 ? undefined : this.readVal(entry + Table.entryValue);
  }

  tableSet(table: number, key: number, value: RtVal): void {
    let entry = this.tableSlot(table, key);
    if (this.u32(entry + Table.entryKey) === 0) {
      const count = this.u32(table + Table.count) + 1;
      const capacity = this.u32(table + Table.capacity);
      if (count * 4 > capacity * 3) {
        this.growTable(table, capacity * 2);
        entry = this.tableSlot(table, key);
      }
      this.setU32(table + Table.count, count);
      this.setU32(entry + Table.entryKey, key);
    }
    this.writeVal(entry + Table.entryValue, value);
  }

  /** Every (key, value) of a table, in storage order. */
  tableEntries(table: number): [number, RtVal][] {
    const capacity = this.u32(table + Table.capacity);
    const entries = this.u32(table + Table.entries) + Raw.payload;
    const out: [number, RtVal][] = [];
    for (let i = 0; i < capacity; i++) {
      const entry = entries + i * Table.entrySize;
      const k = this.u32(entry + Table.entryKey);
      if (k !== 0) out.push([k, this.readVal(entry + Table.entryValue)]);
    }
    return out;
  }

  private growTable(table: number, capacity: number): void {
    const old = this.tableEntries(table);
    this.setU32(table + Table.capacity, capacity);
    this.setU32(table + Table.entries, this.allocRaw(capacity * Table.entrySize));
    for (const [k, v] of old) {
      const entry = this.tableSlot(table, k);
      this.setU32(entry + Table.entryKey, k);
      this.writeVal(entry + Table.entryValue, v);
    }
  }

  // ---------------- classes, shapes, instances ----------------

  newClass(name: number): number {
    const k = this.alloc(ObjType.klass, Klass.size);
    this.setU32(k + Klass.name, name);
    this.setU32(k + Klass.methods, this.newTable());
    this.setU32(k + Klass.rootShape, this.alloc(ObjType.shape, Shape.size));
    return k;
  }

  classMethod(klass: number, name: number): number | undefined {
    const m = this.tableGet(this.u32(klass + Klass.methods), name);
    return m === undefined ? undefined : Number(m as bigint);
  }

  setClassMethod(klass: number, name: number, closure: number): void {
    this.tableSet(this.u32(klass + Klass.methods), name, BigInt(closure));
    if (this.stringText(name) === "init") this.setU32(klass + Klass.init, closure);
  }

  newInstance(klass: number): number {
    const inst = this.alloc(ObjType.instance, Instance.size);
    this.setU32(inst + Instance.klass, klass);
    this.setU32(inst + Instance.shape, this.u32(klass + Klass.rootShape));
    return inst;
  }

  /** The slot of field `name` in a shape, or -1 (walks the parent chain). */
  shapeSlot(shape: number, name: number): number {
    for (let s = shape; s !== 0; s = this.u32(s + Shape.parent)) {
      if (this.u32(s + Shape.name) === name && this.u32(s + Shape.count) > 0) return this.u32(s + Shape.count) - 1;
    }
    return -1;
  }

  /** The shape reached from `shape` by adding field `name` (shared between instances). */
  private transition(shape: number, name: number): number {
    let table = this.u32(shape + Shape.transitions);
    if (table !== 0) {
      const next = this.tableGet(table, name);
      if (next !== undefined) return Number(next as bigint);
    } else {
      table = this.newTable(4);
      this.setU32(shape + Shape.transitions, table);
    }
    const next = this.alloc(ObjType.shape, Shape.size);
    this.setU32(next + Shape.parent, shape);
    this.setU32(next + Shape.name, name);
    this.setU32(next + Shape.count, this.u32(shape + Shape.count) + 1);
    this.tableSet(table, name, BigInt(next));
    return next;
  }

  fieldGet(inst: number, name: number): RtVal | undefined {
    const slot = this.shapeSlot(this.u32(inst + Instance.shape), name);
    if (slot < 0) return undefined;
    return this.readVal(this.u32(inst + Instance.fields) + Raw.payload + slot * 8);
  }

  fieldSet(inst: number, name: number, value: RtVal): void {
    const shape = this.u32(inst + Instance.shape);
    let slot = this.shapeSlot(shape, name);
    if (slot < 0) {
      const next = this.transition(shape, name);
      slot = this.u32(next + Shape.count) - 1;
      let fields = this.u32(inst + Instance.fields);
      const capacity = fields === 0 ? 0 : this.u32(fields + Raw.payloadSize) / 8;
      if (slot >= capacity) {
        const grown = this.allocRaw(Math.max(4, capacity * 2) * 8);
        if (fields !== 0) this.bytes.copyWithin(grown + Raw.payload, fields + Raw.payload, fields + Raw.payload + capacity * 8);
        this.setU32(inst + Instance.fields, grown);
        fields = grown;
      }
      this.setU32(inst + Instance.shape, next);
    }
    this.writeVal(this.u32(inst + Instance.fields) + Raw.payload + slot * 8, value);
  }

  // ---------------- arrays ----------------

  newArray(elements: readonly RtVal[]): number {
    const a = this.alloc(ObjType.array, Arr.size);
    const capacity = Math.max(4, elements.length);
    const raw = this.allocRaw(capacity * 8);
    this.setU32(a + Arr.length, elements.length);
    this.setU32(a + Arr.capacity, capacity);
    this.setU32(a + Arr.elements, raw);
    elements.forEach((e, i) => this.writeVal(raw + Raw.payload + i * 8, e));
    return a;
  }
  arrayLength(a: number): number {
    return this.u32(a + Arr.length);
  }
  arrayGet(a: number, i: number): RtVal {
    return this.readVal(this.u32(a + Arr.elements) + Raw.payload + i * 8);
  }
  arraySet(a: number, i: number, v: RtVal): void {
    this.writeVal(this.u32(a + Arr.elements) + Raw.payload + i * 8, v);
  }
  arrayPush(a: number, v: RtVal): void {
    const length = this.arrayLength(a);
    const capacity = this.u32(a + Arr.capacity);
    if (length === capacity) {
      const grown = this.allocRaw(capacity * 2 * 8);
      const old = this.u32(a + Arr.elements);
      this.bytes.copyWithin(grown + Raw.payload, old + Raw.payload, old + Raw.payload + length * 8);
      this.setU32(a + Arr.elements, grown);
      this.setU32(a + Arr.capacity, capacity * 2);
    }
    this.setU32(a + Arr.length, length + 1);
    this.arraySet(a, length, v);
  }
  arrayPop(a: number): RtVal {
    const length = this.arrayLength(a) - 1;
    const v = this.arrayGet(a, length);
    this.setU32(a + Arr.length, length);
    return v;
  }
  isFrozen(a: number): boolean {
    return this.hasFlag(a, Flag.frozen);
  }
}
