/**
 * The heap layout: how Lox values are boxed and how objects sit in linear
 * memory. This one module is what the lowering, the IR interpreter's heap,
 * the Wasm runtime, the partial evaluator and the GC all read.
 *
 * Values are 64-bit NaN boxes (DESIGN.md §4). A number is its own IEEE
 * bits. Everything else has the quiet-NaN bits of QNAN (0x7FFC in the high
 * 16 bits), which arithmetic never produces (it yields the canonical NaN
 * 0x7FF8...): nil, false and true are QNAN|1, |2, |3, the internal marker
 * for a global not yet defined is QNAN|4, and an object reference is
 * SIGN|QNAN|address with a 32-bit address into linear memory.
 *
 * Objects are 8-byte aligned and start with an 8-byte header: type tag
 * (u8), flags (u8), a 16-bit and a 32-bit field whose meaning depends on
 * the type. All multi-byte fields are little endian (WebAssembly's order).
 *
 * The memory map (docs/wasm-engine.md), shared by compiled code and the
 * JavaScript runtime (`heap.ts`), is at the end of this file: fixed roots
 * below 64, free-list heads from 64, inline-cache cells from 4096, the
 * shadow stack from 64 KiB, then pages of objects from HEAP_START.
 */

export const QNAN_HI = 0x7ffc0000;
export const OBJECT_HI = 0xfffc0000 | 0;
export const NIL_LO = 1;
export const FALSE_LO = 2;
export const TRUE_LO = 3;
export const UNDEFINED_LO = 4;

export const NIL_BITS = (BigInt(QNAN_HI) << 32n) | BigInt(NIL_LO);
export const FALSE_BITS = (BigInt(QNAN_HI) << 32n) | BigInt(FALSE_LO);
export const TRUE_BITS = (BigInt(QNAN_HI) << 32n) | BigInt(TRUE_LO);
export const UNDEFINED_BITS = (BigInt(QNAN_HI) << 32n) | BigInt(UNDEFINED_LO);
export const OBJECT_TAG_BITS = BigInt(0xfffc0000) << 32n;

export const ObjType = {
  /** A free cell of a size-class page: `word` is the next free cell of its class (0 ends the list). */
  free: 0,
  string: 1,
  array: 2,
  closure: 3,
  cell: 4,
  klass: 5,
  instance: 6,
  boundMethod: 7,
  native: 8,
  shape: 9,
  raw: 10,
  table: 11,
} as const;
export type ObjType = (typeof ObjType)[keyof typeof ObjType];

/** Header: type at +0 (u8), flags at +1 (u8), `small` at +2 (u16), `word` at +4 (u32). */
export const Header = {
  type: 0,
  flags: 1,
  small: 2,
  word: 4,
  size: 8,
} as const;

export const Flag = {
  /** Set by the GC's mark phase. */
  mark: 1 << 0,
  /** Arrays: `freeze` was called; writes are runtime errors. */
  frozen: 1 << 1,
  /** Part of the initial heap image (`Heap.markImageEnd`): never freed, a GC root. */
  immortal: 1 << 2,
  /**
   * Instances: the class call that made the instance has returned; from now
   * on its class's readonly fields (`Klass.readonly`) cannot be assigned.
   */
  constructed: 1 << 3,
} as const;

/** String: word = byte length; then hash (u32, FNV-1a) at +8; bytes from +16. */
export const Str = { length: 4, hash: 8, bytes: 16 } as const;

/** Array: word = length; capacity at +8; element storage (a raw object of vals) at +12. */
export const Arr = { length: 4, capacity: 8, elements: 12, size: 16 } as const;

/** Closure: small = number of cells; word = function index; cell addresses (u32) from +8. */
export const Closure = { cellCount: 2, func: 4, cells: 8 } as const;

/** Cell (a captured variable): the value at +8. */
export const Cell = { value: 8, size: 16 } as const;

/**
 * Class: word = name (string); methods table at +8; `init` closure or 0 at
 * +12; root shape at +16; at +20 the most fields any instance of the class
 * has had, so new instances get field storage of that size up front; at
 * +24 the readonly fields (`@readonly`, its own and inherited: a table from
 * field name to true) or 0 when there are none. Every class has its own
 * root shape, so a shape determines the class of its instances.
 */
