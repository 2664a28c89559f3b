/**
 * spill-roots: makes the GC's roots precise (DESIGN.md §4). Before every
 * call that can reach a safepoint (a `call.lox`, or a call of a helper or
 * import marked `gc`), each `val` that is live after the call must be in
 * the function's frame on the shadow stack, where the collector finds it.
 * (Constants need no slot: see `mayHoldReference`.)
 * Each such value has its own slot and is stored there once, where it is
 * defined (a block parameter at its block's start), rather than before
 * every safepoint it is live across: a value live across a loop of calls
 * is stored once, not once per call. Objects never move, so nothing is
 * reloaded afterwards. A slot may keep a value after its last use until
 * the function returns or the value is defined again (in a loop), which
 * only delays collecting it.
 *
 * The frame: the entry reads the shadow stack pointer, checks that the
 * frame fits (else the Lox error "Stack overflow."), zeroes its slots (so
 * the collector never reads stale words) and bumps the pointer; every
 * `return` restores it. Runs on machine-level IR, last before the
 * backend, on whatever code reaches it (specialized code included).
 * Liveness is the classic backward dataflow
 * (e.g. Appel, "Modern Compiler Implementation", §10.1) with block
 * parameters defined at block entry and branch arguments used at the edge.
 */
import { type Block, ControlFlow, type FunctionBody, type IrFunction, type Module, Op, Type, type Value, ValueKind } from "../ir/index.ts";
import { SHADOW_STACK_END } from "../runtime/layout.ts";
import { WasmError } from "../runtime/wasm-lib/imports.ts";
import { mayCollect, type RuntimeLibrary } from "../runtime/wasm-lib/library.ts";

function isSafepoint(module: Module, body: FunctionBody, v: Value): boolean {
  const op = body.opcode(v);
  if (op === Op.callLox || op === Op.callLoxPure) return true;
  return op === Op.call && mayCollect(module.func(body.imm(v) as never));
}

/**
 * Whether a value may be a reference the collector must find. A `val`
 * constant may not: it is a number, nil or a boolean, or an object that
 * cannot be freed (an image object is immortal, and an object that
 * specialized code embeds is pinned), so it needs no slot.
 */
function mayHoldReference(body: FunctionBody, v: Value): boolean {
  return body.type(v) === Type.val && !(body.kind(v) === ValueKind.inst && body.opcode(v) === Op.valConst);
}

/**
 * Values of type val live at the end of each block, by exploring paths
 * backwards from each use to the definition (F. Brandner et al.,
 * "Computing Liveness Sets for SSA-Form Programs", INRIA RR-7503, 2011):
 * a value used in a block other than its own is live into that block and
 * out of each predecessor, and so on up to its definition. Only values
 * that cross blocks cost anything, and no per-block sets of definitions
 * are built (the iterative dataflow's were most of this pass's time on
 * the JIT's large functions).
 */
function liveOut(body: FunctionBody): Set<Value>[] {
  const n = body.blockCount;
  const cfg = new ControlFlow(body);
  const out: Set<Value>[] = Array.from({ length: n }, () => new Set());
  const liveIn: Set<Value>[] = Array.from({ length: n }, () => new Set());
  const stack: Block[] = [];
  const liveInto = (v: Value, b: Block): void => {
    const home = body.home(v);
    stack.push(b);
    for (let x = stack.pop(); x !== undefined; x = stack.pop()) {
      const into = liveIn[x] as Set<Value>;
      if (into.has(v)) continue;
      into.add(v);
      for (const p of cfg.predecessors(x)) {
        (out[p] as Set<Value>).add(v);
        if (p !== home) stack.push(p);
      }
    }
  };
  for (const b of cfg.rpo) {
    const use = (v: Value): void => {
      if (body.home(v) !== b && mayHoldReference(body, v)) liveInto(v, b);
    };
    for (const v of body.blockInsts(b)) for (let i = 0; i < body.argCount(v); i++) use(body.arg(v, i));
    for (const u of body.terminatorUses(b)) use(u);
  }
  return out;
}

