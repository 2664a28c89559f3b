/**
 * Blocks a unit's transcription may continue into (DESIGN.md §7): those
 * with exactly one incoming edge in the generic function, and empty blocks
 * that only jump on (the joins of nested if/else chains, which forward
 * their parameters). When a unit's terminator is (or folds to) a jump to
 * such a block, the transcriber goes on in the same output block with the
 * same abstract environment, as if the two blocks were one, instead of
 * making a (block, context) unit of it: no entry state is built, joined or
 * compared, and the output has one block where it would have had a chain.
 * The interpreter's `if (op == K) ... else if` dispatch chain, each
 * handler's straight-line blocks and the joins back to the dispatch loop
 * fold this way.
 *
 * Continuing into a block that other paths also reach is tail duplication
 * (cf. superblock formation, W. Hwu et al., "The Superblock", J.
 * Supercomputing 1993): each path transcribes its own copy, with its own,
 * more precise, state. Targets of retreating edges (loop headers, found by
 * depth-first search, so irreducible cycles too) are never chainable, so
 * every chain ends.
 */
import type { Block, FunctionBody } from "../ir/index.ts";

export function chainableBlocks(body: FunctionBody): ReadonlySet<Block> {
  const incoming = new Map<Block, number>();
  for (const b of body.blocks()) {
    for (const s of body.successors(b)) incoming.set(s, (incoming.get(s) ?? 0) + 1);
  }
  const headers = retreatingTargets(body);
  const out = new Set<Block>();
  for (const [b, n] of incoming) {
    if (b === body.entry || headers.has(b)) continue;
    const forwards = body.blockInsts(b).length === 0 && body.terminator(b).kind === "jump";
    if (n === 1 || forwards) out.add(b);
  }
  return out;
}

/** Blocks that an edge to a block still on the depth-first stack reaches (iteratively: bodies can be large). */
function retreatingTargets(body: FunctionBody): Set<Block> {
  const targets = new Set<Block>();
  const onStack = new Set<Block>();
  const seen = new Set<Block>([body.entry]);
  const stack: { block: Block; next: number; succs: Block[] }[] = [{ block: body.entry, next: 0, succs: body.successors(body.entry) }];
  onStack.add(body.entry);
  while (stack.length > 0) {
    const top = stack[stack.length - 1] as (typeof stack)[number];
    const s = top.succs[top.next++];
    if (s === undefined) {
      onStack.delete(top.block);
      stack.pop();
      continue;
    }
    if (onStack.has(s)) targets.add(s);
    if (seen.has(s)) continue;
    seen.add(s);
    onStack.add(s);
    stack.push({ block: s, next: 0, succs: body.successors(s) });
  }
  return targets;
}
