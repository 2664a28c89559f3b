/**
 * Calls of native functions that the partial evaluator answers, or turns
 * into something later passes can reason about: `array(n, fill)` with a
 * small constant length allocates a virtual array; the kind predicates
 * (`isNumber`, `isString`, `isArray`) are answered from what is known of
 * their argument, or become a `lox.is` test; `len` of a virtual array, a
 * frozen array of the heap or a string constant is a constant.
 */
import { decideKinds, FALSE, KIND_PREDICATES, kindBits, KINDS, LoxKind, Op, TRUE, Type, val, type Value } from "../ir/index.ts";
import { constKind } from "../passes/index.ts";
import type { OutputWriter } from "./output.ts";
import type { SpecializationScope } from "./scope.ts";
import { constant, type PeVal, runtime, smallIndex } from "./values.ts";

/** Largest array `array(n, fill)` that stays virtual. */
const MAX_VIRTUAL_LENGTH = 256;

/** What a transcription lends `foldNative`. */
export interface NativeHost {
  readonly scope: SpecializationScope;
  readonly out: OutputWriter;
  /** A virtual array allocated by generic instruction `v`. */
  allocate(v: Value, elements: readonly PeVal[]): PeVal;
  /** The elements of virtual array `id`. */
  elements(id: number): readonly PeVal[];
}

/** The value of native `name` called on `args` by generic instruction `v`, or null when the call stays. */
export function foldNative(host: NativeHost, v: Value, name: string, args: readonly PeVal[]): PeVal | null {
  if (name === "array" && args.length === 2) {
    const n = smallIndex(args[0] as PeVal, MAX_VIRTUAL_LENGTH + 1);
    if (n === null) return null;
    return host.allocate(v, new Array<PeVal>(n).fill(args[1] as PeVal));
  }
  const kind = KIND_PREDICATES.get(name);
  if (kind !== undefined && args.length === 1) {
    // isNumber, isString, isArray: answered now, or a `lox.is` test that later passes can reason about.
    const a = args[0] as PeVal;
    if (a.kind === "runtime") {
      const known = decideKinds(a.kinds, kindBits(kind), TRUE, FALSE);
      return known === null ? runtime(host.out.inst(Op.loxIs, [a.v], kind, Type.val), KINDS.bool) : constant(val(known));
    }
    const answer = a.kind === "const" ? a.c.type === Type.val && constKind(a.c.val) === kind
      : a.kind === "virtual" ? kind === LoxKind.array
      : host.scope.heap.describe(a.addr).kind === "array" ? kind === LoxKind.array
      : kind === LoxKind.other; // strings are constants, never refs
    return constant(val(answer ? TRUE : FALSE));
  }
  if (name === "len" && args.length === 1) {
    const a = args[0] as PeVal;
    if (a.kind === "virtual") return constant(val({ kind: "num", value: host.elements(a.id).length }));
    if (a.kind === "ref") {
      const view = host.scope.heap.describe(a.addr);
      if (view.kind === "array" && view.frozen) return constant(val({ kind: "num", value: view.length }));
    }
    if (a.kind === "const" && a.c.type === Type.val && a.c.val.kind === "str") {
      return constant(val({ kind: "num", value: a.c.val.text.length }));
    }
  }
  return null;
}
