/**
 * The runtime heap: Lox objects in linear memory with exactly the layout
 * of `layout.ts`, for both engines. The IR engine runs it over an
 * ArrayBuffer (`Heap.create()`) and never collects; the WebAssembly engine
 * attaches it to the module's memory (`Heap.attach`), which compiled code
 * shares, and collects at safepoints (`safepoint`, `gc.ts`).
 *
 * Values on the JavaScript side (`RtVal`): a Lox number is a JS number, nil
 * is null, booleans are booleans, an object is a bigint holding its address
 * (bigints compare by value, so `===` is identity of objects), and
 * `undefined` is the marker of a global that was never defined.
 *
 * Invariants: objects never move (compiled code embeds addresses); a
 * collection happens only in `safepoint`/`collect`, never inside another
 * method, so JavaScript may hold bare addresses between safepoints but must
 * root (globals, shadow stack, `pushRoot`, the safepoint's extra roots)
 * whatever it holds across one. Interned strings are found through a
 * JavaScript map; a string that dies leaves the map (strings of the initial
 * image are immortal). Growing storage (arrays, tables, fields) leaves the
 * old storage to the collector.
 */
import { collectGarbage, type InternedStrings } from "./gc.ts";
import { HeapObjects } from "./heap-objects.ts";
import { HeapExhausted, type RtVal } from "./heap-space.ts";
import {
  AllocState, Flag, Header, HEAP_START, ObjType, PAGE_SIZE, PageHeader, Roots, SHADOW_STACK_BASE,
} from "./layout.ts";
import { ArrayBufferMemory, dataSegments, type Memory, type MemoryImage } from "./memory.ts";

export { HeapExhausted, type RtVal };

export interface HeapOptions {
  /** Collect at every safepoint (and set the `threshold` root to 0). */
  readonly gcStress?: boolean;
  /** The current shadow stack pointer; default: an empty shadow stack. */
  readonly shadowStackPointer?: () => number;
  /** Allocation between collections at least (bytes; default 4 MiB). */
  readonly minGcThreshold?: number;
  /** Called after every collection (tests verify the heap here). */
  readonly afterCollect?: (heap: Heap) => void;
}

export interface HeapStats {
  /** Collections so far. */
  readonly collections: number;
  /** Bytes of live objects after the last collection (0 before any). */
  readonly bytesLive: number;
  readonly peakBytesLive: number;
  /** Bytes allocated since this Heap object was made (cells and runs, so rounded up). */
  readonly bytesAllocated: number;
  /** Pages in use or on the free lists: `bump - HEAP_START`. */
  readonly heapBytes: number;
  /** The size of linear memory. */
  readonly memoryBytes: number;
  /** Time spent collecting (ms). */
  readonly gcMillis: number;
}

/**
 * Bytes allocated before the first collection, and between two while
 * little is live (a collection comes after twice the live bytes
 * otherwise). Each collection marks everything live, so a small value
 * makes a program with a lasting data structure trace it over and over:
 * binary_trees and trees from the reference benchmarks ran 1.4-1.6x
 * longer with 4 MiB than with 16 MiB (32 MiB gained nothing more). A
 * memory limit lowers it to an eighth of the limit, so that a program
 * whose live data fits collects before it runs out.
 */
const DEFAULT_MIN_THRESHOLD = 16 << 20;
const U32_MAX = 0xffffffff;

export class Heap extends HeapObjects {
  private readonly tempRoots: RtVal[] = [];
  /** Objects code compiled at run time refers to: roots for as long as the program runs. */
  private readonly pinned: RtVal[] = [];
  private shadowStackPointer: () => number;
  readonly gcStress: boolean;
  private readonly minThreshold: number;
  private readonly afterCollect: ((heap: Heap) => void) | undefined;
  private collections = 0;
  private allocatedBefore = 0;
  private bytesLive = 0;
  private peakBytesLive = 0;
  private gcMillis = 0;

