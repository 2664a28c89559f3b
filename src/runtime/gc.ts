/**
 * The garbage collector: non-moving mark-sweep (McCarthy 1960) over the
 * size-class pages of `heap-space.ts` (Boehm/Weiser-style: cells of one
 * size per page, free cells threaded into per-class free lists, large
 * objects in page runs).
 *
 * Mark: precise roots (the globals array, the immortal objects of the
 * initial image, the shadow stack words below its pointer that box an
 * object, the JavaScript roots) are marked and pushed on an explicit stack
 * (no recursion: a list of a million nodes is fine); each popped object's
 * references are marked by type, as `layout.ts` defines them. Raw storage
 * has no type of its own: its owner marks it and the values in it.
 *
 * Then inline-cache cells keyed by an unmarked object are zeroed (weak).
 *
 * Then the interned strings that are not marked are reported (the heap
 * unmaps them: weak interning); every string is interned, so this finds
 * every string about to be freed.
 *
 * Sweep: every run from HEAP_START to `bump`, in address order. Marking
 * also flags each page that holds a marked object; a small page with no
 * flag, and a large run whose object is unmarked, become free runs at once
 * (their cells are not visited: the page pool zeroes a page when it hands
 * it out), adjacent free runs are merged, and the free-run list is
 * rebuilt. In a flagged page, unmarked cells become free (zeroed, type 0)
 * and marks of live objects are cleared; all free lists are rebuilt in
 * address order. After a collection of mostly short-lived objects, most
 * pages have no flag, so the sweep costs little more than a visit per page.
 *
 * Invariants on entry: no object is marked; on exit, the same, and the
 * allocator invariants of `heap-space.ts` hold. Objects never move.
 */
import type { HeapSpace, RtVal } from "./heap-space.ts";
import {
  Arr, Bound, Cell, Closure, Flag, FREE_LISTS, freeListHead, Header, HEAP_START, IC_REGION_END, IC_REGION_START, IcCell,
  Instance, Klass, OBJECT_HI, ObjType, PAGE_FREE, PAGE_SIZE, PageHeader, Raw, Roots, SHADOW_STACK_BASE, SHADOW_STACK_END, Shape, sizeClassOf, Table, cellsPerPage,
} from "./layout.ts";
import { assertNever } from "../support/assert.ts";

export interface GcResult {
  /** Bytes of the cells and runs of live objects. */
  readonly liveBytes: number;
}

const OBJECT_TAG = OBJECT_HI >>> 0;
const MARK = Flag.mark;
const KEEP = Flag.mark | Flag.immortal;

/** The heap's strings, which are all interned: their addresses, and how to unmap one about to be freed. */
export interface InternedStrings {
  addresses(): Iterable<number>;
  /** Called for each string about to be freed (its bytes are still readable). */
  forget(addr: number): void;
}

/**
 * Collects garbage in `space`. `shadowStackTop` is the shadow stack
 * pointer; `roots` are JavaScript values to keep.
 */
export function collectGarbage(
  space: HeapSpace, shadowStackTop: number, roots: readonly (readonly RtVal[])[], strings: InternedStrings,
): GcResult {
  const map = new RunMap(space);
  const marker = new Marker(space, map);
  marker.markRoots(shadowStackTop, roots);
  marker.drain();
  clearInlineCaches(space, map);
  forgetDeadStrings(space, strings);
  return sweep(space, map);
}

function forgetDeadStrings(space: HeapSpace, strings: InternedStrings): void {
  const bytes = space.bytes;
  const dead: number[] = [];
  for (const addr of strings.addresses()) if (((bytes[addr + Header.flags] as number) & KEEP) === 0) dead.push(addr);
  for (const addr of dead) strings.forget(addr);
}

/**
 * Which run each page belongs to, to tell object addresses from other
 * words; and which pages hold a marked object (`flagPage`, by the marker).
 */
class RunMap {
  private readonly runOf: Uint32Array;
  private readonly bump: number;
  /** Per page from HEAP_START: 1 once an object that starts in it is marked. */
  private readonly pageFlags: Uint8Array;

  constructor(private readonly space: HeapSpace) {
    this.bump = space.bump;
    this.runOf = new Uint32Array((this.bump - HEAP_START) / PAGE_SIZE);
    this.pageFlags = new Uint8Array(this.runOf.length);
    space.forEachRun((run, pages) => {
      const first = (run - HEAP_START) / PAGE_SIZE;
      this.runOf.fill(run, first, Math.min(first + pages, this.runOf.length));
    });
  }

  /** Flags the page of a marked object (or of raw storage). */
  flagPage(addr: number): void {
    this.pageFlags[((addr - HEAP_START) / PAGE_SIZE) | 0] = 1;
  }

  /** Whether a page (the first of a run) holds a marked object. */
  isFlagged(run: number): boolean {
    return this.pageFlags[(run - HEAP_START) / PAGE_SIZE] === 1;
  }

