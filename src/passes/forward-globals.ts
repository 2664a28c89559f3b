/**
 * forward-globals: a read of a global that the same path already read or
 * wrote, with nothing in between that can change globals (a call can run
 * any Lox code), is that value: redundant load elimination (e.g. Cooper &
 * Torczon, "Engineering a Compiler", §8.6 on memory values in value
 * numbering) for Lox globals, over extended basic blocks. A block with one
 * predecessor starts with what held at the end of it; any other block
 * starts knowing nothing, so no loop needs a fixpoint.
 *
 * The interpreter's call-depth counter (`depth = depth + 1` before a call,
 * `depth = depth - 1` after, `depth >= MAX` before the next) is the case
 * that matters: the read after a write becomes the written value, whose
 * kind type-facts then knows. The read it replaces could only have thrown
 * for an undefined global, and the earlier read or write on the path
 * already succeeded. Runs on Lox-level IR; blocks visited in reverse
 * postorder; aliases resolved before the pass returns.
 */
import { type Block, ControlFlow, Effect, type FunctionBody, type GlobalId, Op, opInfo, type Value } from "../ir/index.ts";
import type { Pass } from "./pass.ts";

export function forwardGlobals(body: FunctionBody): boolean {
  const cfg = new ControlFlow(body);
  const atExit = new Map<Block, Map<GlobalId, Value>>();
  let changed = false;
  for (const b of cfg.rpo) {
    const preds = cfg.predecessors(b);
    const known = new Map(preds.length === 1 ? atExit.get(preds[0] as Block) : undefined);
    const replaced = new Map<Value, Value>();
    for (const v of body.blockInsts(b)) {
      const op = body.opcode(v);
      const g = body.imm(v) as GlobalId;
      if (op === Op.loxGlobalGet) {
        const value = known.get(g);
        if (value === undefined) known.set(g, v);
        else replaced.set(v, value);
      } else if (op === Op.loxGlobalSet || op === Op.loxGlobalDefine) {
        known.set(g, body.resolve(replaced.get(body.arg(v, 0)) ?? body.arg(v, 0)));
      } else if ((opInfo(op).effects & Effect.calls) !== 0) {
        known.clear();
      }
    }
    atExit.set(b, known);
    if (replaced.size > 0) {
      body.setBlockInsts(b, body.blockInsts(b).filter((v) => !replaced.has(v)));
      for (const [v, to] of replaced) body.setAlias(v, to);
      changed = true;
    }
  }
  if (changed) body.resolveAllUses();
  return changed;
}

export const forwardGlobalsPass: Pass = {
  name: "forward-globals",
  description: "reuse the value of a global read or written earlier on the same path with no call in between",
  run: (_module, fn) => (fn.kind === "lox" ? forwardGlobals(fn.body) : false),
};
