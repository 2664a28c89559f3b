/**
 * Encodes one machine-level IR function as a Wasm function body (locals
 * and code), directly in the binary format.
 *
 * Control flow comes from structure.ts. Values: the entry block's
 * parameters are the Wasm parameters; dead instructions are not emitted;
 * constants are emitted at each use; an instruction folded into its single
 * use (expression-trees.ts) is emitted where it is used, as Wasm's operand
 * stack allows; any other value gets a local. Values that live in one block
 * only share locals (a local is free again after the value's last use, in
 * emission order); block parameters and values used in other blocks get a
 * local of their own, as do the operands of terminators (the arms of a
 * branch may emit other blocks before reading them). An edge's arguments are pushed in order and popped
 * into the target's parameters in reverse, which makes the parallel copy
 * safe without temporaries.
 *
 * Each instruction with a Lox line records the offset of its opcode, the
 * position V8 reports for a frame executing it.
 *
 * Assumes: the IR verifies, has no Lox-level instructions left, and its CFG
 * is reducible.
 */
import { type Block, type BlockTarget, type FunctionBody, type IrFunction, Op, opInfo, Type, type Value, ValueKind } from "../../ir/index.ts";
import { ExpressionTrees } from "../expression-trees.ts";
import { ByteWriter } from "./bytes.ts";
import { structure } from "./structure.ts";
import { MEMORY_OPS, SIMPLE_OPS, valType, W } from "./wasm-opcodes.ts";

/** Indices of module entities, as the module encoder assigns them. */
export interface FunctionIndices {
  /** Wasm function index of an IR function. */
  func(id: number): number;
  /** Type index of a Lox calling convention with `argc` values after the table index. */
  loxCallType(argc: number): number;
}

/** The global index of the shadow stack pointer and the table index of the function table. */
const SSP_GLOBAL = 0;
const TABLE = 0;

export interface EncodedFunction {
  /** Locals declaration and code, without the size prefix. */
  readonly bytes: Uint8Array;
  /** Pairs (offset into `bytes`, Lox line), ascending offsets. */
  readonly lines: readonly number[];
  /** Whether the function has a loop (see `compilationHints` in module.ts). */
  readonly hasLoop: boolean;
}

export function encodeFunction(fn: IrFunction, indices: FunctionIndices): EncodedFunction {
  return new FunctionEncoder(fn, indices).encode();
}

class FunctionEncoder {
  private readonly body: FunctionBody;
  private readonly code = new ByteWriter(1024);
  private readonly lines: number[] = [];
  private readonly useCounts: Int32Array;
  private readonly trees: ExpressionTrees;
  /** Local of each value, -1 until assigned. */
  private readonly localOf: Int32Array;
  /** Whether a value needs a local of its own (used outside its block, or a block parameter). */
  private readonly dedicated: Uint8Array;
  private readonly localTypes: number[] = [];
  private readonly free = new Map<number, number[]>();
  /** Folded instructions of the block being emitted. */
  private folded = new Set<Value>();
  /** Per value, scratch of `block`: the position of the instruction a folded value is read by. */
  private readonly userAt: Int32Array;
  /** Per value, scratch of `block`: the last position it is read at, -1 between blocks. */
  private readonly lastRead: Int32Array;
  /** Per value, scratch of `block`: the next value released at the same position. */
  private readonly releaseNext: Int32Array;

  constructor(private readonly fn: IrFunction, private readonly indices: FunctionIndices) {
    const body = fn.body;
    this.body = body;
    this.trees = new ExpressionTrees(body);
    this.useCounts = this.trees.useCounts;
    this.localOf = new Int32Array(body.valueCount).fill(-1);
    this.dedicated = new Uint8Array(body.valueCount);
    this.userAt = new Int32Array(body.valueCount);
    this.lastRead = new Int32Array(body.valueCount).fill(-1);
    this.releaseNext = new Int32Array(body.valueCount);
    for (const blk of body.blocks()) {
      for (const p of body.blockParams(blk)) this.dedicated[p] = 1;
      for (const v of body.blockInsts(blk)) {
        for (let i = 0; i < body.argCount(v); i++) {
          const a = body.arg(v, i);
          if (body.home(a) !== blk) this.dedicated[a] = 1;
        }
      }
      // The terminator reads its operands after code of other blocks may have reused pooled locals.
      for (const u of body.terminatorUses(blk)) this.dedicated[u] = 1;
    }
    body.blockParams(body.entry).forEach((p, i) => {
      this.localOf[p] = i;
    });
  }

