/**
 * The natural loops of the generic function (back edges to a dominating
 * header; Aho, Lam, Sethi, Ullman, "Compilers", §9.6), for unrolling inner
 * loops whose loop-carried values are constants: the interpreter's own
 * loops inside one opcode's handler (copying arguments, popping them off
 * the operand stack). A loop containing a context intrinsic is the
 * dispatch loop (or encloses it) and is left to the `@context` mechanism.
 */
import { type Block, ControlFlow, type FunctionBody, isContextOp } from "../ir/index.ts";

export interface LoopInfo {
  /** Headers of the loops the partial evaluator unrolls, with their bodies (header included). */
  readonly bodies: ReadonlyMap<Block, ReadonlySet<Block>>;
}

export function findLoops(body: FunctionBody): LoopInfo {
  const cfg = new ControlFlow(body);
  const bodies = new Map<Block, Set<Block>>();
  for (const b of cfg.rpo) {
    for (const h of body.successors(b)) {
      if (!cfg.dominates(h, b)) continue;
      const loop = bodies.get(h) ?? new Set<Block>([h]);
      bodies.set(h, loop);
      const stack = [b];
      while (stack.length > 0) {
        const x = stack.pop() as Block;
        if (loop.has(x)) continue;
        loop.add(x);
        for (const p of cfg.predecessors(x)) stack.push(p);
      }
    }
  }
  for (const [h, loop] of bodies) {
    const hasContext = [...loop].some((b) => body.blockInsts(b).some((v) => isContextOp(body.opcode(v))));
    if (hasContext) bodies.delete(h);
  }
  return { bodies };
}
