/**
 * The allocator under the heap: views of linear memory, value boxing, and
 * the size-class page allocator of the memory map in `layout.ts`
 * (Boehm/Weiser-style: pages of equal-size cells with free lists threaded
 * through the free cells, large objects in runs of whole pages).
 *
 * All allocator state lives in memory (free-list heads at `AllocState`,
 * `bump`, `largeFree`, the `allocated` counter in `Roots`), so compiled
 * code can pop a free list inline and this code sees the result. Only this
 * class takes pages: from the free-run list (first fit, split), else at
 * `bump`, growing memory when needed.
 *
 * Invariants: every page from HEAP_START to `bump` belongs to exactly one
 * run whose first page has a valid header; memory from `bump` on is zero; a
 * free cell is zero except its type (0) and `word` (next free cell); a free
 * run is on the `largeFree` list and is zeroed when it is taken again.
 * Views are rebuilt after memory grows (`refresh`); addresses stay valid.
 */
import {
  CELL_SIZE_TABLE, FALSE_LO, FREE_LISTS, freeListHead, MAX_SMALL_SIZE, SIZE_CLASS_TABLE, IC_REGION_END, Header, HEAP_START, largeRunPages, NIL_LO, OBJECT_HI, ObjType, PAGE_FREE, PAGE_SIZE, PageHeader,
  QNAN_HI, Roots, SIZE_CLASSES, sizeClassOf, TRUE_LO, UNDEFINED_LO, cellsPerPage,
} from "./layout.ts";
import type { Memory } from "./memory.ts";

export type RtVal = number | boolean | null | bigint | undefined;

/** Thrown when memory cannot grow for an allocation (the Lox error "Out of memory."). */
export class HeapExhausted extends Error {}

const MAX_ADDRESS = 2 ** 32;
/** The heap never uses the last page, so that every address and `bump` itself fit in 32 bits. */
const MAX_HEAP_END = MAX_ADDRESS - PAGE_SIZE;
const U32_MAX = 0xffffffff;

export class HeapSpace {
  private view!: DataView;
  /** Byte view of memory; replaced when memory grows. */
  bytes!: Uint8Array;
  /** u32 view of memory (index = address >> 2); replaced when memory grows. */
  words!: Uint32Array;

  protected constructor(readonly linear: Memory) {
    this.refresh();
  }

  /** Rebuilds the views (after memory grew). */
  refresh(): void {
    const buffer = this.linear.buffer;
    this.view = new DataView(buffer);
    this.bytes = new Uint8Array(buffer);
    this.words = new Uint32Array(buffer);
  }

  /**
   * Rebuilds the views if memory was grown by someone else. A Wasm memory
   * that grows detaches its old buffer, which empties the views: testing
   * that is cheap, where reading `buffer` again is a call into the engine
   * on every access. Only the heap grows an ArrayBufferMemory, and it
   * refreshes the views itself.
   */
  protected syncViews(): void {
    if (this.bytes.length === 0) this.refresh();
  }