  encode(): EncodedFunction {
    const hasLoop = structure(this.body, {
      body: (blk) => this.block(blk),
      operand: (v) => this.operand(v),
      edge: (t) => this.edge(t),
    }, this.code);
    // Paths that end in a branch leave nothing for the function's end; `unreachable` types it.
    this.code.byte(W.unreachable);
    this.code.byte(W.end);
    const header = new ByteWriter(16);
    const runs: [number, number][] = [];
    for (const t of this.localTypes) {
      const last = runs[runs.length - 1];
      if (last !== undefined && last[1] === t) last[0]++;
      else runs.push([1, t]);
    }
    header.u32(runs.length);
    for (const [count, t] of runs) {
      header.u32(count);
      header.byte(t);
    }
    const shift = header.length;
    header.bytes(this.code.view());
    const lines = this.lines.map((x, i) => (i % 2 === 0 ? x + shift : x));
    return { bytes: header.finish(), lines, hasLoop };
  }

  // ---------------- locals ----------------

  private newLocal(type: number): number {
    this.localTypes.push(type);
    return this.fn.params.length + this.localTypes.length - 1;
  }

  private wasmType(v: Value): number {
    const t = valType(this.body.type(v));
    if (t === null) throw new Error(`internal error: value v${v} has no Wasm type`);
    return t;
  }

  /** The local of a value, assigned on first need (from the free pool unless dedicated). */
  private local(v: Value): number {
    let index = this.localOf[v] as number;
    if (index >= 0) return index;
    const type = this.wasmType(v);
    const pool = this.dedicated[v] === 1 ? undefined : this.free.get(type);
    index = pool !== undefined && pool.length > 0 ? (pool.pop() as number) : this.newLocal(type);
    this.localOf[v] = index;
    return index;
  }

  private release(v: Value): void {
    const index = this.localOf[v] as number;
    if (index < 0 || this.dedicated[v] === 1) return;
    const type = this.wasmType(v);
    let pool = this.free.get(type);
    if (pool === undefined) {
      pool = [];
      this.free.set(type, pool);
    }
    pool.push(index);
  }

  // ---------------- blocks ----------------

  private block(blk: Block): void {
    const body = this.body;
    const trees = this.trees;
    const insts = body.blockInsts(blk);
    const n = insts.length;
    const folded = trees.foldable(blk);
    this.folded = folded;
    const { userAt, lastRead, releaseNext } = this;
    // Where each instruction's operands are read: its own position, or that of the instruction it is folded into.
    for (let j = 0; j < n; j++) {
      const u = insts[j] as Value;
      if (trees.live[u] !== 1) continue;
      for (let k = 0, m = body.argCount(u); k < m; k++) {
        const a = body.arg(u, k);
        if (folded.has(a)) userAt[a] = j;
      }
    }
    for (const u of body.terminatorUses(blk)) if (folded.has(u)) userAt[u] = n;
    const emitAt = new Int32Array(n + 1);
    emitAt[n] = n;
    for (let i = n - 1; i >= 0; i--) {
      const v = insts[i] as Value;
      emitAt[i] = folded.has(v) ? (emitAt[userAt[v] as number] as number) : i;
    }
    // Temporaries are released after their last read: lists of values by position, threaded through `releaseNext`.
    const read: Value[] = [];
    for (let j = 0; j < n; j++) {
      const u = insts[j] as Value;
      if (trees.live[u] !== 1) continue;
      const at = emitAt[j] as number;
      for (let k = 0, m = body.argCount(u); k < m; k++) {
        const a = body.arg(u, k);
        if (this.dedicated[a] === 1 || folded.has(a) || trees.rematerialized(a)) continue;
        const prev = lastRead[a] as number;
        if (prev < 0) read.push(a);
        if (prev < at) lastRead[a] = at;
      }
    }
    const releaseHead = new Int32Array(n).fill(-1);
    for (const a of read) {
      const at = lastRead[a] as number;
      lastRead[a] = -1;
      // Operands of a folded branch condition (read at n) are not reused: no code follows to reuse them.
      if (at === n) continue;
      releaseNext[a] = releaseHead[at] as number;
      releaseHead[at] = a;
    }

    for (let i = 0; i < n; i++) {
      const v = insts[i] as Value;
      if (body.kind(v) !== ValueKind.inst || folded.has(v) || trees.live[v] !== 1 || trees.rematerialized(v)) continue;
      this.inst(v);
      for (let a = releaseHead[i] as number; a >= 0; a = releaseNext[a] as number) this.release(a as Value);
      if (body.type(v) === Type.none) continue;
      if (this.useCounts[v] === 0) {
        this.code.byte(W.drop);
      } else {
        this.code.byte(W.localSet);
        this.code.u32(this.local(v));
      }
    }
  }

