/**
 * The Lox objects of the heap (`layout.ts`): strings (interned through a
 * JavaScript map), globals, cells, closures, natives, bound methods,
 * tables, classes, shapes (hidden classes with transitions) and instances,
 * arrays. Built on the allocator of `heap-space.ts`; `heap.ts` adds the
 * image and the collector.
 *
 * Invariants: every object is made by `alloc` (zeroed, type set); storage
 * that grows (array elements, table entries, instance fields) is replaced
 * by a bigger raw object and the old one is left to the collector; no
 * method here collects, so bare addresses stay valid within a call.
 */
import { HeapSpace, type RtVal } from "./heap-space.ts";
import { Arr, Bound, Cell, Closure, Flag, hashBytes, Header, Instance, Klass, Native, ObjType, Raw, Roots, Shape, Str, Table } from "./layout.ts";

export abstract class HeapObjects extends HeapSpace {
  /** Interned strings by text (weak: the collector removes strings it frees). */
  protected readonly interned = new Map<string, number>();
  /** Text of strings by address (a cache). */
  protected readonly stringCache = new Map<number, string>();

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

  /** The interned string with these bytes, if there is one (never allocates). */
  internedString(text: string): number | undefined {
    return this.interned.get(text);
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

  /** Makes the fields named by these strings readonly in the class (see `Klass.readonly`). */
  addReadonlyFields(klass: number, names: readonly number[]): void {
    if (names.length === 0) return;
    let table = this.u32(klass + Klass.readonly);
    if (table === 0) {
      table = this.newTable();
      this.setU32(klass + Klass.readonly, table);
    }
    for (const name of names) this.tableSet(table, name, true);
  }

  /** Whether field `name` (a string) is readonly in instances of the class. */
  isReadonlyField(klass: number, name: number): boolean {
    const table = this.u32(klass + Klass.readonly);
    return table !== 0 && this.tableGet(table, name) !== undefined;
  }

  /** The readonly field names (strings) of the class. */
  readonlyFields(klass: number): number[] {
    const table = this.u32(klass + Klass.readonly);
    return table === 0 ? [] : this.tableEntries(table).map(([name]) => name);
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
    const [a, start] = this.allocArray(elements.length);
    elements.forEach((e, i) => this.writeVal(start + i * 8, e));
    return a;
  }
  /** An array of `count` copies of `fill` (the elements are copied natively, in doubling blocks). */
  newFilledArray(count: number, fill: RtVal): number {
    const [a, start] = this.allocArray(count);
    if (count === 0) return a;
    this.writeVal(start, fill);
    const total = count * 8;
    for (let filled = 8; filled < total;) {
      const n = Math.min(filled, total - filled);
      this.bytes.copyWithin(start + filled, start, start + n);
      filled += n;
    }
    return a;
  }
  /** A new array of length `count` (elements not written); returns it and the address of its first element. */
  private allocArray(count: number): [number, number] {
    const a = this.alloc(ObjType.array, Arr.size);
    const capacity = Math.max(4, count);
    const raw = this.allocRaw(capacity * 8);
    this.setU32(a + Arr.length, count);
    this.setU32(a + Arr.capacity, capacity);
    this.setU32(a + Arr.elements, raw);
    return [a, raw + Raw.payload];
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
