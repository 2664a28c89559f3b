/**
 * IR value types. `val` is a boxed Lox value (NaN-boxed 64 bits in memory
 * and in Wasm; the IR interpreter keeps it opaque); `none` is the result
 * type of instructions that produce nothing.
 */

export const Type = {
  none: 0,
  i32: 1,
  i64: 2,
  f64: 3,
  v128: 4,
  val: 5,
} as const;
export type Type = (typeof Type)[keyof typeof Type];

export const TYPE_NAMES: readonly string[] = ["none", "i32", "i64", "f64", "v128", "val"];

const BY_NAME: ReadonlyMap<string, Type> = new Map(TYPE_NAMES.map((n, i) => [n, i as Type]));

export function typeName(t: Type): string {
  return TYPE_NAMES[t] as string;
}

export function parseTypeName(name: string): Type | undefined {
  return BY_NAME.get(name);
}
