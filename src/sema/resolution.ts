/**
 * What the resolver learns about a program, as side tables indexed by AST
 * node id (dense, see `Program.nodeCount`) and by function.
 *
 * Storage model (the reference C implementation's, Nystrom ch. 22-25): every
 * function invocation has a frame of numbered slots. Slot 0 holds `this` in
 * methods and initializers and is unused otherwise; parameters take slots
 * 1..arity; block locals follow, and a slot is reused once its block ends.
 * A local that some nested function captures lives in a cell (the
 * reference's closed upvalue) created when its declaration executes, so a
 * loop body's locals are fresh per iteration. A function's upvalues list
 * where each captured cell comes from: a slot of the immediately enclosing
 * function, or one of that function's own upvalues. Variables declared at
 * the top level outside any block are globals, late-bound by name.
 */
import type { FunctionStmt } from "../syntax/ast.ts";

export const BindingKind = {
  /** Not a variable reference (or an unresolved node inside a syntax error). */
  None: 0,
  /** A global; index into `Resolution.globalNames`. */
  Global: 1,
  /** A frame slot holding the value itself. */
  Local: 2,
  /** A frame slot holding a cell (the variable is captured). */
  Cell: 3,
  /** An upvalue of the current function; index into its upvalue list. */
  Upvalue: 4,
} as const;
export type BindingKind = (typeof BindingKind)[keyof typeof BindingKind];

export interface Upvalue {
  /** True: a slot of the enclosing function's frame; false: one of its upvalues. */
  readonly fromEnclosingSlot: boolean;
  readonly index: number;
}

export interface FunctionScope {
  readonly name: string;
  /** Number of frame slots, including slot 0. */
  readonly slotCount: number;
  /** For each parameter (in order), whether it is captured and so lives in a cell. */
  readonly paramCaptured: readonly boolean[];
  /** Whether slot 0 (`this`) is captured. */
  readonly thisCaptured: boolean;
  readonly upvalues: readonly Upvalue[];
}

export interface Resolution {
  /**
   * Per node id, the variable the node reads, writes or declares:
   * variable, assign, this, var, function (its name), class (its name),
   * superGet/superInvoke (the hidden `super` variable).
   */
  readonly bindingKind: Uint8Array;
  readonly bindingIndex: Int32Array;
  /**
   * Second binding per node id: for superGet/superInvoke the `this` they
   * bind to; for a class with a superclass, the slot of its hidden `super`
   * local.
   */
  readonly extraKind: Uint8Array;
  readonly extraIndex: Int32Array;
  /** Per function node (including methods), its frame layout and upvalues. */
  readonly functions: ReadonlyMap<FunctionStmt, FunctionScope>;
  /** The top-level script's frame layout. */
  readonly script: FunctionScope;
  /** Global variable names, indexed by global id. */
  readonly globalNames: readonly string[];
}
