/**
 * The kinds of Lox values that `lox.is K x` tests (K is the immediate,
 * printed by name), and the natives that compute the same test. The
 * partial evaluator turns a call of such a native into `lox.is`, which the
 * passes can reason about (type-facts.ts) and the backend tests inline.
 */
export const LoxKind = { nil: 0, bool: 1, num: 2, str: 3, array: 4, other: 5 } as const;
export type LoxKind = (typeof LoxKind)[keyof typeof LoxKind];

/** Names by kind, as the textual IR prints them. */
export const LOX_KIND_NAMES: readonly string[] = ["nil", "bool", "num", "str", "array", "other"];

export function loxKindByName(name: string): LoxKind | null {
  const k = LOX_KIND_NAMES.indexOf(name);
  return k < 0 ? null : (k as LoxKind);
}

/** Natives of one argument that answer whether it is of a kind. */
export const KIND_PREDICATES: ReadonlyMap<string, LoxKind> = new Map([
  ["isNumber", LoxKind.num], ["isString", LoxKind.str], ["isArray", LoxKind.array],
]);
