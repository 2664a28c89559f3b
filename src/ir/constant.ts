/**
 * Compile-time constants, as constant folding and the partial evaluator
 * see them: machine numbers, and Lox values that need no heap (numbers,
 * nil, booleans, and strings, which are interned and so compared by
 * content). Heap objects are not constants here; the partial evaluator adds
 * its own abstract values for them.
 */
import { assertNever } from "../support/assert.ts";
import { Type } from "./types.ts";

export type LoxConst =
  | { readonly kind: "num"; readonly value: number }
  | { readonly kind: "nil" }
  | { readonly kind: "bool"; readonly value: boolean }
  | { readonly kind: "str"; readonly text: string };

export type Const =
  | { readonly type: typeof Type.i32; readonly value: number }
  | { readonly type: typeof Type.f64; readonly value: number }
  | { readonly type: typeof Type.i64; readonly value: bigint }
  | { readonly type: typeof Type.val; readonly val: LoxConst };

export const NIL: LoxConst = { kind: "nil" };
export const TRUE: LoxConst = { kind: "bool", value: true };
export const FALSE: LoxConst = { kind: "bool", value: false };

export function num(value: number): LoxConst {
  return { kind: "num", value };
}

export function i32(value: number): Const {
  return { type: Type.i32, value: value | 0 };
}

export function f64(value: number): Const {
  return { type: Type.f64, value };
}

export function i64(value: bigint): Const {
  return { type: Type.i64, value: BigInt.asIntN(64, value) };
}

export function val(v: LoxConst): Const {
  return { type: Type.val, val: v };
}

export function loxTruthy(v: LoxConst): boolean {
  return !(v.kind === "nil" || (v.kind === "bool" && !v.value));
}

/** Lox `==` on constants: same kind and same value (NaN is unequal to itself). */
export function loxEqual(a: LoxConst, b: LoxConst): boolean {
  switch (a.kind) {
    case "num": return b.kind === "num" && a.value === b.value;
    case "nil": return b.kind === "nil";
    case "bool": return b.kind === "bool" && a.value === b.value;
    case "str": return b.kind === "str" && a.text === b.text;
    default: return assertNever(a, "constant");
  }
}