export const Klass = { name: 4, methods: 8, init: 12, rootShape: 16, fieldHint: 20, readonly: 24, size: 32 } as const;

/** Instance: word = class; shape at +8; field storage (raw object of vals) at +12. */
export const Instance = { klass: 4, shape: 8, fields: 12, size: 16 } as const;

/** Bound method: receiver (val) at +8; closure at +16. */
export const Bound = { receiver: 8, closure: 16, size: 24 } as const;

/** Native function: word = native index. */
export const Native = { index: 4, size: 8 } as const;

/**
 * Shape (hidden class): word = parent shape (0 for a class's root shape);
 * field name (string) at +8; number of fields at +12 (this field's slot is
 * count - 1); transitions table (name -> shape) or 0 at +16.
 */
export const Shape = { parent: 4, name: 8, count: 12, transitions: 16, size: 24 } as const;

/** Raw storage: word = payload size in bytes; payload from +8. */
export const Raw = { payloadSize: 4, payload: 8 } as const;

/**
 * Table (hash map from interned string to value, open addressing, linear
 * probing, never shrinks): word = number of entries; capacity (a power of
 * two) at +8; entry storage (raw) at +12. An entry is 16 bytes: key string
 * address (0 = empty) at +0, value at +8.
 */
export const Table = { count: 4, capacity: 8, entries: 12, size: 16, entrySize: 16, entryKey: 0, entryValue: 8 } as const;

// ---------------------------------------------------------------------------
// The memory map
// ---------------------------------------------------------------------------

/** WebAssembly's page size; heap pages have this size too. */
export const PAGE_SIZE = 65536;
/** The largest memory: 4 GiB. */
export const MAX_MEMORY_PAGES = 65536;

/**
 * The runtime's roots: u32 fields at fixed addresses in the null page
 * (0 .. 63; address 0 itself is never an object). Compiled code reads them;
 * only the JavaScript runtime changes `bump`, `largeFree`, `imageEnd`,
 * `threshold`, `collections` and `liveBytes`.
 */
export const Roots = {
  /** Raw object holding one val per global, indexed by global id (0 until `initGlobals`). */
  globals: 8,
  /** Address of the next never-used page (page aligned, >= HEAP_START): memory from here on is zero. */
  bump: 12,
  /** First run of the free-run list (see `PageHeader`), or 0. */
  largeFree: 16,
  /** `bump` when the initial image was finished (HEAP_START if there is no image). */
  imageEnd: 20,
  /**
   * Bytes allocated since the last collection (saturates at 2^32 - 1).
   * Code that allocates inline adds the cell size it took.
   */
  allocated: 24,
  /**
   * A safepoint collects when `allocated >= threshold`. 0 under GC stress:
   * inline allocation may test `allocated >= threshold` to route every
   * allocation through the runtime.
   */
  threshold: 28,
  /** Number of collections so far (wraps). */
  collections: 32,
  /** Bytes in live objects after the last collection. */
  liveBytes: 36,
} as const;

/** Number of free-list heads (size classes beyond `SIZE_CLASSES.length` are unused, their heads 0). */
export const FREE_LISTS = 64;

/**
 * Allocator state at address 64: one u32 free-list head per size class,
 * the head of class i at `freeLists + 4 * i` (0 = empty list).
 */
export const AllocState = { freeLists: 64, size: 4 * FREE_LISTS } as const;

/** Address of the free-list head of size class `cls`. */
export function freeListHead(cls: number): number {
  return AllocState.freeLists + 4 * cls;
}

/**
 * Tables compiled code reads to allocate inline, written by the heap when
 * it formats memory (so they are part of every image): for a size of
 * `8k` bytes (k = 0..256), the size class at `SIZE_CLASS_TABLE + k` (u8);
 * the cell size of class `c` at `CELL_SIZE_TABLE + 2c` (u16).
 */
