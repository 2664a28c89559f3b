/**
 * spill-roots: makes the GC's roots precise (DESIGN.md §4). Before every
 * call that can reach a safepoint (a `call.lox`, or a call of a helper or
 * import marked `gc`), each `val` that is live after the call is stored to
 * the function's frame on the shadow stack, where the collector finds it.
 * Objects never move, so nothing is reloaded afterwards.
 *
 * The frame: the entry reads the shadow stack pointer, checks that the
 * frame fits (else the Lox error "Stack overflow."), zeroes its slots (so
 * the collector never reads stale words) and bumps the pointer; every
 * `return` restores it. Each spilled value has its own slot. Runs on
 * machine-level IR, last before the backend, on whatever code reaches it
 * (specialized code included). Liveness is the classic backward dataflow
 * (e.g. Appel, "Modern Compiler Implementation", §10.1) with block
 * parameters defined at block entry and branch arguments used at the edge.
 */
import { type Block, ControlFlow, type FunctionBody, type IrFunction, type Module, Op, Type, type Value } from "../ir/index.ts";
import { SHADOW_STACK_END } from "../runtime/layout.ts";
import { WasmError } from "../runtime/wasm-lib/imports.ts";
import { mayCollect, type RuntimeLibrary } from "../runtime/wasm-lib/library.ts";

function isSafepoint(module: Module, body: FunctionBody, v: Value): boolean {
  const op = body.opcode(v);
  if (op === Op.callLox) return true;
  return op === Op.call && mayCollect(module.func(body.imm(v) as never));
}

/**
 * Values of type val live at the end of each block: a worklist over the
 * blocks in postorder, each block's uses-before-definitions (gen) and
 * definitions (kill) computed once, so a function of thousands of blocks
 * with a loop around them converges in a few passes.
 */
function liveOut(body: FunctionBody): Set<Value>[] {
  const n = body.blockCount;
  const cfg = new ControlFlow(body);
  const isVal = (v: Value): boolean => body.type(v) === Type.val;
  const gen: Set<Value>[] = Array.from({ length: n }, () => new Set());
  const kill: Set<Value>[] = Array.from({ length: n }, () => new Set());
  for (const b of cfg.rpo) {
    const g = gen[b] as Set<Value>;
    const k = kill[b] as Set<Value>;
    for (const u of body.terminatorUses(b)) if (isVal(u)) g.add(u);
    const insts = body.blockInsts(b);
    for (let i = insts.length - 1; i >= 0; i--) {
      const v = insts[i] as Value;
      g.delete(v);
      k.add(v);
      for (const a of body.args(v)) if (isVal(a)) g.add(a);
    }
    for (const p of body.blockParams(b)) {
      g.delete(p);
      k.add(p);
    }
  }
  const liveIn: Set<Value>[] = Array.from({ length: n }, () => new Set());
  const out: Set<Value>[] = Array.from({ length: n }, () => new Set());
  const queued = new Uint8Array(n);
  // Postorder first: successors before predecessors. The list is a stack, so push in reverse postorder.
  const work: Block[] = [...cfg.rpo];
  for (const b of work) queued[b] = 1;
  for (let b = work.pop(); b !== undefined; b = work.pop()) {
    queued[b] = 0;
    const o = out[b] as Set<Value>;
    for (const s of body.successors(b)) for (const v of liveIn[s] as Set<Value>) o.add(v);
    const before = liveIn[b] as Set<Value>;
    let grew = false;
    const add = (v: Value): void => {
      if (!before.has(v)) {
        before.add(v);
        grew = true;
      }
    };
    for (const v of gen[b] as Set<Value>) add(v);
    const k = kill[b] as Set<Value>;
    for (const v of o) if (!k.has(v)) add(v);
    if (!grew) continue;
    for (const p of cfg.predecessors(b)) {
      if (queued[p] === 0) {
        queued[p] = 1;
        work.push(p);
      }
    }
  }
  return out;
}

export function spillRoots(module: Module, fn: IrFunction, lib: RuntimeLibrary): boolean {
  if (fn.kind === "import") return false;
  const body = fn.body;
  const outs = liveOut(body);
  // Which values are live across each safepoint.
  const spills = new Map<Value, Value[]>();
  const slots = new Map<Value, number>();
  for (const b of body.blocks()) {
    const live = new Set(outs[b] as Set<Value>);
    const insts = body.blockInsts(b);
    for (let k = insts.length - 1; k >= 0; k--) {
      const v = insts[k] as Value;
      live.delete(v);
      if (isSafepoint(module, body, v) && live.size > 0) {
        const across = [...live];
        spills.set(v, across);
        for (const x of across) if (!slots.has(x)) slots.set(x, slots.size);
      }
      for (const a of body.args(v)) if (body.type(a) === Type.val) live.add(a);
    }
  }
  if (slots.size === 0) return false;

  // Prologue: move the entry's code to a new block; the entry sets up the frame.
  const entry = body.entry;
  const start = body.addBlock();
  body.setBlockInsts(start, body.blockInsts(entry));
  body.setTerminator(start, body.terminator(entry));
  const overflow = body.addBlock();
  const prologue: Value[] = [];
  const add = (op: number, args: Value[], imm = 0, type?: Type): Value => {
    const v = body.createInst(op as never, args, imm, type);
    prologue.push(v);
    return v;
  };
  const sp = add(Op.shadowSpGet, []);
  const top = add(Op.i32Add, [sp, add(Op.i32Const, [], 8 * slots.size)]);
  const fits = add(Op.i32LeU, [top, add(Op.i32Const, [], SHADOW_STACK_END)]);
  body.setBlockInsts(entry, prologue);
  body.setTerminator(entry, { kind: "br", cond: fits, then: { block: start, args: [] }, else: { block: overflow, args: [] } });
  const zero = body.createInst(Op.i32Const, [], 0);
  const code = body.createInst(Op.i32Const, [], WasmError.stackOverflow);
  const zero64 = body.createInst(Op.i64Const, [], body.i64Index(0n));
  const raise = body.createInst(Op.call, [code, zero, zero64, zero64], lib.importFn("error"), Type.none);
  body.setBlockInsts(overflow, [zero, code, zero64, raise]);
  body.setTerminator(overflow, { kind: "unreachable" });
  const frame: Value[] = [body.createInst(Op.shadowSpSet, [top])];
  const zeroBits = body.createInst(Op.i64Const, [], body.i64Index(0n));
  frame.push(zeroBits);
  for (let i = 0; i < slots.size; i++) frame.push(body.createInst(Op.i64Store, [sp, zeroBits], 8 * i));
  body.setBlockInsts(start, [...frame, ...body.blockInsts(start)]);

  // Stores before safepoints; restore before returns.
  for (const b of body.blocks()) {
    if (b === entry || b === overflow) continue;
    const list: Value[] = [];
    for (const v of body.blockInsts(b)) {
      for (const x of spills.get(v) ?? []) {
        const bits = body.createInst(Op.valBits, [x]);
        body.copySpan(v, bits);
        list.push(bits, body.createInst(Op.i64Store, [sp, bits], 8 * (slots.get(x) as number)));
      }
      list.push(v);
    }
    if (body.terminator(b).kind === "return") list.push(body.createInst(Op.shadowSpSet, [sp]));
    body.setBlockInsts(b, list);
  }
  return true;
}