  /** Whether `addr` is the address of an allocated (non-free) object. */
  isObject(addr: number): boolean {
    if (addr < HEAP_START || addr >= this.bump || (addr & 7) !== 0) return false;
    const run = this.runOf[(addr - HEAP_START) / PAGE_SIZE | 0] as number;
    const w = this.space.words;
    if (w[(run + PageHeader.state) >>> 2] === PAGE_FREE) return false;
    const cellSize = w[(run + PageHeader.cellSize) >>> 2] as number;
    if (cellSize === 0) return addr === run + PageHeader.size && this.space.bytes[addr] !== ObjType.free;
    const offset = addr - run - PageHeader.size;
    return offset >= 0 && offset % cellSize === 0 && offset / cellSize < cellsPerPage(cellSize) && this.space.bytes[addr] !== ObjType.free;
  }
}

class Marker {
  private readonly stack: number[] = [];
  private readonly bytes: Uint8Array;
  private readonly w: Uint32Array;

  constructor(private readonly space: HeapSpace, private readonly map: RunMap) {
    this.bytes = space.bytes;
    this.w = space.words;
  }

  markRoots(shadowStackTop: number, roots: readonly (readonly RtVal[])[]): void {
    const w = this.w;
    const globals = w[Roots.globals >>> 2] as number;
    if (globals !== 0) this.markRawVals(globals, (w[(globals + Raw.payloadSize) >>> 2] as number) >> 3);
    // The image: every immortal object below imageEnd.
    const imageEnd = w[Roots.imageEnd >>> 2] as number;
    this.space.forEachRun((run, pages, cellSize, free) => {
      if (run >= imageEnd) return false;
      if (free) return true;
      if (cellSize === 0) this.markImmortal(run + PageHeader.size);
      else for (let c = run + PageHeader.size; c + cellSize <= run + pages * PAGE_SIZE; c += cellSize) this.markImmortal(c);
      return true;
    });
    // The shadow stack: stale or non-object words are not references.
    const top = Math.min(shadowStackTop, SHADOW_STACK_END);
    for (let slot = SHADOW_STACK_BASE; slot + 8 <= top; slot += 8) {
      if (w[(slot + 4) >>> 2] !== OBJECT_TAG) continue;
      const addr = w[slot >>> 2] as number;
      if (this.map.isObject(addr)) this.mark(addr);
    }
    for (const list of roots) {
      for (const v of list) {
        if (typeof v !== "bigint") continue;
        const addr = Number(v);
        if (!this.map.isObject(addr)) throw new Error(`internal error: GC root ${addr} is not an object`);
        this.mark(addr);
      }
    }
  }

  private markImmortal(obj: number): void {
    if (((this.bytes[obj + Header.flags] as number) & Flag.immortal) !== 0) this.mark(obj);
  }

  /** Marks an object (an address, 0 for none) and schedules its tracing. */
  private mark(addr: number): void {
    if (addr === 0) return;
    const flags = this.bytes[addr + Header.flags] as number;
    if ((flags & MARK) !== 0) return;
    this.bytes[addr + Header.flags] = flags | MARK;
    this.map.flagPage(addr);
    this.stack.push(addr);
  }

  private markVal(at: number): void {
    if (this.w[(at + 4) >>> 2] === OBJECT_TAG) this.mark(this.w[at >>> 2] as number);
  }

  /** Marks raw storage (no tracing of its own) and the first `count` vals in it. */
  private markRawVals(raw: number, count: number): void {
    if (raw === 0) return;
    this.bytes[raw + Header.flags] = (this.bytes[raw + Header.flags] as number) | MARK;
    this.map.flagPage(raw);
    for (let i = 0, at = raw + Raw.payload; i < count; i++, at += 8) this.markVal(at);
  }

  drain(): void {
    const stack = this.stack;
    while (stack.length > 0) this.trace(stack.pop() as number);
  }

