/**
 * The native functions every engine provides, by index: the index is what
 * a native object stores, so the order is part of the heap layout. Each
 * engine implements the list; a test checks they agree with it.
 */

export interface NativeSpec {
  readonly name: string;
  readonly arity: number;
  /** Always raises a runtime error (compilers may treat what follows a call as unreachable). */
  readonly neverReturns?: boolean;
}

export const NATIVE_SPECS: readonly NativeSpec[] = [
  { name: "clock", arity: 0 },
  { name: "len", arity: 1 },
  { name: "array", arity: 2 },
  { name: "push", arity: 2 },
  { name: "pop", arity: 1 },
  { name: "freeze", arity: 1 },
  { name: "floor", arity: 1 },
  { name: "band", arity: 2 },
  { name: "bor", arity: 2 },
  { name: "bxor", arity: 2 },
  { name: "shl", arity: 2 },
  { name: "shr", arity: 2 },
  { name: "substring", arity: 3 },
  { name: "charCode", arity: 2 },
  { name: "fromCharCode", arity: 1 },
  { name: "parseNumber", arity: 1 },
  { name: "toString", arity: 1 },
  { name: "error", arity: 1, neverReturns: true },
  { name: "isNumber", arity: 1 },
  { name: "isString", arity: 1 },
  { name: "isArray", arity: 1 },
];

export const NEVER_RETURNING_NATIVES: ReadonlySet<string> = new Set(NATIVE_SPECS.filter((s) => s.neverReturns === true).map((s) => s.name));

export const NATIVE_INDEX: ReadonlyMap<string, number> = new Map(NATIVE_SPECS.map((s, i) => [s.name, i]));

/** Seconds since the process started, for `clock()` in every engine. */
const start = performance.now();
export function clockSeconds(): number {
  return (performance.now() - start) / 1000;
}
