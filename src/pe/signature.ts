/**
 * Specialization signatures: what one specialized version of a function
 * assumes of its parameters. Constants are the `@specialize` parameters'
 * values. Flattened parameters are arrays that a specialized caller built
 * for the call and never uses again (the interpreter's argument array):
 * the caller passes their elements as extra parameters appended to the
 * function's own, and the callee starts with the array virtual (DESIGN.md
 * §7; the argument-passing half of scalar replacement across calls, cf.
 * "unboxed tuples" of calling conventions). The flattened parameter itself
 * receives nil.
 *
 * A signature with flattened parameters is only reachable by direct calls
 * from specialized code; the dispatch entry of a function uses the
 * signature with constants only.
 */
import { type FunctionBuilder, type IrFunction, Op, Type, type Value } from "../ir/index.ts";
import { knownKey, type KnownVal } from "./values.ts";

/** Arrays longer than this are passed as arrays. */
export const MAX_FLATTENED_LENGTH = 16;

export interface SpecializationSignature {
  /** Specialization constants by parameter index (Lox parameter k is index k + 2). */
  readonly constants: ReadonlyMap<number, KnownVal>;
  /** Flattened parameters by index: the array's length (its elements follow the parameters, in index order). */
  readonly flattened: ReadonlyMap<number, number>;
}

export const NOTHING_FLATTENED: ReadonlyMap<number, number> = new Map();

/** A stable text for (function, signature), for caches of specialized code. */
export function signatureKey(fn: IrFunction, sig: SpecializationSignature): string {
  const constants = [...sig.constants].sort((a, b) => a[0] - b[0]).map(([i, k]) => `${i}=${knownKey(k)}`);
  const flattened = [...sig.flattened].sort((a, b) => a[0] - b[0]).map(([i, n]) => `${i}:[${n}]`);
  return `${fn.id}(${[...constants, ...flattened].join(",")})`;
}

/** The flattened parameters in the order their elements are appended. */
export function flattenedInOrder(sig: SpecializationSignature): [number, number][] {
  return [...sig.flattened].sort((a, b) => a[0] - b[0]);
}

/** Parameter types of a specialized version: the generic function's, then the flattened elements. */
export function signatureParams(generic: IrFunction, sig: SpecializationSignature): Type[] {
  const extra = flattenedInOrder(sig).reduce((n, [, length]) => n + length, 0);
  return [...generic.params, ...new Array<Type>(extra).fill(Type.val)];
}

/**
 * The arguments for the generic function, from a specialized version's
 * entry parameters: flattened arrays are rebuilt from their elements (used
 * by versions that fall back to the generic code).
 */
export function genericArguments(b: FunctionBuilder, generic: IrFunction, sig: SpecializationSignature, params: readonly Value[]): Value[] {
  const args = params.slice(0, generic.params.length);
  let next = generic.params.length;
  for (const [index, length] of flattenedInOrder(sig)) {
    args[index] = b.inst(Op.loxArray, params.slice(next, next + length), 0, Type.val);
    next += length;
  }
  return args;
}
