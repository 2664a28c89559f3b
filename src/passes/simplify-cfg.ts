/**
 * simplify-cfg: control-flow graph clean-up, repeated to a fixpoint (the
 * transformations of the "Clean" algorithm, Cooper & Torczon, Engineering
 * a Compiler, 2nd ed., §10.2.2, adapted to block parameters):
 *
 * 1. Redundant branch: a `br` (or `switch`) whose targets are all the same
 *    block with the same arguments becomes a `jump`.
 * 2. Unreachable blocks are removed (`eliminateUnreachableBlocks`).
 * 3. Jump threading: a block with no instructions that ends in
 *    `jump T(args)` is bypassed: each edge into it goes straight to
 *    `T(args)`, with the block's parameters replaced by the edge's
 *    arguments. Its other arguments are defined above it, so they dominate
 *    every predecessor. A block whose parameters are read anywhere but in
 *    its own jump (a block it dominates may read them) is kept, and so is
 *    a block jumping to itself.
 * 4. Block merging: a block B whose only incoming edge is a `jump` from P
 *    (P != B) is appended to P: B's parameters become aliases of the jump's
 *    arguments, B's instructions move to the end of P (in order), and P
 *    takes B's terminator.
 *
 * The entry block (block 0) is never bypassed, merged into another block or
 * removed, and keeps its parameters. Edges are counted one by one, so a
 * `br` with both arms to one block counts twice. Aliases created by merging
 * are resolved before the pass returns. Assumes verified input.
 */
import type { Block, BlockTarget, FunctionBody, Terminator, Value } from "../ir/index.ts";
import type { Pass } from "./pass.ts";
import { eliminateUnreachableBlocks } from "./unreachable-blocks.ts";
import { countUses } from "./uses.ts";

function sameTarget(body: FunctionBody, a: BlockTarget, b: BlockTarget): boolean {
  return a.block === b.block && a.args.length === b.args.length &&
    a.args.every((x, i) => body.resolve(x) === body.resolve(b.args[i] as Value));
}

/** Step 1: `br c, X(a), X(a)` becomes `jump X(a)` (and likewise for `switch`). */
function removeRedundantBranches(body: FunctionBody): boolean {
  let changed = false;
  for (const b of body.blocks()) {
    const t: Terminator = body.terminator(b);
    let target: BlockTarget | null = null;
    if (t.kind === "br" && sameTarget(body, t.then, t.else)) target = t.then;
    else if (t.kind === "switch" && t.targets.every((x) => sameTarget(body, x, t.default))) target = t.default;
    if (target !== null) {
      body.setTerminator(b, { kind: "jump", target });
      changed = true;
    }
  }
  return changed;
}

/**
 * Whether every use of `b`'s parameters is in `b`'s own terminator (then
 * bypassing `b` loses no value: its parameters are substituted by each
 * incoming edge's arguments).
 */
function paramsOnlyForwarded(body: FunctionBody, b: Block, counts: Int32Array): boolean {
  const params = body.blockParams(b);
  if (params.length === 0) return true;
  const own = new Map<Value, number>();
  for (const v of body.terminatorUses(b)) {
    const r = body.resolve(v);
    own.set(r, (own.get(r) ?? 0) + 1);
  }
  return params.every((p) => counts[p] === (own.get(p) ?? 0));
}

/** Step 3: bypasses empty blocks that only jump on. */
function threadJumps(body: FunctionBody): boolean {
  let changed = false;
  // Decided before any edge moves; threading only substitutes a block's uses into its predecessors' edges, so it keeps holding.
  const blocks = body.blocks();
  const candidates = blocks.filter((b) => b !== body.entry && body.blockInsts(b).length === 0 && body.terminator(b).kind === "jump");
  if (candidates.length === 0) return false;
  const counts = candidates.some((b) => body.blockParams(b).length > 0) ? countUses(body) : null;
  const forwards = new Set(candidates.filter((b) => counts === null || paramsOnlyForwarded(body, b, counts)));
  // Predecessors of the forwarding blocks only: the edges that move.
  const preds = new Map<Block, Set<Block>>();
  for (const b of forwards) preds.set(b, new Set());
  for (const p of blocks) for (const s of body.successors(p)) preds.get(s)?.add(p);
  for (const b of forwards) {
    const t = body.terminator(b);
    if (t.kind !== "jump" || t.target.block === b) continue;
    const params = body.blockParams(b);
    const next = t.target;
    // An edge `b(x...)` becomes `next(args)` with b's parameters replaced by the x's.
    const position = new Map<Value, number>(params.map((p, i) => [p, i]));
    const through = (x: BlockTarget): BlockTarget => {
      if (params.length === 0) return next;
      const args = next.args.map((a) => {
        const i = position.get(body.resolve(a));
        return i === undefined ? a : (x.args[i] as Value);
      });
      return { block: next.block, args };
    };
    const into = preds.get(b) as Set<Block>;
    for (const p of into) {
      body.mapTargets(p, (x) => (x.block === b ? through(x) : x));
      preds.get(next.block)?.add(p);
      changed = true;
    }
    into.clear();
  }
  return changed;
}

/** Number of edges into each block (one per branch target, from every block). */
function edgeCounts(body: FunctionBody): Int32Array {
  const counts = new Int32Array(body.blockCount);
  for (const b of body.blocks()) for (const s of body.successors(b)) counts[s] = (counts[s] as number) + 1;
  return counts;
}

/** Step 4: merges blocks into their only predecessor when it jumps to them. */
function mergeBlocks(body: FunctionBody): boolean {
  let changed = false;
  const counts = edgeCounts(body);
  for (const p of body.blocks()) {
    if (body.isRemoved(p)) continue;
    // Instructions of the blocks merged into p, appended once at the end (chains stay linear).
    const tail: Value[] = [];
    for (;;) {
      const t = body.terminator(p);
      if (t.kind !== "jump") break;
      const b: Block = t.target.block;
      if (b === p || b === body.entry || counts[b] !== 1) break;
      const params = body.blockParams(b);
      for (let i = params.length - 1; i >= 0; i--) {
        const param = body.removeParam(b, i);
        body.setAlias(param, body.resolve(t.target.args[i] as Value));
      }
      tail.push(...body.blockInsts(b));
      body.setBlockInsts(b, []);
      body.setTerminator(p, body.terminator(b));
      body.removeBlock(b);
      changed = true;
    }
    if (tail.length > 0) body.setBlockInsts(p, [...body.blockInsts(p), ...tail]);
  }
  return changed;
}

export function simplifyCfg(body: FunctionBody): boolean {
  let changed = false;
  for (let progress = true; progress;) {
    progress = removeRedundantBranches(body);
    if (eliminateUnreachableBlocks(body)) progress = true;
    if (threadJumps(body)) progress = true;
    if (eliminateUnreachableBlocks(body)) progress = true;
    if (mergeBlocks(body)) {
      progress = true;
      body.resolveAllUses();
    }
    if (progress) changed = true;
  }
  return changed;
}

export const simplifyCfgPass: Pass = {
  name: "simplify-cfg",
  description: "remove redundant branches and unreachable blocks, thread jumps, merge straight-line blocks",
  run: (_module, fn) => simplifyCfg(fn.body),
};