  private trace(obj: number): void {
    const w = this.w;
    const type = this.bytes[obj + Header.type] as ObjType;
    switch (type) {
      case ObjType.string:
      case ObjType.native:
      case ObjType.raw:
        return;
      case ObjType.array:
        this.markRawVals(w[(obj + Arr.elements) >>> 2] as number, w[(obj + Arr.length) >>> 2] as number);
        return;
      case ObjType.closure: {
        const count = this.space.u16(obj + Closure.cellCount);
        for (let i = 0; i < count; i++) this.mark(w[(obj + Closure.cells + 4 * i) >>> 2] as number);
        return;
      }
      case ObjType.cell:
        this.markVal(obj + Cell.value);
        return;
      case ObjType.klass:
        this.mark(w[(obj + Klass.name) >>> 2] as number);
        this.mark(w[(obj + Klass.methods) >>> 2] as number);
        this.mark(w[(obj + Klass.init) >>> 2] as number);
        this.mark(w[(obj + Klass.rootShape) >>> 2] as number);
        this.mark(w[(obj + Klass.readonly) >>> 2] as number);
        return;
      case ObjType.instance: {
        const shape = w[(obj + Instance.shape) >>> 2] as number;
        this.mark(w[(obj + Instance.klass) >>> 2] as number);
        this.mark(shape);
        this.markRawVals(w[(obj + Instance.fields) >>> 2] as number, w[(shape + Shape.count) >>> 2] as number);
        return;
      }
      case ObjType.boundMethod:
        this.markVal(obj + Bound.receiver);
        this.mark(w[(obj + Bound.closure) >>> 2] as number);
        return;
      case ObjType.shape:
        this.mark(w[(obj + Shape.parent) >>> 2] as number);
        this.mark(w[(obj + Shape.name) >>> 2] as number);
        this.mark(w[(obj + Shape.transitions) >>> 2] as number);
        return;
      case ObjType.table: {
        const raw = w[(obj + Table.entries) >>> 2] as number;
        const capacity = w[(obj + Table.capacity) >>> 2] as number;
        this.markRawVals(raw, 0);
        for (let i = 0, e = raw + Raw.payload; i < capacity; i++, e += Table.entrySize) {
          const key = w[(e + Table.entryKey) >>> 2] as number;
          if (key === 0) continue;
          this.mark(key);
          this.markVal(e + Table.entryValue);
        }
        return;
      }
      case ObjType.free:
        throw new Error(`internal error: GC reached the free cell ${obj}`);
      default:
        return assertNever(type, "object type");
    }
  }
}

/** Zeroes the inline-cache cells whose key is an object about to be freed. */
function clearInlineCaches(space: HeapSpace, map: RunMap): void {
  const w = space.words;
  for (let cell = IC_REGION_START; cell < IC_REGION_END; cell += IcCell.size) {
    const key = w[(cell + IcCell.key) >>> 2] as number;
    if (key === 0 || !map.isObject(key) || ((space.bytes[key + Header.flags] as number) & KEEP) !== 0) continue;
    w[(cell + IcCell.key) >>> 2] = 0;
    w[(cell + IcCell.data) >>> 2] = 0;
  }
}

function sweep(space: HeapSpace, map: RunMap): GcResult {
  const bytes = space.bytes;
  const w = space.words;
  const heads = new Uint32Array(FREE_LISTS);
  const tails = new Uint32Array(FREE_LISTS);
  let liveBytes = 0;
  // The free-run list under construction, and a pending run that may still grow.
  let firstFreeRun = 0;
  let lastFreeRun = 0;
  let pendingRun = 0;
  let pendingPages = 0;
  const flushRun = (): void => {
    if (pendingRun === 0) return;
    space.formatFreeRun(pendingRun, pendingPages, 0);
    if (lastFreeRun === 0) firstFreeRun = pendingRun;
    else w[(lastFreeRun + PageHeader.next) >>> 2] = pendingRun;
    lastFreeRun = pendingRun;
    pendingRun = 0;
  };
  const freeRun = (run: number, pages: number): void => {
    if (pendingRun !== 0 && pendingRun + pendingPages * PAGE_SIZE === run) {
      pendingPages += pages;
      return;
    }
    flushRun();
    pendingRun = run;
    pendingPages = pages;
  };

  space.forEachRun((run, pages, cellSize, free) => {
    if (free || !map.isFlagged(run)) {
      // Nothing marked starts here: a free run, or a run whose objects are all dead.
      freeRun(run, pages);
      return;
    }
    flushRun();
    if (cellSize === 0) {
      const obj = run + PageHeader.size;
      bytes[obj + Header.flags] = (bytes[obj + Header.flags] as number) & ~MARK;
      liveBytes += pages * PAGE_SIZE;
      return;
    }
    // A page with survivors keeps its size class: marks are cleared, dead cells zeroed and threaded onto the free list.
    const cls = sizeClassOf(cellSize);
    const count = cellsPerPage(cellSize);
    let live = 0;
    for (let i = 0, cell = run + PageHeader.size; i < count; i++, cell += cellSize) {
      if (bytes[cell] !== ObjType.free) {
        const flags = bytes[cell + Header.flags] as number;
        if ((flags & KEEP) !== 0) {
          bytes[cell + Header.flags] = flags & ~MARK;
          live++;
          continue;
        }
        w.fill(0, cell >>> 2, (cell + cellSize) >>> 2);
      } else {
        w[(cell + Header.word) >>> 2] = 0;
      }
      const tail = tails[cls] as number;
      if (tail === 0) heads[cls] = cell;
      else w[(tail + Header.word) >>> 2] = cell;
      tails[cls] = cell;
    }
    liveBytes += live * cellSize;
  });
  flushRun();
  for (let cls = 0; cls < FREE_LISTS; cls++) w[freeListHead(cls) >>> 2] = heads[cls] as number;
  w[Roots.largeFree >>> 2] = firstFreeRun;
  return { liveBytes };
}