export function spillRoots(module: Module, fn: IrFunction, lib: RuntimeLibrary): boolean {
  if (fn.kind === "import") return false;
  const body = fn.body;
  const outs = liveOut(body);
  // Each value live across some safepoint gets a slot.
  const slots = new Map<Value, number>();
  for (const b of body.blocks()) {
    const live = new Set(outs[b] as Set<Value>);
    const insts = body.blockInsts(b);
    for (let k = insts.length - 1; k >= 0; k--) {
      const v = insts[k] as Value;
      live.delete(v);
      if (isSafepoint(module, body, v)) for (const x of live) if (!slots.has(x)) slots.set(x, slots.size);
      for (const a of body.args(v)) if (mayHoldReference(body, a)) live.add(a);
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
  const frameBytes = add(Op.i32Const, [], 8 * slots.size);
  const top = add(Op.i32Add, [sp, frameBytes]);
  const fits = add(Op.i32LeU, [top, add(Op.i32Const, [], SHADOW_STACK_END)]);
  body.setBlockInsts(entry, prologue);
  body.setTerminator(entry, { kind: "br", cond: fits, then: { block: start, args: [] }, else: { block: overflow, args: [] } });
  const zero = body.createInst(Op.i32Const, [], 0);
  const code = body.createInst(Op.i32Const, [], WasmError.stackOverflow);
  const zero64 = body.createInst(Op.i64Const, [], body.i64Index(0n));
  const raise = body.createInst(Op.call, [code, zero, zero64, zero64], lib.importFn("error"), Type.none);
  body.setBlockInsts(overflow, [zero, code, zero64, raise]);
  body.setTerminator(overflow, { kind: "unreachable" });
  // The entry's parameters are stored at once, below: their slots need no zeroing first.
  const stored = new Set(body.blockParams(entry).filter((p) => slots.has(p)).map((p) => slots.get(p) as number));
  const unstored = Array.from({ length: slots.size }, (_, i) => i).filter((i) => !stored.has(i));
  const frame: Value[] = [body.createInst(Op.shadowSpSet, [top]), ...zeroFrame(body, sp, frameBytes, unstored)];
  const store = (x: Value, at: Value | null, list: Value[]): void => {
    const bits = body.createInst(Op.valBits, [x]);
    if (at !== null) body.copySpan(at, bits);
    list.push(bits, body.createInst(Op.i64Store, [sp, bits], 8 * (slots.get(x) as number)));
  };
  for (const p of body.blockParams(entry)) if (slots.has(p)) store(p, null, frame);
  body.setBlockInsts(start, [...frame, ...body.blockInsts(start)]);

  // Each value is stored to its slot once, where it is defined; returns restore the pointer.
  for (const b of body.blocks()) {
    if (b === entry || b === overflow) continue;
    const list: Value[] = [];
    if (b !== start) for (const p of body.blockParams(b)) if (slots.has(p)) store(p, null, list);
    for (const v of body.blockInsts(b)) {
      list.push(v);
      if (slots.has(v)) store(v, v, list);
    }
    if (body.terminator(b).kind === "return") list.push(body.createInst(Op.shadowSpSet, [sp]));
    body.setBlockInsts(b, list);
  }
  return true;
}

/**
 * Zeroes the frame's slots that are not stored before anything else runs,
 * so the collector never reads a word that was not stored: a store each
 * for up to `STORES_BEFORE_FILL` slots, else `memory.fill` over the frame
 * (which V8 compiles to a call out of the generated code, costlier than a
 * handful of stores).
 */
const STORES_BEFORE_FILL = 16;

function zeroFrame(body: FunctionBody, sp: Value, frameBytes: Value, slots: readonly number[]): Value[] {
  if (slots.length === 0) return [];
  if (slots.length <= STORES_BEFORE_FILL) {
    const zeroBits = body.createInst(Op.i64Const, [], body.i64Index(0n));
    return [zeroBits, ...slots.map((i) => body.createInst(Op.i64Store, [sp, zeroBits], 8 * i))];
  }
  const zero = body.createInst(Op.i32Const, [], 0);
  return [zero, body.createInst(Op.memoryFill, [sp, zero, frameBytes])];
}