  private constructor(memory: Memory, options: HeapOptions) {
    super(memory);
    this.gcStress = options.gcStress ?? false;
    this.minThreshold = options.minGcThreshold ?? Math.min(DEFAULT_MIN_THRESHOLD, (memory.maxPages * PAGE_SIZE) / 8);
    this.shadowStackPointer = options.shadowStackPointer ?? (() => SHADOW_STACK_BASE);
    this.afterCollect = options.afterCollect;
  }

  /**
   * A new, empty heap in `memory` (default: an ArrayBuffer with 1 MiB of
   * heap pages), growing it to HEAP_START at least.
   */
  static create(memory: Memory = new ArrayBufferMemory(HEAP_START + (1 << 20)), options: HeapOptions = {}): Heap {
    const heap = new Heap(memory, options);
    heap.format(heap.initialThreshold());
    return heap;
  }

  /**
   * A heap over memory that already holds one (an image made by
   * `create` ... `markImageEnd`, loaded into a module's memory): trusts the
   * roots and allocator state in memory; `imageStrings` are the addresses
   * of the interned strings (`imageStrings()` of the heap that built it).
   */
  static attach(memory: Memory, imageStrings: readonly number[], options: HeapOptions = {}): Heap {
    const heap = new Heap(memory, options);
    const bump = heap.bump;
    if (bump < HEAP_START || bump % PAGE_SIZE !== 0 || bump > memory.buffer.byteLength) {
      throw new Error(`internal error: memory holds no heap (bump = ${bump})`);
    }
    heap.words[Roots.threshold >>> 2] = heap.initialThreshold();
    heap.rethreadFreeLists();
    for (const addr of imageStrings) {
      heap.stringCache.delete(addr);
      heap.interned.set(heap.stringText(addr), addr);
    }
    return heap;
  }

  private initialThreshold(): number {
    return this.gcStress ? 0 : Math.min(U32_MAX, this.minThreshold);
  }

  // ---------------- the initial image ----------------

  /** Makes everything allocated so far the initial image: immortal, a root of every collection. */
  markImageEnd(): void {
    this.forEachRun((run, pages, cellSize, free) => {
      if (free) return;
      if (cellSize === 0) this.setFlag(run + PageHeader.size, Flag.immortal);
      else {
        for (let cell = run + PageHeader.size; cell + cellSize <= run + pages * PAGE_SIZE; cell += cellSize) {
          if (this.type(cell) !== ObjType.free) this.setFlag(cell, Flag.immortal);
        }
      }
    });
    this.words[Roots.imageEnd >>> 2] = this.bump;
    this.allocatedBefore += this.words[Roots.allocated >>> 2] as number;
    this.words[Roots.allocated >>> 2] = 0;
  }

  /** Addresses of the interned strings (for `attach`). */
  imageStrings(): number[] {
    return [...this.interned.values()];
  }

  /**
   * The image to load into a module's memory: memory [0, bump) as data
   * segments. Only the two regions that can hold anything are copied, the
   * globals below the shadow stack and the heap pages (the shadow stack is
   * empty while an image is built, and copying its megabytes of zeroes
   * would cost more than the rest of a small program's compilation). To
   * keep it mostly zero, its free lists are empty and its free cells all
   * zero (not threaded): `attach` threads them again.
   */
  image(): MemoryImage {
    if (this.shadowStackPointer() !== SHADOW_STACK_BASE) throw new Error("internal error: an image is built with an empty shadow stack");
    const low = this.bytes.slice(0, SHADOW_STACK_BASE);
    new Uint32Array(low.buffer).fill(0, AllocState.freeLists >> 2, (AllocState.freeLists + AllocState.size) >> 2);
    const pages = this.bytes.slice(HEAP_START, this.bump);
    const words = new Uint32Array(pages.buffer);
    this.forEachRun((run, runPages, cellSize, free) => {
      if (free || cellSize === 0) return;
      for (let cell = run + PageHeader.size; cell + cellSize <= run + runPages * PAGE_SIZE; cell += cellSize) {
        if (this.type(cell) === ObjType.free) words[(cell - HEAP_START + Header.word) >>> 2] = 0;
      }
    });
    return { size: this.bump, segments: [...dataSegments(low), ...dataSegments(pages, HEAP_START)] };
  }

