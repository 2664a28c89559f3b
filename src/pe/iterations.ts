/**
 * Contexts of inner-loop iterations (DESIGN.md §7): the context an edge
 * arrives in, and the record of loops seen to exit on a run-time condition.
 * The partial evaluator unrolls an inner loop of the generic code (one the
 * dispatch loop contains) while its loop-carried values are constants,
 * naming each iteration by them; past MAX_UNROLLED_ITERATIONS per
 * enclosing context, or once the loop exits on a run-time condition (its
 * trip count is unknown), the iterations share one key and their states
 * merge, so specialization terminates.
 */
import type { Block, BlockTarget } from "../ir/index.ts";
import type { ContextId } from "./context.ts";
import type { IterationLog, SpecializationScope } from "./scope.ts";
import { knownKey, type PeVal } from "./values.ts";

/** Iterations of one inner loop unrolled per enclosing context; later ones share one generalized unit. */
const MAX_UNROLLED_ITERATIONS = 32;

/**
 * The context an edge from context `ctx` arrives in: iterations of the
 * inner loops it leaves are popped; entering or repeating an inner loop's
 * header names the iteration by the constants of the loop-carried values
 * (its parameters, `args`).
 */
export function edgeContext(scope: SpecializationScope, from: ContextId, target: BlockTarget, args: readonly PeVal[]): ContextId {
  const { contexts, loops } = scope;
  let ctx = from;
  for (let h = contexts.iterationHeader(ctx); h !== -1; h = contexts.iterationHeader(ctx)) {
    if (loops.bodies.get(h as Block)?.has(target.block) === true) break;
    ctx = contexts.parent(ctx);
  }
  if (!loops.bodies.has(target.block)) return ctx;
  const outer = contexts.iterationHeader(ctx) === target.block ? contexts.parent(ctx) : ctx;
  const parts = args.map((a) => (a.kind === "runtime" ? "?" : a.kind === "virtual" ? `v${a.id}` : knownKey(a)));
  let key = parts.join(",");
  const log = iterationLog(scope, outer, target.block);
  if (log.dynamic) key = "*";
  else if (!log.keys.has(key)) {
    if (log.keys.size >= MAX_UNROLLED_ITERATIONS) key = "*";
    else log.keys.add(key);
  }
  return contexts.iteration(outer, target.block, key);
}

/** A run-time branch (to `targets`) from context `ctx`: if it leaves the loop being unrolled, that loop's trip count is unknown. */
export function noteDynamicExit(scope: SpecializationScope, ctx: ContextId, targets: readonly BlockTarget[]): void {
  const { contexts, loops } = scope;
  const h = contexts.iterationHeader(ctx);
  if (h === -1) return;
  const body = loops.bodies.get(h as Block);
  if (body !== undefined && targets.some((t) => !body.has(t.block))) {
    iterationLog(scope, contexts.parent(ctx), h as Block).dynamic = true;
  }
}

function iterationLog(scope: SpecializationScope, outer: ContextId, header: Block): IterationLog {
  const key = `${outer}/${header}`;
  let log = scope.iterations.get(key);
  if (log === undefined) scope.iterations.set(key, (log = { keys: new Set(), dynamic: false }));
  return log;
}
