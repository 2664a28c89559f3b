/**
 * What both backends emit for each value of a machine-level function, and
 * where:
 * - dead instructions (removable, and used only by dead ones: lowering
 *   leaves some, e.g. the boxed result of a comparison that only a branch
 *   read) are not emitted at all;
 * - constants (and the bit casts of constants) are rematerialized: emitted
 *   at each use, never held in a local (a local per constant made big
 *   functions' code ~10% larger and gave V8 more locals to track);
 * - an instruction with one use in its own block is emitted inside that
 *   use, as an expression tree, rather than through a local: a pure one
 *   always; one with effects only when no other instruction with effects
 *   runs between it and its use, so effects keep their order. It keeps
 *   small functions readable and big ones under the engines' local limits.
 *
 * Liveness is the usual mark phase of dead code elimination (roots: the
 * instructions that may not be removed, and the terminators' operands).
 *
 * Assumes: aliases are resolved (the backends run after lowering, whose
 * output has none).
 */
import { type Block, type FunctionBody, isRemovable, Op, opInfo, Type, type Value, ValueKind } from "../ir/index.ts";

/**
 * Marks the live values (`live[v] = 1`) and counts each value's uses by
 * live instructions and by terminators.
 */
export function liveUses(body: FunctionBody): { readonly live: Uint8Array; readonly counts: Int32Array } {
  const live = new Uint8Array(body.valueCount);
  const counts = new Int32Array(body.valueCount);
  const pending: Value[] = [];
  const mark = (v: Value): void => {
    if (live[v] === 1) return;
    live[v] = 1;
    pending.push(v);
  };
  for (const blk of body.blocks()) {
    for (const v of body.blockInsts(blk)) if (!isRemovable(opInfo(body.opcode(v)).effects)) mark(v);
    for (const u of body.terminatorUses(blk)) {
      counts[u] = (counts[u] as number) + 1;
      mark(u);
    }
  }
  for (let v = pending.pop(); v !== undefined; v = pending.pop()) {
    if (body.kind(v) !== ValueKind.inst) continue;
    for (let i = 0, n = body.argCount(v); i < n; i++) {
      const a = body.arg(v, i);
      counts[a] = (counts[a] as number) + 1;
      mark(a);
    }
  }
  return { live, counts };
}

/**
 * The instructions of each block of one function that fold into their
 * use. Made once per function: the positions of a block's instructions
 * live in one table indexed by value, filled as each block is asked for.
 */
export class ExpressionTrees {
  /** Uses of each value by live instructions and terminators. */
  readonly useCounts: Int32Array;
  /** 1 for the instructions to emit (and for live parameters). */
  readonly live: Uint8Array;
  private readonly position: Int32Array;
  /** Per value: 0 not yet known, 1 rematerialized, 2 not. */
  private readonly remat: Uint8Array;

  constructor(private readonly body: FunctionBody) {
    const { live, counts } = liveUses(body);
    this.useCounts = counts;
    this.live = live;
    this.position = new Int32Array(body.valueCount);
    this.remat = new Uint8Array(body.valueCount);
  }

  /** Whether `v` is a constant, or a bit cast of one, emitted at each of its uses. */
  rematerialized(v: Value): boolean {
    const known = this.remat[v] as number;
    if (known !== 0) return known === 1;
    const body = this.body;
    let yes = false;
    if (body.kind(v) === ValueKind.inst) {
      switch (body.opcode(v)) {
        case Op.i32Const: case Op.i64Const: case Op.f64Const: case Op.valConst: yes = true; break;
        case Op.valBits: case Op.valFromBits: yes = this.rematerialized(body.arg(v, 0)); break;
        default: break;
      }
    }
    this.remat[v] = yes ? 1 : 2;
    return yes;
  }

  foldable(blk: Block): Set<Value> {
    const { body, useCounts, position } = this;
    const insts = body.blockInsts(blk);
    const n = insts.length;
    // The position of the first effectful instruction after each one (n if none): a linear table, not a scan per use.
    const effectful = new Uint8Array(n);
    const nextEffect = new Int32Array(n);
    for (let i = n - 1, next = n; i >= 0; i--) {
      const v = insts[i] as Value;
      position[v] = i;
      nextEffect[i] = next;
      if (this.live[v] === 1 && opInfo(body.opcode(v)).effects !== 0) {
        effectful[i] = 1;
        next = i;
      }
    }
    const result = new Set<Value>();
    const consider = (a: Value, useIndex: number): void => {
      if (useCounts[a] !== 1 || body.kind(a) !== ValueKind.inst || body.home(a) !== blk || body.type(a) === Type.none) return;
      if (this.rematerialized(a)) return;
      const i = position[a] as number;
      if (i >= useIndex) return;
      if (effectful[i] === 1 && (nextEffect[i] as number) < useIndex) return;
      result.add(a);
    };
    for (let j = 0; j < n; j++) {
      const u = insts[j] as Value;
      if (this.live[u] !== 1) continue;
      for (let k = 0; k < body.argCount(u); k++) consider(body.arg(u, k), j);
    }
    const t = body.terminator(blk);
    if (t.kind === "br") consider(t.cond, n);
    if (t.kind === "return" && t.value !== null) consider(t.value, n);
    return result;
  }
}
