/**
 * dce: dead code elimination, by marking what is live and sweeping the
 * rest (the mark/sweep dead code elimination of Cytron, Ferrante, Rosen,
 * Wegman & Zadeck, "Efficiently Computing Static Single Assignment Form
 * and the Control Dependence Graph", TOPLAS 13(4), 1991, §7.1, restricted
 * to data: branches are always kept). One marking reaches the fixpoint of
 * "delete unused instructions until nothing changes", cycles included.
 *
 * Roots are the instructions that may not be removed (`isRemovable` is
 * false: they may throw, write, call or do I/O; so `lox.add` stays even
 * when unused, to raise its error) and the values terminators read for
 * themselves (branch and switch conditions, returned values). A live
 * instruction makes its operands live; a live block parameter makes the
 * matching argument of every incoming edge live. Branch arguments alone
 * keep nothing alive, so a parameter used only to feed itself (or a cycle
 * of such parameters) is dead.
 *
 * Sweep: dead instructions leave their blocks; dead parameters are removed
 * together with the corresponding argument on every edge into their block
 * (edges are handled one by one, so two edges from one predecessor are
 * fine). The entry block keeps its parameters (they are the signature).
 * Assumes verified input (no alias operands); creates no aliases.
 */
import { type Block, type FunctionBody, isRemovable, opInfo, type Value, ValueKind } from "../ir/index.ts";
import type { Pass } from "./pass.ts";

export function eliminateDeadCode(body: FunctionBody): boolean {
  const live = new Uint8Array(body.valueCount);
  const work: Value[] = [];
  const mark = (v: Value): void => {
    if (live[v] === 0) {
      live[v] = 1;
      work.push(v);
    }
  };
  /** The argument lists of the edges into each block. */
  const incoming: (readonly Value[])[][] = Array.from({ length: body.blockCount }, () => []);
  const blocks = body.blocks();
  for (const b of blocks) {
    for (const v of body.blockInsts(b)) if (!isRemovable(opInfo(body.opcode(v)).effects)) mark(v);
    const t = body.terminator(b);
    if (t.kind === "br") mark(t.cond);
    else if (t.kind === "switch") mark(t.value);
    else if (t.kind === "return" && t.value !== null) mark(t.value);
    for (const target of body.targets(b)) (incoming[target.block] as (readonly Value[])[]).push(target.args);
  }
  for (const p of body.blockParams(body.entry)) mark(p);

  while (work.length > 0) {
    const v = work.pop() as Value;
    switch (body.kind(v)) {
      case ValueKind.inst:
        for (let i = 0; i < body.argCount(v); i++) mark(body.resolve(body.arg(v, i)));
        break;
      case ValueKind.param: {
        const home = body.home(v);
        const index = body.blockParams(home).indexOf(v);
        for (const args of incoming[home] as (readonly Value[])[]) mark(body.resolve(args[index] as Value));
        break;
      }
      default:
        break;
    }
  }

  let changed = false;
  const keep = new Map<Block, boolean[]>();
  for (const b of blocks) {
    const insts = body.blockInsts(b);
    const kept = insts.filter((v) => live[v] === 1);
    if (kept.length !== insts.length) {
      body.setBlockInsts(b, kept);
      changed = true;
    }
    if (b === body.entry) continue;
    const params = body.blockParams(b);
    const mask = params.map((p) => live[p] === 1);
    if (mask.every((x) => x)) continue;
    keep.set(b, mask);
    for (let i = params.length - 1; i >= 0; i--) if (!mask[i]) body.removeParam(b, i);
    changed = true;
  }
  if (keep.size > 0) {
    for (const b of blocks) {
      body.mapTargets(b, (t) => {
        const mask = keep.get(t.block);
        return mask === undefined ? t : { block: t.block, args: t.args.filter((_, i) => mask[i] === true) };
      });
    }
  }
  return changed;
}

export const dcePass: Pass = {
  name: "dce",
  description: "remove unused removable instructions and unused block parameters",
  run: (_module, fn) => eliminateDeadCode(fn.body),
};
