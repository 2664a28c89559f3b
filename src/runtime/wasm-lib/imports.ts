/**
 * The host functions compiled code imports (module `rt`): their names,
 * signatures, whether they can reach a GC safepoint, and the error codes of
 * `rt.error`. Implemented in JavaScript by `src/runtime/machine-runtime.ts`
 * for both the Wasm engine and the IR interpreter running lowered code.
 *
 * Variadic operands (call arguments, closure cells, array elements) are
 * passed in memory: the caller stores them as 8-byte values starting at the
 * shadow stack pointer (above every live frame) and passes that address and
 * the count.
 */
import { Type } from "../../ir/index.ts";

const { i32, i64, f64, val, none } = Type;

export interface ImportSpec {
  readonly params: readonly Type[];
  readonly result: Type;
  /** Whether the import can collect garbage (so live values must be spilled around it). */
  readonly gc: boolean;
}

export const IMPORTS = {
  /** Raises a Lox runtime error: code (`WasmError`), line, two payload words. */
  error: { params: [i32, i32, i64, i64], result: none, gc: false },
  /** `lox.add` when the operands are not both numbers: strings, or the error. */
  add: { params: [val, val, i32], result: val, gc: true },
  /** Floating-point remainder with the sign of the dividend (C's fmod, JavaScript's %). */
  fmod: { params: [f64, f64], result: f64, gc: false },
  /** Calls a callee that is not a closure of matching arity: callee, args, argc, line. */
  callSlow: { params: [val, i32, i32, i32], result: val, gc: true },
  /** `obj.name(args)` on a miss of the invoke cache: obj, name, cache, args, argc, line. */
  invokeSlow: { params: [val, i32, i32, i32, i32, i32], result: val, gc: true },
  /** `super.name(args)` on a cache miss: this, superclass, name, cache, args, argc, line. */
  superInvoke: { params: [val, val, i32, i32, i32, i32, i32], result: val, gc: true },
  /** `super.name`: this, superclass, name, line. */
  superGet: { params: [val, val, i32, i32], result: val, gc: true },
  /** `obj.name` on a miss of the field cache: obj, name, cache, line. */
  getSlow: { params: [val, i32, i32, i32], result: val, gc: true },
  /** `obj.name = v` on a miss: obj, name, value, cache, line. */
  setSlow: { params: [val, i32, val, i32, i32], result: none, gc: true },
  /** `a[i]` when the fast path does not apply (the errors). */
  indexGetSlow: { params: [val, val, i32], result: val, gc: false },
  /** `a[i] = v` when the fast path does not apply. */
  indexSetSlow: { params: [val, val, val, i32], result: none, gc: false },
  cellNew: { params: [val], result: val, gc: true },
  /** A closure: function word (index | arity << 24), cells, count. */
  closure: { params: [i32, i32, i32], result: val, gc: true },
  /** A class named by the string at the address; its readonly field names (string vals) in memory, count. */
  klass: { params: [i32, i32, i32], result: val, gc: true },
  inherit: { params: [val, val, i32], result: none, gc: true },
  method: { params: [val, i32, val], result: none, gc: true },
  /** An array of the elements in memory. */
  array: { params: [i32, i32], result: val, gc: true },
  print: { params: [val], result: none, gc: false },
  /** An object of the type and size (zeroed) when inline allocation cannot: a safepoint, then the heap's allocator. */
  allocSlow: { params: [i32, i32], result: i32, gc: true },
  /**
   * Entry of an `@specialize` function: function id and the low and high
   * words of its specialization constant. Returns the table slot of the
   * specialized code to run instead, or 0 for the generic code (the tiering
   * policy counts the call, and may specialize now).
   */
  jitEnter: { params: [i32, i32, i32], result: i32, gc: true },
} as const satisfies Record<string, ImportSpec>;

export type ImportName = keyof typeof IMPORTS;

/** Error codes of `rt.error`; payload words in comments. */
export const WasmError = {
  operandsNumbers: 0,
  operandNumber: 1,
  /** x: global id */
  undefinedVariable: 2,
  stackOverflow: 3,
} as const;
export type WasmError = (typeof WasmError)[keyof typeof WasmError];