  /** Pushes a value: its constant, its folded tree, or its local. */
  private operand(v: Value): void {
    if (this.trees.rematerialized(v)) {
      this.inst(v);
      return;
    }
    if (this.folded.has(v)) {
      this.folded.delete(v);
      this.inst(v);
      return;
    }
    this.code.byte(W.localGet);
    this.code.u32(this.local(v));
  }

  private edge(t: BlockTarget): void {
    const params = this.body.blockParams(t.block);
    const moves: [Value, Value][] = [];
    params.forEach((p, i) => {
      const a = t.args[i] as Value;
      if (a !== p) moves.push([p, a]);
    });
    for (const [, a] of moves) this.operand(a);
    for (let i = moves.length - 1; i >= 0; i--) {
      this.code.byte(W.localSet);
      this.code.u32(this.local((moves[i] as [Value, Value])[0]));
    }
  }

  // ---------------- instructions ----------------

  private mark(v: Value): void {
    const line = this.body.span(v)?.line ?? 0;
    if (line > 0) this.lines.push(this.code.length, line);
  }

  private inst(v: Value): void {
    const body = this.body;
    const w = this.code;
    const op = body.opcode(v);
    const args = body.args(v);
    const imm = body.imm(v);
    switch (op) {
      case Op.i32Const: w.byte(W.i32Const); w.s32(imm); return;
      case Op.f64Const: w.byte(W.f64Const); w.f64(imm); return;
      case Op.i64Const: case Op.valConst: w.byte(W.i64Const); w.s64(body.i64Constant(imm)); return;
      case Op.valBits: case Op.valFromBits: this.operand(args[0] as Value); return;
      case Op.memorySize: w.byte(W.memorySize); w.byte(0); return;
      case Op.shadowSpGet: w.byte(W.globalGet); w.u32(SSP_GLOBAL); return;
      default: break;
    }
    if (op === Op.callLox || op === Op.callLoxPure) {
      // call_indirect takes the table index last.
      for (let i = 1; i < args.length; i++) this.operand(args[i] as Value);
      this.operand(args[0] as Value);
      this.mark(v);
      w.byte(W.callIndirect);
      w.u32(this.indices.loxCallType(args.length - 1));
      w.u32(TABLE);
      return;
    }
    if (op === Op.select) {
      // IR: (condition, if true, if false); Wasm takes the condition last.
      this.operand(args[1] as Value);
      this.operand(args[2] as Value);
      this.operand(args[0] as Value);
      w.byte(W.select);
      return;
    }
    for (const a of args) this.operand(a);
    this.mark(v);
    const memory = MEMORY_OPS.get(op);
    if (memory !== undefined) {
      w.byte(memory[0]);
      w.u32(memory[1]);
      w.u32(imm >>> 0);
      return;
    }
    const simple = SIMPLE_OPS.get(op);
    if (simple !== undefined) {
      w.byte(simple);
      return;
    }
    switch (op) {
      case Op.memoryGrow: w.byte(W.memoryGrow); w.byte(0); return;
      case Op.memoryFill: w.byte(W.prefixFC); w.u32(W.memoryFill); w.byte(0); return;
      case Op.shadowSpSet: w.byte(W.globalSet); w.u32(SSP_GLOBAL); return;
      case Op.i32TruncSatF64S: w.byte(W.prefixFC); w.u32(W.i32TruncSatF64S); return;
      case Op.call: w.byte(W.call); w.u32(this.indices.func(imm)); return;
      default:
        throw new Error(`internal error: the backend cannot emit ${opInfo(op).name} (lower Lox-level code first)`);
    }
  }
}
