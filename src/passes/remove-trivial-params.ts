/**
 * remove-trivial-params: a block parameter whose incoming arguments are all
 * one value (ignoring the parameter itself, which loops pass back) is that
 * value. Removes such parameters and their arguments, making the parameter
 * an alias, until none is left. This completes SSA construction (Braun et
 * al., CC 2013, §3.1 "trivial phi" removal: a removed parameter's users,
 * here the blocks it is passed to, are looked at again, from a worklist).
 */
import { type Block, type FunctionBody, type Value, ValueKind } from "../ir/index.ts";
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
  const preds = predecessors(body);
  // The blocks whose parameters each value is passed to (a removed parameter's users may become trivial).
  const passedTo = new Map<Value, Block[]>();
  for (const q of body.blocks()) {
    for (const t of body.targets(q)) {
      for (const a of t.args) {
        const r = body.resolve(a);
        const users = passedTo.get(r);
        if (users === undefined) passedTo.set(r, [t.block]);
        else users.push(t.block);
      }
    }
  }
  const removed = new Map<Block, Set<Value>>();
  const queued = new Uint8Array(body.blockCount);
  const work: Block[] = [];
  for (const b of body.blocks()) {
    if (b === body.entry || body.blockParams(b).length === 0 || (preds[b] as Block[]).length === 0) continue;
    work.push(b);
    queued[b] = 1;
  }
  // Blocks are taken in id order first; a block is looked at again when a parameter it receives is removed.
  work.reverse();
  while (work.length > 0) {
    const b = work.pop() as Block;
    queued[b] = 0;
    for (const [param, same] of trivialParams(body, b, preds[b] as Block[])) {
      let set = removed.get(b);
      if (set === undefined) removed.set(b, (set = new Set()));
      set.add(param);
      const users = passedTo.get(param) ?? [];
      for (const u of users) {
        if (queued[u] === 1 || u === body.entry) continue;
        queued[u] = 1;
        work.push(u);
      }
      const sameUsers = passedTo.get(same);
      if (sameUsers === undefined) passedTo.set(same, [...users]);
      else sameUsers.push(...users);
    }
  }
  if (removed.size === 0) return false;
  for (const [b, params] of removed) {
    // One rewrite of each predecessor's edges for all of the block's removed parameters.
    const keep = body.blockParams(b).map((p) => !params.has(p));
    const kept = (_: Value, i: number): boolean => keep[i] === true;
    for (const p of preds[b] as Block[]) body.mapTargets(p, (t) => (t.block === b ? { block: b, args: t.args.filter(kept) } : t));
    for (let i = keep.length - 1; i >= 0; i--) if (!keep[i]) body.removeParam(b, i);
  }
  body.resolveAllUses();
  return true;
}

/**
 * The trivial parameters of `b` not yet removed, each with its one value,
 * each made an alias of it at once (so that a later parameter whose
 * argument is an earlier one sees through it); the edges still pass them.
 */
function trivialParams(body: FunctionBody, b: Block, incoming: readonly Block[]): [Value, Value][] {
  const params = body.blockParams(b);
  const found: [Value, Value][] = [];
  if (params.length === 0) return found;
  const edges = incoming.flatMap((p) => body.targets(p).filter((t) => t.block === b));
  for (let index = params.length - 1; index >= 0; index--) {
    const param = params[index] as Value;
    if (body.kind(param) === ValueKind.alias) continue;
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
    found.push([param, same]);
  }
  return found;
}

export const removeTrivialParamsPass: Pass = {
  name: "remove-trivial-params",
  description: "remove block parameters that always receive the same value",
  run: (_module, fn) => removeTrivialParams(fn.body),
};
