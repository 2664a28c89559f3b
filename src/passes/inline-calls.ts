/**
 * inline-calls: in specialized code, a call through a table slot
 * (`call.lox`, `call.lox.pure` with a constant slot) of a small Lox
 * function that cannot raise an error becomes a copy of its body. Such
 * functions are what `@monomorphize` makes of a helper for the kind it
 * tests: the number version of the Bagel interpreter's `isIndex(v)` is a
 * kind check, `num.floor v` and `lox.eq`. Since the copy cannot fail, no
 * error trace ever needs the frame the call would have had; and once
 * copied, type-facts sees what it computes (the check of the version's
 * entry folds, and its result's kind is known).
 *
 * The callee comes from the module the slots belong to (`slotOwner`: the
 * program, for code linked into it). Inlined: at most
 * MAX_INLINED_INSTRUCTIONS instructions, none of which may raise an error,
 * write, call or print (`isRemovable`), nor name a function (function ids
 * differ between the program and a batch of specialized code). One level:
 * the copies contain no calls. (Inline expansion as in Allen & Cocke, "A
 * catalogue of optimizing transformations", 1971, limited to bodies whose
 * absence from a trace cannot be seen.)
 */
import { type Block, type FunctionBody, type IrFunction, isRemovable, type Module, Op, opInfo, type Value, ValueKind } from "../ir/index.ts";
import { spliceCall } from "./inline-helpers.ts";
import type { Pass } from "./pass.ts";

export const MAX_INLINED_INSTRUCTIONS = 16;

/** Whether calls of `fn` may be replaced by its body. */
export function isInlinable(fn: IrFunction): boolean {
  if (fn.kind !== "lox") return false;
  const body = fn.body;
  let count = 0;
  for (const b of body.blocks()) {
    for (const v of body.blockInsts(b)) {
      if (++count > MAX_INLINED_INSTRUCTIONS) return false;
      const info = opInfo(body.opcode(v));
      if (!isRemovable(info.effects) || info.imm === "func") return false;
    }
  }
  return true;
}

/** The callee of a `call.lox` through a constant slot, if it may be inlined. */
function inlinableCallee(module: Module, body: FunctionBody, v: Value, memo: Map<number, boolean>): IrFunction | null {
  const op = body.opcode(v);
  if (op !== Op.callLox && op !== Op.callLoxPure) return null;
  const slot = body.resolve(body.arg(v, 0));
  if (body.kind(slot) !== ValueKind.inst || body.opcode(slot) !== Op.i32Const) return null;
  const callee = module.slotFunction(body.imm(slot));
  if (callee === null || callee.params.length !== body.argCount(v) - 1) return null;
  let ok = memo.get(callee.id);
  if (ok === undefined) {
    ok = isInlinable(callee);
    memo.set(callee.id, ok);
  }
  return ok ? callee : null;
}

export function inlineCalls(module: Module, fn: IrFunction): boolean {
  if (fn.kind !== "lox") return false;
  const body = fn.body;
  const memo = new Map<number, boolean>();
  let changed = false;
  // Continuation blocks are appended, so scanning by index visits them too (the copies hold no calls).
  for (let b = 0; b < body.blockCount; b++) {
    if (body.isRemoved(b as Block)) continue;
    const insts = body.blockInsts(b as Block);
    for (let at = 0; at < insts.length; at++) {
      const call = insts[at] as Value;
      const callee = inlinableCallee(module, body, call, memo);
      if (callee === null) continue;
      spliceCall(body, b as Block, at, call, callee, body.args(call).slice(1));
      changed = true;
      break; // the rest of the block moved to the continuation, which the loop reaches later
    }
  }
  if (changed) body.resolveAllUses();
  return changed;
}

export const inlineCallsPass: Pass = {
  name: "inline-calls",
  description: "replace calls through a table slot of small functions that cannot fail by their bodies",
  run: inlineCalls,
};
