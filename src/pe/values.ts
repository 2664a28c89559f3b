/**
 * Abstract values of the partial evaluator (DESIGN.md §7): what is known,
 * at specialization time, about each value of the generic function.
 *
 * - `const`: a machine number or a heap-free Lox value (number, nil,
 *   boolean, string: strings are interned, so their text is their identity);
 * - `ref`: a known heap object of the live image (an address), e.g. the
 *   bytecode function being specialized on, or a frozen array read from it;
 * - `virtual`: an array allocated by the function being specialized that
 *   has not escaped: its elements are tracked abstractly and it exists in
 *   the output only if it escapes (then it is materialized);
 * - `runtime`: unknown until run time, computed by output value `v`;
 *   `kinds` is the kind set (ir/kind-sets.ts) it is known to be in: from
 *   the operation that computed it, narrowed by the branches that tested
 *   it (so the interpreter's check of an operand already checked folds),
 *   joined at merges like any other fact of a state.
 *
 * Entry states of (block, context) units use `Slot`, the same without the
 * output value of runtime entries (each unit gets its own parameters).
 */
import { type Const, constKinds, KINDS, type Value, Type } from "../ir/index.ts";
import { assertNever } from "../support/assert.ts";

export type KnownVal =
  | { readonly kind: "const"; readonly c: Const }
  | { readonly kind: "ref"; readonly addr: number };

export type PeVal =
  | KnownVal
  | { readonly kind: "virtual"; readonly id: number }
  | { readonly kind: "runtime"; readonly v: Value; readonly kinds: number };

export type RuntimeSlot = { readonly kind: "runtime"; readonly kinds: number };
export type Slot = KnownVal | { readonly kind: "virtual"; readonly id: number } | RuntimeSlot;

/** One runtime slot per kind set (states hold many; they are compared, never changed). */
const RUNTIME_SLOTS: readonly RuntimeSlot[] = Array.from({ length: KINDS.all + 1 }, (_, kinds) => ({ kind: "runtime", kinds }));

/** A runtime slot of any kind. */
export const RUNTIME_SLOT = RUNTIME_SLOTS[KINDS.all] as RuntimeSlot;

export function runtimeSlot(kinds: number): RuntimeSlot {
  return RUNTIME_SLOTS[kinds] as RuntimeSlot;
}

export function runtime(v: Value, kinds: number = KINDS.all): PeVal {
  return { kind: "runtime", v, kinds };
}

/** The kinds a value or slot can be (machine constants: any, as for values whose kind is unknown). */
export function kindsOf(x: PeVal | Slot): number {
  switch (x.kind) {
    case "const": return x.c.type === Type.val ? constKinds(x.c.val) : KINDS.all;
    case "ref": return KINDS.array | KINDS.other; // strings are constants, never refs
    case "virtual": return KINDS.array;
    case "runtime": return x.kinds;
    default: return assertNever(x, "abstract value");
  }
}

export function constant(c: Const): PeVal {
  return { kind: "const", c };
}

/** Identity of constants: numbers by bits (so -0 differs from 0, NaN equals NaN). */
export function sameConst(a: Const, b: Const): boolean {
  switch (a.type) {
    case Type.i32: case Type.f64: return a.type === b.type && Object.is(a.value, (b as typeof a).value);
    case Type.i64: return b.type === Type.i64 && a.value === b.value;
    case Type.val: {
      if (b.type !== Type.val) return false;
      const x = a.val;
      const y = b.val;
      switch (x.kind) {
        case "num": return y.kind === "num" && Object.is(x.value, y.value);
        case "nil": return y.kind === "nil";
        case "bool": return y.kind === "bool" && x.value === y.value;
        case "str": return y.kind === "str" && x.text === y.text;
        default: return assertNever(x, "Lox constant");
      }
    }
    default: return assertNever(a, "constant");
  }
}

/** Whether two slots say the same thing (runtime slots: the same kinds). */
export function sameSlot(a: Slot, b: Slot): boolean {
  switch (a.kind) {
    case "const": return b.kind === "const" && sameConst(a.c, b.c);
    case "ref": return b.kind === "ref" && a.addr === b.addr;
    case "virtual": return b.kind === "virtual" && a.id === b.id;
    case "runtime": return b.kind === "runtime" && a.kinds === b.kinds;
    default: return assertNever(a, "slot");
  }
}

/** A stable text for a known value, used to key contexts and specializations. */
export function knownKey(k: KnownVal): string {
  if (k.kind === "ref") return `@${k.addr}`;
  const c = k.c;
  switch (c.type) {
    case Type.i32: return `i${Object.is(c.value, -0) ? "-0" : c.value}`;
    case Type.f64: return `f${Object.is(c.value, -0) ? "-0" : c.value}`;
    case Type.i64: return `l${c.value}`;
    case Type.val: {
      const x = c.val;
      switch (x.kind) {
        case "num": return `n${Object.is(x.value, -0) ? "-0" : x.value}`;
        case "nil": return "nil";
        case "bool": return String(x.value);
        case "str": return JSON.stringify(x.text);
        default: return assertNever(x, "Lox constant");
      }
    }
    default: return assertNever(c, "constant");
  }
}

/** The integer a known value is, if it is a Lox number with an integer value in [0, limit). */
export function smallIndex(v: PeVal, limit: number): number | null {
  if (v.kind !== "const" || v.c.type !== Type.val || v.c.val.kind !== "num") return null;
  const n = v.c.val.value;
  return Number.isInteger(n) && n >= 0 && n < limit ? n : null;
}
