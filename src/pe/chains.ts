/**
 * Blocks a unit's transcription may continue into (DESIGN.md §7): those
 * with exactly one incoming edge in the generic function, empty blocks
 * that only jump on (the joins of nested if/else chains, which forward
 * their parameters), and blocks that only test their parameters' truth
 * and branch (the joins of `and` and `or`: each path then branches on
 * its own operand, so `if (!isNumber(a) or !isNumber(b))` teaches each
 * path what it tested, kind-facts.ts, instead of testing the joined
 * boolean, which says nothing about `a` or `b`). When a unit's
 * terminator is (or folds to) a jump to such a block, the transcriber
 * goes on in the same output block with the same abstract environment,
 * as if the two blocks were one, instead of
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
import { type Block, type FunctionBody, Op } from "../ir/index.ts";

export function chainableBlocks(body: FunctionBody): ReadonlySet<Block> {
  const incoming = new Map<Block, number>();
  for (const b of body.blocks()) {
    for (const s of body.successors(b)) incoming.set(s, (incoming.get(s) ?? 0) + 1);
  }
  const headers = retreatingTargets(body);
  const tests = new Set<Block>();
  for (const b of incoming.keys()) if (b !== body.entry && !headers.has(b) && testsParams(body, b)) tests.add(b);
  // What follows a duplicated test is not duplicated with it: its copies would differ only in what the
  // other paths tested, and the error path of an operand check would be copied once per operand.
  const afterTests = new Set<Block>();
  for (const b of tests) for (const s of body.successors(b)) afterTests.add(s);
  const out = new Set<Block>(tests);
  for (const [b, n] of incoming) {
    if (b === body.entry || headers.has(b) || afterTests.has(b)) continue;
    const forwards = body.blockInsts(b).length === 0 && body.terminator(b).kind === "jump";
    if (n === 1 || forwards) out.add(b);
  }
  return out;
}

/** Whether `b` only tests the truth of its parameters and branches: `v = lox.truthy p; br v` (or through `lox.not`). */
function testsParams(body: FunctionBody, b: Block): boolean {
  const t = body.terminator(b);
  const insts = body.blockInsts(b);
  if (t.kind !== "br" || insts.length === 0 || insts.length > 2) return false;
  const params = body.blockParams(b);
  return insts.every((v) => {
    const op = body.opcode(v);
    if (op !== Op.loxTruthy && op !== Op.loxNot) return false;
    const x = body.arg(v, 0);
    return params.includes(x) || insts.includes(x);
  });
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
