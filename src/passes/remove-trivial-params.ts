/**
 * remove-trivial-params: a block parameter whose incoming arguments are all
 * one value (ignoring the parameter itself, which loops pass back) is that
 * value. Removes such parameters and their arguments, making the parameter
 * an alias, until none is left. This completes SSA construction (Braun et
 * al., CC 2013, §3.1 "trivial phi" removal, applied to a fixpoint instead of
 * recursively through users).
 */
import type { Block, FunctionBody, Value } from "../ir/index.ts";
import type { Pass } from "./pass.ts";

/** The predecessors of each block, one entry per block even with several edges. */
function predecessors(body: FunctionBody): Block[][] {
  const preds: Block[][] = Array.from({ length: body.blockCount }, () => []);
  for (const b of body.blocks()) {
    for (const s of new Set(body.successors(b))) (preds[s] as Block[]).push(b);
  }
  return preds;
}

export function removeTrivialParams(body: FunctionBody): boolean {
  let changed = false;
  for (let progress = true; progress;) {
    progress = false;
    const preds = predecessors(body);
    for (const b of body.blocks()) {
      if (b === body.entry) continue;
      const incoming = preds[b] as Block[];
      if (incoming.length === 0) continue;
      const removed = trivialParams(body, b, incoming);
      if (removed.size === 0) continue;
      // One rewrite of each predecessor's edges for all of the block's trivial parameters.
      const keep = (_: Value, i: number): boolean => !removed.has(i);
      for (const p of incoming) body.mapTargets(p, (t) => (t.block === b ? { block: b, args: t.args.filter(keep) } : t));
      for (const index of [...removed].sort((x, y) => y - x)) body.removeParam(b, index);
      progress = true;
    }
    if (progress) {
      changed = true;
      body.resolveAllUses();
    }
  }
  return changed;
}

/**
 * The indices of `b`'s trivial parameters, each made an alias of its one
 * value at once (so a later parameter whose argument is an earlier one
 * sees through it); the edges still pass them.
 */
function trivialParams(body: FunctionBody, b: Block, incoming: readonly Block[]): Set<number> {
  const params = body.blockParams(b);
  const removed = new Set<number>();
  if (params.length === 0) return removed;
  const edges = incoming.flatMap((p) => body.targets(p).filter((t) => t.block === b));
  for (let index = params.length - 1; index >= 0; index--) {
    const param = params[index] as Value;
    let same: Value | null = null;
    let trivial = true;
    for (const t of edges) {
      const arg = body.resolve(t.args[index] as Value);
      if (arg === param || arg === same) continue;
      if (same !== null) {
        trivial = false;
        break;
      }
      same = arg;
    }
    if (!trivial || same === null) continue;
    body.setAlias(param, same);
    removed.add(index);
  }
  return removed;
}

export const removeTrivialParamsPass: Pass = {
  name: "remove-trivial-params",
  description: "remove block parameters that always receive the same value",
  run: (_module, fn) => removeTrivialParams(fn.body),
};