export const SIZE_CLASS_TABLE = AllocState.freeLists + AllocState.size;
export const CELL_SIZE_TABLE = SIZE_CLASS_TABLE + 264;

/**
 * Inline-cache cells: 8 bytes each from IC_REGION_START, a u32 key (an
 * object address, or 0 for an empty cell) at +0 and a u32 datum at +4. The
 * GC treats them as weak: after marking, a cell whose key is an object
 * being freed is zeroed (both words).
 */
export const IC_REGION_START = 4096;
/** Cells of the polymorphic inline cache of one field read or invoke site (most recent first). */
export const POLY_ENTRIES = 4;
export const IC_REGION_END = 65536;
export const IcCell = { key: 0, data: 4, size: 8 } as const;

/**
 * The shadow stack of spilled GC roots: every 8-byte word from
 * SHADOW_STACK_BASE up to the shadow stack pointer is a val the GC reads as
 * a root (a word that is not a reference to an object is ignored).
 */
export const SHADOW_STACK_BASE = 65536;
export const SHADOW_STACK_SIZE = 8 * 1024 * 1024;
export const SHADOW_STACK_END = SHADOW_STACK_BASE + SHADOW_STACK_SIZE;

/** The first heap page. */
export const HEAP_START = SHADOW_STACK_END;

/**
 * Page header: the first 16 bytes of every page from HEAP_START to `bump`
 * that starts a run (a small page is a run of 1 page; the other pages of a
 * large run have no header).
 *
 * - `cellSize`: the cell size of a small page (one of SIZE_CLASSES), 0 for
 *   a large run.
 * - `pages`: the number of pages of the run (1 for a small page).
 * - `next`: for a free run, the next run of the `largeFree` list (or 0).
 * - `state`: 0 for a page in use, `PAGE_FREE` for a free run (whose
 *   contents, apart from this header, are garbage).
 *
 * A small page holds `cellsPerPage(cellSize)` cells from page + 16. A free
 * cell has type `ObjType.free` and the next free cell of its class in its
 * `word`; every other byte of a free cell is zero (so allocation only has
 * to set the header). A large object (size > MAX_SMALL_SIZE, header
 * included) gets a run of whole pages and starts at run + 16.
 */
export const PageHeader = { cellSize: 0, pages: 4, next: 8, state: 12, size: 16 } as const;
export const PAGE_FREE = 1;

/** Cell sizes of the small size classes (bytes, multiples of 8, ~25% apart). */
export const SIZE_CLASSES: readonly number[] = [
  16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384, 448, 512, 640, 768, 896, 1024, 1280, 1536,
  1792, 2048,
];
/** Objects larger than this (header included) are large: a run of pages each. */
export const MAX_SMALL_SIZE = 2048;

const CLASS_OF_WORDS: readonly number[] = (() => {
  const table: number[] = [];
  let cls = 0;
  for (let words = 0; words <= MAX_SMALL_SIZE / 8; words++) {
    while ((SIZE_CLASSES[cls] as number) < words * 8) cls++;
    table.push(cls);
  }
  return table;
})();

/** Index of the smallest size class that holds `bytes`, or -1 for a large object. */
export function sizeClassOf(bytes: number): number {
  return bytes > MAX_SMALL_SIZE ? -1 : (CLASS_OF_WORDS[(bytes + 7) >> 3] as number);
}

/** Number of cells of a small page of this cell size. */
export function cellsPerPage(cellSize: number): number {
  return Math.floor((PAGE_SIZE - PageHeader.size) / cellSize);
}

/** Number of pages of the run holding a large object of `bytes` (header included). */
export function largeRunPages(bytes: number): number {
  return Math.ceil((bytes + PageHeader.size) / PAGE_SIZE);
}

export function align8(n: number): number {
  return (n + 7) & ~7;
}

/** FNV-1a over bytes, as the reference implementation hashes strings. */
export function hashBytes(bytes: string): number {
  let hash = 2166136261;
  for (let i = 0; i < bytes.length; i++) {
    hash ^= bytes.charCodeAt(i);
    hash = Math.imul(hash, 16777619);
  }
  return hash >>> 0;
}