  // ---------------- garbage collection ----------------

  /** Sets where the shadow stack pointer is read (e.g. a Wasm global, once the instance exists). */
  setShadowStackPointer(read: () => number): void {
    this.shadowStackPointer = read;
  }

  /** Roots `v` for good (an object that specialized code embeds). */
  pin(v: RtVal): void {
    this.pinned.push(v);
  }

  /** Roots `v` until the matching `popRoots`. */
  pushRoot(v: RtVal): void {
    this.tempRoots.push(v);
  }
  popRoots(n: number): void {
    if (n > this.tempRoots.length) throw new Error("internal error: popRoots below the root stack");
    this.tempRoots.length -= n;
  }
  /** Runs `f` with `values` rooted. */
  withRoots<T>(values: readonly RtVal[], f: () => T): T {
    const depth = this.tempRoots.length;
    this.tempRoots.push(...values);
    try {
      return f();
    } finally {
      this.tempRoots.length = depth;
    }
  }

  /**
   * A safepoint: collects if enough was allocated since the last collection
   * (or always, under GC stress). Roots: globals, the image, the shadow
   * stack, the temporary roots, and `extraRoots`. Returns whether it collected.
   */
  safepoint(extraRoots: readonly RtVal[] = []): boolean {
    this.syncViews();
    const w = this.words;
    if (!this.gcStress && (w[Roots.allocated >>> 2] as number) < (w[Roots.threshold >>> 2] as number)) return false;
    this.collect(extraRoots);
    return true;
  }

  /** Collects now (same roots as `safepoint`). */
  collect(extraRoots: readonly RtVal[] = []): void {
    const start = performance.now();
    this.syncViews();
    const result = collectGarbage(this, this.shadowStackPointer(), [this.tempRoots, extraRoots, this.pinned], this.internedStrings);
    const w = this.words;
    this.allocatedBefore += w[Roots.allocated >>> 2] as number;
    w[Roots.allocated >>> 2] = 0;
    w[Roots.threshold >>> 2] = this.gcStress ? 0 : Math.min(U32_MAX, Math.max(this.minThreshold, 2 * result.liveBytes));
    w[Roots.collections >>> 2] = ((w[Roots.collections >>> 2] as number) + 1) >>> 0;
    w[Roots.liveBytes >>> 2] = Math.min(U32_MAX, result.liveBytes);
    this.collections++;
    this.bytesLive = result.liveBytes;
    this.peakBytesLive = Math.max(this.peakBytesLive, result.liveBytes);
    this.gcMillis += performance.now() - start;
    this.afterCollect?.(this);
  }

  stats(): HeapStats {
    return {
      collections: this.collections,
      bytesLive: this.bytesLive,
      peakBytesLive: this.peakBytesLive,
      bytesAllocated: this.allocatedBefore + (this.words[Roots.allocated >>> 2] as number),
      heapBytes: this.bump - HEAP_START,
      memoryBytes: this.linear.buffer.byteLength,
      gcMillis: this.gcMillis,
    };
  }

  /** The collector's view of the interned strings (weak: it unmaps those it frees). */
  private readonly internedStrings: InternedStrings = {
    addresses: () => this.interned.values(),
    forget: (addr) => this.forgetString(addr),
  };

  private forgetString(addr: number): void {
    const text = this.stringCache.get(addr) ?? this.stringText(addr);
    this.stringCache.delete(addr);
    if (this.interned.get(text) === addr) this.interned.delete(text);
  }

  /** Whether `text` is interned now (for tests of weak interning). */
  isInterned(text: string): boolean {
    return this.interned.has(text);
  }
}
