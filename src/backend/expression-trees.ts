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

/**
 * The instructions of each block of one function that fold into their
 * use. Made once per function: the positions of a block's instructions
 * live in one table indexed by value, filled as each block is asked for.
 */
export class ExpressionTrees {
  readonly useCounts: Int32Array;
  private readonly position: Int32Array;

  constructor(private readonly body: FunctionBody) {
    this.useCounts = countUses(body);
    this.position = new Int32Array(body.valueCount);
  }

  foldable(blk: Block): Set<Value> {
    const { body, useCounts, position } = this;
    const insts = body.blockInsts(blk);
    const n = insts.length;
    // The position of the first effectful instruction after each one (n if none): a linear table, not a scan per use.
    const effectful = new Uint8Array(n);
    const nextEffect = new Int32Array(n);
    for (let i = n - 1, next = n; i >= 0; i--) {
      const v = insts[i] as Value;
      position[v] = i;
      nextEffect[i] = next;
      if (opInfo(body.opcode(v)).effects !== 0) {
        effectful[i] = 1;
        next = i;
      }
    }
    const result = new Set<Value>();
    const consider = (a: Value, useIndex: number): void => {
      if (useCounts[a] !== 1 || body.kind(a) !== ValueKind.inst || body.home(a) !== blk || body.type(a) === Type.none) return;
      const i = position[a] as number;
      if (i >= useIndex) return;
      if (effectful[i] === 1 && (nextEffect[i] as number) < useIndex) return;
      result.add(a);
    };
    for (let j = 0; j < n; j++) {
      const u = insts[j] as Value;
      for (let k = 0; k < body.argCount(u); k++) consider(body.arg(u, k), j);
    }
    const t = body.terminator(blk);
    if (t.kind === "br") consider(t.cond, n);
    if (t.kind === "return" && t.value !== null) consider(t.value, n);
    return result;
  }
}
