/**
 * The entry of an `@specialize` function in compiled code. The function
 * becomes a small dispatch stub that keeps its id (so its closures and
 * table slot stay): it asks the tiering policy (`rt.jitEnter`, with the
 * function's id and the 64 bits of its specialization constant) for
 * specialized code to run instead, and calls it (a non-zero answer is a
 * table slot) or else the generic body, which moves to a new function of
 * the same name. Keeping the stub apart means a run that only ever uses
 * specialized code never makes V8 compile the (large) generic body.
 *
 * The stub is marked `@dispatch` (traces leave its frame out: the body's
 * or the specialized code's frame is the function's). Machine-level ops in
 * a Lox-level function, inserted before `lower-lox` (which leaves them).
 */
import { type FuncId, FunctionBody, FunctionBuilder, type Module, Op, Type } from "../ir/index.ts";
import type { RuntimeLibrary } from "../runtime/wasm-lib/library.ts";

export const DISPATCH_ATTRIBUTE = "dispatch";

/** `sites`: function id to the index of the parameter that is its specialization constant. */
export function addDispatchPrologues(module: Module, lib: RuntimeLibrary, sites: ReadonlyMap<FuncId, number>): void {
  if (sites.size === 0) return;
  const enter = lib.importFn("jitEnter");
  for (const [id, param] of sites) {
    const fn = module.func(id);
    const generic = module.addFunction(fn.name, fn.params, fn.result, [], fn.line);
    generic.body = fn.body;
    fn.body = new FunctionBody();
    fn.attributes = [...fn.attributes, { name: DISPATCH_ATTRIBUTE, args: [] }];
    const b = new FunctionBuilder(fn.body, module);
    const entry = b.newBlock();
    b.switchTo(entry);
    b.span = { line: fn.line, start: 0, end: 0 };
    const params = fn.params.map((t) => b.param(entry, t));
    const bits = b.inst(Op.valBits, [params[param] as never]);
    const lo = b.inst(Op.i32WrapI64, [bits]);
    const hi = b.inst(Op.i32WrapI64, [b.inst(Op.i64ShrU, [bits, b.i64(32n)])]);
    const slot = b.call(enter, [b.i32(id), lo, hi]);
    const fast = b.newBlock();
    const slow = b.newBlock();
    b.br(slot, fast, slow);
    b.switchTo(fast);
    b.ret(b.inst(Op.callLox, [slot, ...params], 0, Type.val));
    b.switchTo(slow);
    b.ret(b.call(generic.id, params));
  }
}