  /** The current memory (replaced when memory grows). */
  get memory(): DataView {
    this.syncViews();
    return this.view;
  }
  /** The next never-used page. */
  get bump(): number {
    return this.words[Roots.bump >>> 2] as number;
  }
  /** Same as `bump` (kept for older callers). */
  get top(): number {
    return this.bump;
  }
  get imageEnd(): number {
    return this.words[Roots.imageEnd >>> 2] as number;
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

  /** A zeroed object of `size` bytes (header included, at least 8) with its type set; 8-byte aligned. */
  alloc(type: ObjType, size: number): number {
    const cls = sizeClassOf(size);
    if (cls < 0) return this.allocLarge(type, size);
    const words = this.words;
    const head = freeListHead(cls) >>> 2;
    let cell = words[head] as number;
    if (cell === 0) cell = this.carvePage(cls);
    const w = this.words; // carvePage may have grown memory
    w[head] = w[(cell + Header.word) >>> 2] as number;
    w[(cell + Header.word) >>> 2] = 0;
    this.bytes[cell + Header.type] = type;
    this.countAllocated(SIZE_CLASSES[cls] as number);
    return cell;
  }

  private allocLarge(type: ObjType, size: number): number {
    const pages = largeRunPages(size);
    const run = this.takePages(pages);
    const w = this.words;
    w[(run + PageHeader.cellSize) >>> 2] = 0;
    w[(run + PageHeader.pages) >>> 2] = pages;
    const obj = run + PageHeader.size;
    this.bytes[obj + Header.type] = type;
    this.countAllocated(pages * PAGE_SIZE);
    return obj;
  }

  private countAllocated(bytes: number): void {
    const at = Roots.allocated >>> 2;
    const total = (this.words[at] as number) + bytes;
    this.words[at] = total > U32_MAX ? U32_MAX : total;
  }

  /** Formats a fresh page for size class `cls`, threads its cells onto the (empty) free list; returns the first cell. */
  private carvePage(cls: number): number {
    const cellSize = SIZE_CLASSES[cls] as number;
    const page = this.takePages(1);
    const w = this.words;
    w[(page + PageHeader.cellSize) >>> 2] = cellSize;
    w[(page + PageHeader.pages) >>> 2] = 1;
    const count = cellsPerPage(cellSize);
    const first = page + PageHeader.size;
    // Each cell's link (its word) is the next cell: one store per cell, the word index and its value stepped along.
    const step = cellSize >>> 2;
    const end = ((first + Header.word) >>> 2) + (count - 1) * step;
    for (let at = (first + Header.word) >>> 2, next = first + cellSize; at < end; at += step, next += cellSize) w[at] = next;
    w[freeListHead(cls) >>> 2] = first;
    return first;
  }

  /**
   * `pages` zeroed pages (the first one's header zero too): the first free
   * run that is big enough (split), else fresh pages at `bump`.
   */
  private takePages(pages: number): number {
    const w = this.words;
    let prevLink = Roots.largeFree;
    for (let run = w[prevLink >>> 2] as number; run !== 0; run = w[(run + PageHeader.next) >>> 2] as number) {
      const have = w[(run + PageHeader.pages) >>> 2] as number;
      if (have >= pages) {
        let next = w[(run + PageHeader.next) >>> 2] as number;
        if (have > pages) {
          const rest = run + pages * PAGE_SIZE;
          this.formatFreeRun(rest, have - pages, next);
          next = rest;
        }
        w[prevLink >>> 2] = next;
        this.bytes.fill(0, run, run + pages * PAGE_SIZE);
        return run;
      }
      prevLink = run + PageHeader.next;
    }
    const run = this.bump;
    const end = run + pages * PAGE_SIZE;
    this.ensureMemory(end);
    this.words[Roots.bump >>> 2] = end;
    return run;
  }

  /** Writes the header of a free run. */
  formatFreeRun(run: number, pages: number, next: number): void {
    const w = this.words;
    w[(run + PageHeader.cellSize) >>> 2] = 0;
    w[(run + PageHeader.pages) >>> 2] = pages;
    w[(run + PageHeader.next) >>> 2] = next;
    w[(run + PageHeader.state) >>> 2] = PAGE_FREE;
  }

  /** Grows memory so that [0, end) exists: doubling it if possible (growing an ArrayBuffer copies), else exactly. */
  protected ensureMemory(end: number): void {
    if (end > MAX_HEAP_END) throw new HeapExhausted("out of memory");
    const size = this.linear.buffer.byteLength;
    if (end <= size) return;
    const current = size / PAGE_SIZE;
    const need = Math.ceil((end - size) / PAGE_SIZE);
    const generous = Math.min(Math.max(need, current), MAX_ADDRESS / PAGE_SIZE - current);
    if (this.linear.grow(generous) < 0 && (generous === need || this.linear.grow(need) < 0)) {
      throw new HeapExhausted("out of memory");
    }
    this.refresh();
  }

  /** Formats the roots and allocator state of a new heap (clears the roots, free lists and IC cells). */
  protected format(threshold: number): void {
    this.ensureMemory(HEAP_START);
    this.bytes.fill(0, 0, IC_REGION_END);
    const w = this.words;
    w[Roots.bump >>> 2] = HEAP_START;
    w[Roots.imageEnd >>> 2] = HEAP_START;
    w[Roots.threshold >>> 2] = threshold;
    for (let k = 0; k <= MAX_SMALL_SIZE / 8; k++) this.bytes[SIZE_CLASS_TABLE + k] = Math.max(0, sizeClassOf(8 * k));
    SIZE_CLASSES.forEach((size, c) => this.view.setUint16(CELL_SIZE_TABLE + 2 * c, size, true));
  }

  /** Rebuilds every free list from the free cells of the small pages, in address order. */
  protected rethreadFreeLists(): void {
    const tails = new Uint32Array(SIZE_CLASSES.length);
    const w = this.words;
    w.fill(0, freeListHead(0) >> 2, freeListHead(FREE_LISTS) >> 2);
    this.forEachRun((run, pages, cellSize, free) => {
      if (free || cellSize === 0) return;
      const cls = sizeClassOf(cellSize);
      for (let cell = run + PageHeader.size; cell + cellSize <= run + pages * PAGE_SIZE; cell += cellSize) {
        if (this.bytes[cell] !== ObjType.free) continue;
        w[(cell + Header.word) >>> 2] = 0;
        const tail = tails[cls] as number;
        if (tail === 0) w[freeListHead(cls) >>> 2] = cell;
        else w[(tail + Header.word) >>> 2] = cell;
        tails[cls] = cell;
      }
    });
  }

  /**
   * Visits every run from HEAP_START to `bump` in address order: its
   * address, number of pages, cell size (0 for a large run) and whether it
   * is free. Stops early if `visit` returns false.
   */
  forEachRun(visit: (run: number, pages: number, cellSize: number, free: boolean) => boolean | void): void {
    const bump = this.bump;
    for (let run = HEAP_START; run < bump;) {
      const w = this.words;
      const pages = w[(run + PageHeader.pages) >>> 2] as number;
      const free = w[(run + PageHeader.state) >>> 2] === PAGE_FREE;
      if (visit(run, pages, w[(run + PageHeader.cellSize) >>> 2] as number, free) === false) return;
      if (pages === 0) return; // a corrupt header: the verifier reports it
      run += pages * PAGE_SIZE;
    }
  }
}
