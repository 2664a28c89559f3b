/**
 * The entry of an `@specialize` function in compiled code: before its own
 * body, it asks the tiering policy (`rt.jitEnter`, with the function's id
 * and the 64 bits of its specialization constant) for specialized code to
 * run instead; a non-zero answer is a table slot, called with the same
 * arguments. The old entry block's contents move to a new block, so the
 * entry keeps its parameters and stays without predecessors.
 *
 * Machine-level ops in a Lox-level function, inserted before `lower-lox`
 * (which leaves them as they are).
 */
import { type FuncId, FunctionBuilder, type Module, Op, Type } from "../ir/index.ts";
import type { RuntimeLibrary } from "../runtime/wasm-lib/library.ts";

/** `sites`: function id to the index of the parameter that is its specialization constant. */
export function addDispatchPrologues(module: Module, lib: RuntimeLibrary, sites: ReadonlyMap<FuncId, number>): void {
  if (sites.size === 0) return;
  const enter = lib.importFn("jitEnter");
  for (const [id, param] of sites) {
    const fn = module.func(id);
    const body = fn.body;
    const entry = body.entry;
    const generic = body.addBlock();
    body.setBlockInsts(generic, body.blockInsts(entry));
    body.setTerminator(generic, body.terminator(entry));
    body.setBlockInsts(entry, []);
    const b = new FunctionBuilder(body, module);
    b.switchTo(entry);
    const params = body.blockParams(entry);
    const bits = b.inst(Op.valBits, [params[param] as never]);
    const lo = b.inst(Op.i32WrapI64, [bits]);
    const hi = b.inst(Op.i32WrapI64, [b.inst(Op.i64ShrU, [bits, b.i64(32n)])]);
    const slot = b.call(enter, [b.i32(id), lo, hi]);
    const fast = b.newBlock();
    b.br(slot, fast, generic);
    b.switchTo(fast);
    b.ret(b.inst(Op.callLox, [slot, ...params], 0, Type.val));
  }
}
