/**
 * Leaf helpers for exhaustiveness and internal invariants. Imports nothing;
 * every stage may use it.
 */

/** Ends an exhaustive switch: reaching it is a type error at compile time. */
export function assertNever(value: never, what = "value"): never {
  throw new Error(`internal error: unexpected ${what}: ${JSON.stringify(value)}`);
}

/** An internal invariant. A failure is a bug in Sa, never a user error. */
export function invariant(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`internal error: ${message}`);
}
