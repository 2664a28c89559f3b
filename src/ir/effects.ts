/**
 * Effect flags of an instruction, a bit set. An instruction with no flags
 * is pure: it may be removed when unused, duplicated, hoisted, or merged
 * with an identical instruction (GVN). Each flag names a reason it may not.
 */

export const Effect = {
  pure: 0,
  /** May raise a Lox runtime error (so it may not be removed or reordered with output). */
  throws: 1 << 0,
  /** Reads mutable state (heap objects, globals, memory). */
  reads: 1 << 1,
  /** Writes mutable state. */
  writes: 1 << 2,
  /** Allocates a fresh object: two executions give different identities. */
  allocates: 1 << 3,
  /** Calls code that may do anything. */
  calls: 1 << 4,
  /** Observable input or output (print, clock). */
  io: 1 << 5,
} as const;

export type Effects = number;

export const ANY_EFFECT: Effects = Effect.throws | Effect.reads | Effect.writes | Effect.allocates | Effect.calls | Effect.io;

/** Removable when its result is unused. */
export function isRemovable(effects: Effects): boolean {
  return (effects & (Effect.throws | Effect.writes | Effect.calls | Effect.io)) === 0;
}

/** Two identical instructions compute the same value (GVN may merge them). */
export function isMergeable(effects: Effects): boolean {
  return effects === Effect.pure;
}
