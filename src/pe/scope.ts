/**
 * What the transcription of every unit of one specialization shares
 * (`SpecializationScope`), and what a transcribed unit hands back to the
 * driver: the state along each of its edges (`EdgeState`) and its pending
 * terminator (`PendingTerm`), completed by specializer.ts once every
 * unit's entry state is final. Assumes the generic function's analyses
 * (analyses.ts) describe `generic`.
 */
import type { Block, FuncId, GlobalId, IrFunction, LoxConst, Module, Value } from "../ir/index.ts";
import type { CompareStep } from "./compare-steps.ts";
import type { ContextId, ContextTable } from "./context.ts";
import type { ValueEnv } from "./env.ts";
import type { ExplainLog } from "./explain.ts";
import type { PeHeap } from "./heap-view.ts";
import type { LoopInfo } from "./loops.ts";
import type { SpecializationSignature } from "./signature.ts";
import { type Position, SLOT } from "./state.ts";
import type { PeVal } from "./values.ts";

/** The abstract state carried along one edge: the target's slots and the virtual arrays they reach. */
export interface EdgeState {
  readonly block: Block;
  readonly ctx: ContextId;
  readonly values: readonly PeVal[];
  readonly objects: ReadonlyMap<number, readonly PeVal[]>;
}

export type PendingTerm =
  | { readonly kind: "jump"; readonly edge: EdgeState }
  | { readonly kind: "br"; readonly cond: Value; readonly then: EdgeState; readonly else: EdgeState }
  | { readonly kind: "switch"; readonly value: Value; readonly targets: readonly EdgeState[]; readonly default: EdgeState }
  | { readonly kind: "return"; readonly value: Value }
  | { readonly kind: "unreachable" };

/**
 * The iterations of one inner loop in one enclosing context: their keys,
 * and whether the loop was seen to exit on a run-time condition (then its
 * trip count is unknown, and later iterations are not unrolled).
 */
export interface IterationLog {
  readonly keys: Set<string>;
  dynamic: boolean;
}

/** What every unit of one specialization shares. */
export interface SpecializationScope {
  readonly module: Module;
  readonly generic: IrFunction;
  readonly liveIns: ReadonlyMap<Block, readonly Value[]>;
  /** Blocks transcription continues into instead of making a unit of them (chains.ts). */
  readonly chainable: ReadonlySet<Block>;
  /** Blocks that only compare one value with a number and branch (compare-steps.ts). */
  readonly compareSteps: ReadonlyMap<Block, CompareStep>;
  /** The abstract value of each constant instruction of the generic code (analyses.ts). */
  readonly constants: readonly (PeVal | undefined)[];
  readonly heap: PeHeap;
  /** Globals that are defined at most once and never assigned. */
  readonly stableGlobals: ReadonlySet<GlobalId>;
  readonly contexts: ContextTable;
  readonly loops: LoopInfo;
  /** Collects the explain report (null: not asked for). */
  readonly explain: ExplainLog | null;
  readonly directCall: ((callee: IrFunction, signature: SpecializationSignature) => FuncId | null) | null;
  /** Functions of the module found to return or not (never-returns.ts), filled as calls are met. */
  readonly neverReturning: Map<FuncId, boolean>;
  /** Results of `@pure` calls on constants found so far (pure-calls.ts). */
  readonly pureResults: Map<string, LoxConst>;
  /** `@pure` functions found to read no heap object, or not (pure-calls.ts). */
  readonly heapFreePure: Map<FuncId, boolean>;
  /** Direct calls (generic values) that pass their arrays whole: flattening them was undone. */
  readonly noFlattening: ReadonlySet<Value>;
  /** Iterations unrolled so far per (enclosing context, loop header). */
  readonly iterations: Map<string, IterationLog>;
  /** The abstract values of the unit being transcribed (emptied at each unit). */
  readonly env: ValueEnv;
  /** Counts instructions transcribed; throws past the budget. */
  charge(count: number): void;
  /**
   * Whether a unit's transcription may go on into the target of its jump
   * (`edge`) instead of ending there, making that unit part of its own
   * block (specializer.ts says when); if so, records that it does, from
   * instruction `at` of the output block, with `snapshot` (the edge's
   * state, not shared with the transcription that goes on).
   */
  inlineUnit(edge: EdgeState, at: number, snapshot: () => EdgeState): boolean;
}

/** The explain report's name for a unit. */
export const unitName = (block: Block, ctx: ContextId): string => `${block}:${ctx}`;

/** An empty list of values (for blocks without live-ins). */
export const NO_VALUES: readonly Value[] = [];

/**
 * Entry value `slot` of block `b`: a block's entry state describes its
 * parameters, then its live-in values, in that order.
 */
export function entryValue(scope: SpecializationScope, b: Block, slot: number): Value {
  const params = scope.generic.body.blockParams(b);
  const v = slot < params.length ? params[slot] : scope.liveIns.get(b)?.[slot - params.length];
  if (v === undefined) throw new Error(`internal error: block${b} has no entry value ${slot}`);
  return v;
}

/** The output value for a runtime position of a target state, on an edge. */
export function positionValue(edge: EdgeState, p: Position): PeVal {
  if (p.object === SLOT) return edge.values[p.index] as PeVal;
  const elems = edge.objects.get(p.object);
  if (elems === undefined) throw new Error(`internal error: edge lacks virtual array ${p.object}`);
  return elems[p.index] as PeVal;
}
