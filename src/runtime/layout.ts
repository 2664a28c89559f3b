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
 * Memory: address 0 is null. The runtime's own roots live at fixed
 * addresses below HEAP_START; objects are 8-byte aligned and start with an
 * 8-byte header: type tag (u8), flags (u8), a 16-bit and a 32-bit field
 * whose meaning depends on the type. All multi-byte fields are little
 * endian (WebAssembly's order).
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
} as const;

/** String: word = byte length; then hash (u32, FNV-1a) at +8; bytes from +16. */
export const Str = { length: 4, hash: 8, bytes: 16 } as const;

/** Array: word = length; capacity at +8; element storage (a raw object of vals) at +12. */
export const Arr = { length: 4, capacity: 8, elements: 12, size: 16 } as const;

/** Closure: small = number of cells; word = function index; cell addresses (u32) from +8. */
export const Closure = { cellCount: 2, func: 4, cells: 8 } as const;

/** Cell (a captured variable): the value at +8. */
export const Cell = { value: 8, size: 16 } as const;

/** Class: word = name (string); methods table at +8; `init` closure or 0 at +12; root shape at +16. */
export const Klass = { name: 4, methods: 8, init: 12, rootShape: 16, size: 24 } as const;

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

/** Fixed addresses of the runtime's roots. */
export const Roots = {
  /** First free byte of the bump region. */
  heapTop: 16,
  /** Raw object holding one val per global, indexed by global id. */
  globals: 20,
  /** Interned-string set (a table whose values are unused). */
  strings: 24,
} as const;

export const HEAP_START = 64;

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
