/**
 * inline-helpers: replaces each call of a runtime-library helper in a Lox
 * function by a copy of the helper's body, every copied instruction taking
 * the call's source span. Compiled code then has no helper frames: every
 * instruction, including the `call.lox` inside a call helper, carries the
 * Lox line it implements, which is what runtime error traces read back
 * (binaryen's own inlining would leave the copies without lines). It also
 * exposes the fast paths to the IR optimizer and the spill pass.
 *
 * The call's block is split: its code after the call moves to a
 * continuation block that receives the helper's result as a parameter;
 * the helper's `return x` become jumps to it. Helper calls that an inlined
 * body brings along are inlined in turn (new blocks are visited too), except
 * calls of helpers marked `outline`, which stay calls. Outlined helpers
 * have their own helper calls inlined the same way.
 */
import { type Block, copyBlocksInto, type FunctionBody, type IrFunction, type Module, Op, Type, type Value, ValueKind } from "../ir/index.ts";
import { isOutlined } from "../runtime/wasm-lib/library.ts";

function isHelperCall(module: Module, body: FunctionBody, v: Value): boolean {
  if (body.kind(v) !== ValueKind.inst || body.opcode(v) !== Op.call) return false;
  const callee = module.func(body.imm(v) as never);
  return callee.kind === "helper" && !isOutlined(callee);
}

/** Copies `callee`'s body into `body` in place of the call `call` at index `at` of block `b`. */
function inlineCall(module: Module, body: FunctionBody, b: Block, at: number, call: Value): void {
  spliceCall(body, b, at, call, module.func(body.imm(call) as never), body.args(call));
}

/**
 * Replaces instruction `call` (at index `at` of block `b`) by a copy of
 * `callee`'s body taking `args` as its parameters: the block is split, its
 * code after the call moves to a continuation block that receives the
 * result, the callee's returns jump there, and every copied instruction
 * takes the call's span. The caller resolves aliases afterwards.
 */
export function spliceCall(body: FunctionBody, b: Block, at: number, call: Value, callee: IrFunction, args: readonly Value[]): void {
  const src = callee.body;
  const span = body.span(call);
  const insts = body.blockInsts(b);
  // Continuation: the rest of the block, and the result as its parameter.
  const cont = body.addBlock();
  body.setBlockInsts(cont, insts.slice(at + 1));
  body.setTerminator(cont, body.terminator(b));
  const result = callee.result === Type.none ? null : body.addParam(cont, callee.result);
  // Copy the callee's blocks and values; its parameters are the call's arguments, its returns jump to `cont`.
  const blockMap = copyBlocksInto(src, body, {
    entryArgs: args,
    span,
    names: false,
    onReturn: (value) => ({ kind: "jump", target: { block: cont, args: value === null || result === null ? [] : [value] } }),
  });
  // The call's block now jumps into the copy.
  body.setBlockInsts(b, insts.slice(0, at));
  body.setTerminator(b, { kind: "jump", target: { block: blockMap.get(src.entry) as Block, args: [] } });
  if (result !== null) body.setAlias(call, result);
}

/**
 * Inlines every helper call of a Lox function or of an outlined helper;
 * returns whether it changed. An outlined helper is the slow rest of an
 * operation, but some of it is hot in some programs: `callRest.N` makes
 * every instance (`Foo()`), and with `alloc` inlined into it instead of
 * called, 15 million instantiations ran 1.4x faster (the whole of
 * instantiation.lox 1.2x, binary_trees.lox 1.1x); each outlined helper
 * grows by the helpers it uses, once per module (~600 bytes on the
 * benchmark programs).
 */
export function inlineHelpers(module: Module, fn: IrFunction): boolean {
  if (fn.kind !== "lox" && !(fn.kind === "helper" && isOutlined(fn))) return false;
  const body = fn.body;
  let changed = false;
  // New blocks are appended, so scanning by index also visits continuations.
  for (let b = 0; b < body.blockCount; b++) {
    if (body.isRemoved(b as Block)) continue;
    const insts = body.blockInsts(b as Block);
    const at = insts.findIndex((v) => isHelperCall(module, body, v));
    if (at === -1) continue;
    inlineCall(module, body, b as Block, at, insts[at] as Value);
    changed = true;
  }
  if (changed) body.resolveAllUses();
  return changed;
}
