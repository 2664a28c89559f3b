/**
 * Which instructions of a block both backends emit as expression trees
 * inside their single use rather than through a local: a pure one always;
 * one with effects only when no other instruction with effects runs
 * between it and its use, so effects keep their order. It keeps small
 * functions readable and big ones under the engines' local limits.
 *
 * Assumes: `useCounts` counts every use of each value (instruction
 * operands and terminator uses) in the whole function.
 */
import { type Block, type FunctionBody, opInfo, Type, type Value, ValueKind } from "../ir/index.ts";

/** Uses of each value in the function: operands of instructions and of terminators. */
export function countUses(body: FunctionBody): Int32Array {
  const counts = new Int32Array(body.valueCount);
  for (const blk of body.blocks()) {
    for (const v of body.blockInsts(blk)) for (const a of body.args(v)) counts[a] = (counts[a] as number) + 1;
    for (const u of body.terminatorUses(blk)) counts[u] = (counts[u] as number) + 1;
  }
  return counts;
}

export function foldableInstructions(body: FunctionBody, blk: Block, useCounts: Int32Array): Set<Value> {
  const insts = body.blockInsts(blk);
  const index = new Map<Value, number>();
  insts.forEach((v, i) => index.set(v, i));
  const effectful = insts.map((v) => opInfo(body.opcode(v)).effects !== 0);
  // The position of the first effectful instruction after each one (n if none): a linear table, not a scan per use.
  const nextEffect = new Int32Array(insts.length);
  for (let i = insts.length - 1, next = insts.length; i >= 0; i--) {
    nextEffect[i] = next;
    if (effectful[i] === true) next = i;
  }
  const result = new Set<Value>();
  const consider = (a: Value, useIndex: number): void => {
    if (useCounts[a] !== 1 || body.kind(a) !== ValueKind.inst || body.type(a) === Type.none) return;
    const i = index.get(a);
    if (i === undefined || i >= useIndex) return;
    if (effectful[i] === true && (nextEffect[i] as number) < useIndex) return;
    result.add(a);
  };
  insts.forEach((u, j) => {
    for (const a of body.args(u)) consider(a, j);
  });
  const t = body.terminator(blk);
  if (t.kind === "br") consider(t.cond, insts.length);
  if (t.kind === "return" && t.value !== null) consider(t.value, insts.length);
  return result;
}
