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
  /** The type of value it returns whenever it returns (absent: it may return values of several types). */
  readonly returns?: "number" | "string" | "boolean" | "array" | "nil";
}

export const NATIVE_SPECS: readonly NativeSpec[] = [
  { name: "clock", arity: 0, returns: "number" },
  { name: "len", arity: 1, returns: "number" },
  { name: "array", arity: 2, returns: "array" },
  { name: "push", arity: 2, returns: "nil" },
  { name: "pop", arity: 1 },
  { name: "freeze", arity: 1, returns: "array" },
  { name: "floor", arity: 1, returns: "number" },
  { name: "band", arity: 2, returns: "number" },
  { name: "bor", arity: 2, returns: "number" },
  { name: "bxor", arity: 2, returns: "number" },
  { name: "shl", arity: 2, returns: "number" },
  { name: "shr", arity: 2, returns: "number" },
  { name: "substring", arity: 3, returns: "string" },
  { name: "charCode", arity: 2, returns: "number" },
  { name: "fromCharCode", arity: 1, returns: "string" },
  { name: "parseNumber", arity: 1 },
  { name: "toString", arity: 1, returns: "string" },
  { name: "error", arity: 1, neverReturns: true },
  { name: "isNumber", arity: 1, returns: "boolean" },
  { name: "isString", arity: 1, returns: "boolean" },
  { name: "isArray", arity: 1, returns: "boolean" },
];

export const NEVER_RETURNING_NATIVES: ReadonlySet<string> = new Set(NATIVE_SPECS.filter((s) => s.neverReturns === true).map((s) => s.name));

export const NATIVE_SPEC_BY_NAME: ReadonlyMap<string, NativeSpec> = new Map(NATIVE_SPECS.map((s) => [s.name, s]));

export const NATIVE_INDEX: ReadonlyMap<string, number> = new Map(NATIVE_SPECS.map((s, i) => [s.name, i]));

/** Seconds since the process started, for `clock()` in every engine. */
const start = performance.now();
export function clockSeconds(): number {
  return (performance.now() - start) / 1000;
}
