/**
 * The native functions every engine provides, by index: the index is what
 * a native object stores, so the order is part of the heap layout. Each
 * engine implements the list; a test checks they agree with it.
 */
import { LoxKind } from "../ir/lox-kinds.ts";

export interface NativeSpec {
  readonly name: string;
  readonly arity: number;
  /** Always raises a runtime error (compilers may treat what follows a call as unreachable). */
  readonly neverReturns?: boolean;
  /** The kind of value it returns whenever it returns (absent: it may return values of several kinds). */
  readonly returns?: LoxKind;
}

export const NATIVE_SPECS: readonly NativeSpec[] = [
  { name: "clock", arity: 0, returns: LoxKind.num },
  { name: "len", arity: 1, returns: LoxKind.num },
  { name: "array", arity: 2, returns: LoxKind.array },
  { name: "push", arity: 2, returns: LoxKind.nil },
  { name: "pop", arity: 1 },
  { name: "freeze", arity: 1, returns: LoxKind.array },
  { name: "floor", arity: 1, returns: LoxKind.num },
  { name: "band", arity: 2, returns: LoxKind.num },
  { name: "bor", arity: 2, returns: LoxKind.num },
  { name: "bxor", arity: 2, returns: LoxKind.num },
  { name: "shl", arity: 2, returns: LoxKind.num },
  { name: "shr", arity: 2, returns: LoxKind.num },
  { name: "substring", arity: 3, returns: LoxKind.str },
  { name: "charCode", arity: 2, returns: LoxKind.num },
  { name: "fromCharCode", arity: 1, returns: LoxKind.str },
  { name: "parseNumber", arity: 1 },
  { name: "toString", arity: 1, returns: LoxKind.str },
  { name: "error", arity: 1, neverReturns: true },
  { name: "isNumber", arity: 1, returns: LoxKind.bool },
  { name: "isString", arity: 1, returns: LoxKind.bool },
  { name: "isArray", arity: 1, returns: LoxKind.bool },
];

export const NEVER_RETURNING_NATIVES: ReadonlySet<string> = new Set(NATIVE_SPECS.filter((s) => s.neverReturns === true).map((s) => s.name));

export const NATIVE_SPEC_BY_NAME: ReadonlyMap<string, NativeSpec> = new Map(NATIVE_SPECS.map((s) => [s.name, s]));

export const NATIVE_INDEX: ReadonlyMap<string, number> = new Map(NATIVE_SPECS.map((s, i) => [s.name, i]));

/** Seconds since the process started, for `clock()` in every engine. */
const start = performance.now();
export function clockSeconds(): number {
  return (performance.now() - start) / 1000;
}
