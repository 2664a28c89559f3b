/**
 * type-facts: what kinds of Lox value each value can be, from how it was
 * computed, from the operations that already checked it and from the
 * branches that dominate its uses; then the tests that this answers are
 * folded (`lox.is`, `lox.truthy`, `lox.not`) and arithmetic and
 * comparisons whose operands are known numbers become `num.*`, which
 * check nothing.
 *
 * A kind set is a bit set of nil, true, false, number, string, array and
 * other objects (ir/kind-sets.ts). Instructions get theirs from their operation (`lox.sub`
 * yields a number, `lox.lt` a boolean, `lox.add` of two numbers a number);
 * block parameters the union over their incoming edges. An operation that
 * raises an error unless its operands are numbers (`lox.sub`, `lox.lt`,
 * ...) teaches that they are numbers in the rest of its block and in the
 * blocks it dominates (`n < 2` before `n - 1`). Branches add
 * facts: on the edges of `br (lox.truthy t)`, t is truthy or falsy, and if
 * t is `lox.is K x` (or its `lox.not`), x is or is not of kind K; if t is
 * `x == nil` (or `true`, `false`: each the only value of its kind), x is
 * or is not nil. Equality itself folds where the kinds decide it (no kind
 * in common: never equal; both nil: equal). An edge's
 * facts refine the arguments it passes and hold in every block dominated
 * by the edge's target when that edge is the target's only way in (the
 * facts of a dominating condition; cf. the predicate-refined types of
 * "Conditional constant propagation", Wegman & Zadeck, TOPLAS 13(2),
 * 1991, and the type feedback-free type inference of SSA-based JITs).
 * Kind sets start empty at parameters and grow to a fixpoint, visiting
 * blocks in reverse postorder (monotone transfer functions on a finite
 * lattice, so this terminates).
 *
 * The interpreter idiom `if (!isNumber(a) or !isNumber(b)) error(...)`
 * followed by `a - b` thus leaves one test per value and path, a branch
 * on a test that a dominating branch already decided becomes a jump, and
 * the join of `and`/`or` whose outcome an edge already knows folds away.
 * Runs on Lox-level IR (the partial evaluator's output; `lox.is` comes from
 * it). Rewrites instructions in place; fold and simplify-cfg then remove
 * the branches. Assumes verified input.
 */
import {
  type Block, type BlockTarget, branchFacts, ControlFlow, decideKinds, equalKinds, type FuncId, kindBits, KINDS, ON_NUMBERS, resultKinds, type FunctionBody, type IrFunction, LoxKind, type Module, Op, type Opcode, Type, type Value,
  ValueKind,
} from "../ir/index.ts";
import { assertNever } from "../support/assert.ts";
import { monomorphicDispatch } from "./monomorphize.ts";
import type { Pass } from "./pass.ts";

const { num: NUM, str: STR, all: ALL, truthy: TRUTHY } = KINDS;

/** Operations that raise an error unless all their operands are numbers. */
const NUMBER_OPERANDS: ReadonlySet<Opcode> = new Set([
  Op.loxSub, Op.loxMul, Op.loxDiv, Op.loxMod, Op.loxNeg, Op.loxLt, Op.loxLe, Op.loxGt, Op.loxGe,
]);

/** Facts of a block: value → the kinds it is limited to there (absent: no limit). */
type Facts = ReadonlyMap<Value, number>;
const NO_FACTS: Facts = new Map();

/** An outgoing edge: target, arguments, and the facts that hold along it. */
type Edge = readonly [Block, readonly Value[], Facts];

class TypeFacts {
  private readonly cfg: ControlFlow;
  /** Kinds per value (where it is defined), the fixpoint being computed. */
  private readonly kinds: Uint8Array;
  /** Facts per reachable block on entry, and at its end (plus what its instructions taught). */
  private readonly entryFacts: Facts[];
  private readonly exitFacts: Facts[];
  /** Outgoing edges per block, computed once (read only before the rewrite changes terminators). */
  private readonly edgeCache: (readonly Edge[] | undefined)[] = [];

  constructor(private readonly body: FunctionBody, private readonly module: Module | null) {
    this.cfg = new ControlFlow(body);
    this.kinds = new Uint8Array(body.valueCount);
    this.entryFacts = new Array<Facts>(body.blockCount).fill(NO_FACTS);
    this.exitFacts = new Array<Facts>(body.blockCount).fill(NO_FACTS);
  }

  run(): boolean {
    const { body, cfg } = this;
    for (const p of body.blockParams(body.entry)) this.kinds[p] = ALL;
    this.collectFacts();
    for (let changed = true; changed;) {
      changed = false;
      for (const b of cfg.rpo) {
        this.walk(b, (v, at) => { this.kinds[v] = this.transfer(v, at); });
        for (const [target, args, edge] of this.edges(b)) {
          body.blockParams(target).forEach((p, i) => {
            const a = args[i] as Value;
            const k = this.kinds[p] as number;
            const more = k | (this.at(b, a) & (edge.get(a) ?? ALL));
            if (more !== k) {
              this.kinds[p] = more;
              changed = true;
            }
          });
        }
      }
    }
    const rewritten = this.rewrite();
    return this.thread() || rewritten;
  }

  /**
   * Jump threading on known truthiness: an edge into a block that only
   * branches on the truthiness of one of its parameters, passing a value
   * whose truthiness is known on that edge, goes straight to the branch's
   * outcome (the join after `a and b` or `a or b`, when the edge comes from
   * the test of `a`). Decided on the facts as computed, before any edge
   * moves: moving one edge changes no value that flows along another. The
   * block's parameters and test must have no uses outside it (code it
   * dominates may use them; a threaded edge would bypass their definition).
   */
  private thread(): boolean {
    const body = this.body;
    let changed = false;
    const usedOutside = this.valuesUsedOutsideTheirBlock();
    const retarget = (p: Block, x: BlockTarget, edge: Facts): BlockTarget => {
      const t = body.terminator(x.block);
      if (x.block === p || t.kind !== "br" || body.blockInsts(x.block).length !== 1) return x;
      const c = body.blockInsts(x.block)[0] as Value;
      if (t.cond !== c || body.opcode(c) !== Op.loxTruthy) return x;
      const params = body.blockParams(x.block);
      if (usedOutside.has(c) || params.some((q) => usedOutside.has(q))) return x;
      const tested = params.indexOf(body.arg(c, 0));
      if (tested < 0) return x;
      const a = x.args[tested] as Value;
      const kinds = this.at(p, a) & (edge.get(a) ?? ALL);
      const answer = kinds === 0 ? null : decideKinds(kinds, TRUTHY, true, false); // 0: the edge cannot be taken
      if (answer === null) return x;
      const next = answer ? t.then : t.else;
      if (next.block === x.block || next.args.includes(c)) return x;
      changed = true;
      return { block: next.block, args: next.args.map((v) => { const i = params.indexOf(v); return i < 0 ? v : (x.args[i] as Value); }) };
    };
    for (const p of this.cfg.rpo) {
      const t = body.terminator(p);
      if (t.kind === "jump") body.setTerminator(p, { kind: "jump", target: retarget(p, t.target, NO_FACTS) });
      else if (t.kind === "br" && t.then.block !== t.else.block) {
        body.setTerminator(p, {
          kind: "br", cond: t.cond,
          then: retarget(p, t.then, this.conditionFacts(t.cond, true)), else: retarget(p, t.else, this.conditionFacts(t.cond, false)),
        });
      }
    }
    return changed;
  }

  /** The kinds `v` can be at the end of block `b`. */
  private at(b: Block, v: Value): number {
    if (this.body.type(v) !== Type.val) return ALL;
    return (this.kinds[v] as number) & ((this.exitFacts[b] as Facts).get(v) ?? ALL);
  }

  /** Visits the instructions of `b` in order, each with the kinds of values just before it. */
  private walk(b: Block, visit: (v: Value, at: (x: Value) => number) => void): void {
    const body = this.body;
    const entry = this.entryFacts[b] as Facts;
    const learned = new Map<Value, number>();
    const at = (x: Value): number => body.type(x) !== Type.val ? ALL
      : (this.kinds[x] as number) & (entry.get(x) ?? ALL) & (learned.get(x) ?? ALL);
    for (const v of body.blockInsts(b)) {
      visit(v, at);
      this.learn(v, learned);
    }
  }

  /** What holds after `v` ran: the operands of an operation that raises an error unless they are numbers are numbers. */
  private learn(v: Value, facts: Map<Value, number>): void {
    const body = this.body;
    if (body.kind(v) !== ValueKind.inst) return;
    const op = body.opcode(v);
    const mask = NUMBER_OPERANDS.has(op) ? NUM : op === Op.loxAdd ? NUM | STR : ALL;
    if (mask === ALL) return;
    for (let i = 0; i < body.argCount(v); i++) {
      const a = body.arg(v, i);
      facts.set(a, (facts.get(a) ?? ALL) & mask);
    }
  }

  private transfer(v: Value, at: (x: Value) => number): number {
    const body = this.body;
    if (body.type(v) !== Type.val || body.kind(v) !== ValueKind.inst) return ALL;
    const arg = (i: number): number => at(body.arg(v, i));
    // An operand that cannot have a value yet (still at the bottom of the fixpoint) gives none either.
    for (let i = 0; i < body.argCount(v); i++) if (arg(i) === 0) return 0;
    return resultKinds(body.opcode(v), body.imm(v), arg);
  }

  /** The outgoing edges of `b`: target, arguments, and the facts the edge adds. */
  private edges(b: Block): readonly Edge[] {
    let edges = this.edgeCache[b];
    if (edges === undefined) {
      edges = this.computeEdges(b);
      this.edgeCache[b] = edges;
    }
    return edges;
  }

  private computeEdges(b: Block): Edge[] {
    const t = this.body.terminator(b);
    switch (t.kind) {
      case "jump": return [[t.target.block, t.target.args, NO_FACTS]];
      case "br": {
        if (t.then.block === t.else.block) return [[t.then.block, t.then.args, NO_FACTS], [t.else.block, t.else.args, NO_FACTS]];
        return [[t.then.block, t.then.args, this.conditionFacts(t.cond, true)], [t.else.block, t.else.args, this.conditionFacts(t.cond, false)]];
      }
      case "switch": return [...t.targets, t.default].map((x) => [x.block, x.args, NO_FACTS]);
      case "return": case "unreachable": case "none": return [];
      default: return assertNever(t, "terminator");
    }
  }

  /** What holds on the edge taken when i32 condition `cond` is (or is not) zero. */
  private conditionFacts(cond: Value, taken: boolean): Facts {
    return branchFacts(this.body, cond, taken);
  }

  /**
   * The facts of every block, on entry and at its end: its immediate
   * dominator's at its end, plus its only incoming edge's, plus (at the
   * end) what its instructions taught. One walk of the dominator tree with
   * a scoped table (undone on the way back, as in dominator-based value
   * numbering); each block keeps only the facts about the values it reads
   * (its instructions' operands on entry; its edges' arguments and its
   * branch's test at the end), so a long chain of blocks costs linear
   * time, not one copy of all facts so far per block.
   */
  private collectFacts(): void {
    const { body, cfg } = this;
    const current = new Map<Value, number>();
    const stack: ({ enter: Block } | { undo: [Value, number | undefined][] })[] = [{ enter: body.entry }];
    while (stack.length > 0) {
      const step = stack.pop() as (typeof stack)[number];
      if ("undo" in step) {
        for (let i = step.undo.length - 1; i >= 0; i--) {
          const [v, old] = step.undo[i] as [Value, number | undefined];
          if (old === undefined) current.delete(v);
          else current.set(v, old);
        }
        continue;
      }
      const b = step.enter;
      const undo: [Value, number | undefined][] = [];
      const add = (v: Value, mask: number): void => {
        const old = current.get(v);
        undo.push([v, old]);
        current.set(v, (old ?? ALL) & mask);
      };
      for (const [v, mask] of this.incomingFacts(b)) add(v, mask);
      this.entryFacts[b] = restrict(current, this.operandsOf(b));
      const learned = new Map<Value, number>();
      for (const v of body.blockInsts(b)) this.learn(v, learned);
      for (const [v, mask] of learned) add(v, mask);
      this.exitFacts[b] = restrict(current, this.exitReads(b));
      stack.push({ undo });
      const children = cfg.children(b);
      for (let i = children.length - 1; i >= 0; i--) stack.push({ enter: children[i] as Block });
    }
  }

  /** The facts of `b`'s only incoming edge (none if it has several ways in). */
  private incomingFacts(b: Block): Facts {
    const preds = this.cfg.predecessors(b);
    if (preds.length !== 1) return NO_FACTS;
    const edge = this.edges(preds[0] as Block).filter(([target]) => target === b);
    return edge.length === 1 ? (edge[0] as Edge)[2] : NO_FACTS;
  }

  /** The values `b`'s instructions read. */
  private operandsOf(b: Block): Value[] {
    const body = this.body;
    const out: Value[] = [];
    for (const v of body.blockInsts(b)) for (let i = 0; i < body.argCount(v); i++) out.push(body.arg(v, i));
    return out;
  }

  /** The values whose kinds at the end of `b` are asked for: its edges' arguments and its branch's tested value. */
  private exitReads(b: Block): Value[] {
    const body = this.body;
    const out: Value[] = [];
    for (const [, args] of this.edges(b)) out.push(...args);
    const t = body.terminator(b);
    if (t.kind === "br" && body.kind(t.cond) === ValueKind.inst && body.argCount(t.cond) > 0) out.push(body.arg(t.cond, 0));
    return out;
  }

  /** Values used by an instruction or terminator of a block other than the one that defines them. */
  private valuesUsedOutsideTheirBlock(): Set<Value> {
    const body = this.body;
    const out = new Set<Value>();
    for (const b of this.cfg.rpo) {
      const note = (v: Value): void => {
        if (body.home(v) !== b) out.add(v);
      };
      for (const v of body.blockInsts(b)) for (let i = 0; i < body.argCount(v); i++) note(body.arg(v, i));
      for (const v of body.terminatorUses(b)) note(v);
    }
    return out;
  }

  /** Folds the tests the kinds answer and drops the checks of arithmetic on numbers; true if any changed. */
  private rewrite(): boolean {
    const body = this.body;
    let changed = false;
    for (const b of this.cfg.rpo) {
      const versionCalls = new Map<Value, FuncId>();
      this.walk(b, (v, at) => {
        if (body.kind(v) !== ValueKind.inst) return;
        const op = body.opcode(v);
        if (op === Op.callLox || op === Op.callLoxPure) {
          const version = this.versionFor(v, at);
          if (version !== null) versionCalls.set(v, version);
          return;
        }
        const numeric = ON_NUMBERS.get(op);
        if (numeric !== undefined && at(body.arg(v, 0)) === NUM && at(body.arg(v, 1)) === NUM) {
          body.rewriteInst(v, numeric, body.args(v));
          changed = true;
          return;
        }
        if (numeric !== undefined && op !== Op.loxEq && op !== Op.loxNe) return;
        if (op === Op.loxEq || op === Op.loxNe) {
          const same = equalKinds(at(body.arg(v, 0)), at(body.arg(v, 1)), true, false);
          if (same === null) return;
          body.rewriteInst(v, same === (op === Op.loxEq) ? Op.loxTrue : Op.loxFalse, []);
          changed = true;
          return;
        }
        if (op !== Op.loxIs && op !== Op.loxNot && op !== Op.loxTruthy) return;
        const x = at(body.arg(v, 0));
        if (x === 0) return; // the block cannot run
        let answer: boolean | null;
        if (op === Op.loxIs) answer = decideKinds(x, kindBits(body.imm(v) as LoxKind), true, false);
        else answer = decideKinds(x, TRUTHY, op === Op.loxTruthy, op === Op.loxNot);
        if (answer === null) return;
        if (op === Op.loxTruthy) body.rewriteInst(v, Op.i32Const, [], answer ? 1 : 0);
        else body.rewriteInst(v, answer ? Op.loxTrue : Op.loxFalse, []);
        changed = true;
      });
      if (versionCalls.size > 0) {
        // Each call now names its version's table slot, in a constant of its own just before it.
        const list: Value[] = [];
        for (const v of body.blockInsts(b)) {
          const version = versionCalls.get(v);
          if (version !== undefined) {
            const slot = body.createInst(Op.i32Const, [], version, Type.i32);
            body.copySpan(v, slot);
            body.setArg(v, 0, slot);
            list.push(slot);
          }
          list.push(v);
        }
        body.setBlockInsts(b, list);
        changed = true;
      }
      changed = this.foldRepeatedBranch(b) || changed;
    }
    return changed;
  }

  /**
   * The `@monomorphize` version a call through the table should go to: the
   * callee is a dispatch stub (monomorphize.ts) and the kinds of the
   * argument it dispatches on are all of one version's kind.
   */
  private versionFor(call: Value, at: (x: Value) => number): FuncId | null {
    const body = this.body;
    if (this.module === null) return null;
    const slot = body.resolve(body.arg(call, 0));
    if (body.kind(slot) !== ValueKind.inst || body.opcode(slot) !== Op.i32Const) return null;
    const callee = this.module.slotFunction(body.imm(slot));
    const dispatch = callee === null ? null : monomorphicDispatch(callee);
    if (dispatch === null || 1 + dispatch.param >= body.argCount(call)) return null;
    const x = at(body.arg(call, 1 + dispatch.param));
    const version = dispatch.versions.find((candidate) => decideKinds(x, kindBits(candidate.kind), true, false) === true);
    return version?.func ?? null;
  }

  /**
   * A branch on the truthiness of a value whose truthiness is known here,
   * though not where the test is defined (a test repeated in a block that
   * a branch on the same test dominates): a jump to the known side.
   */
  private foldRepeatedBranch(b: Block): boolean {
    const body = this.body;
    const t = body.terminator(b);
    if (t.kind !== "br" || t.then.block === t.else.block) return false;
    if (body.kind(t.cond) !== ValueKind.inst || body.opcode(t.cond) !== Op.loxTruthy) return false;
    const x = this.at(b, body.arg(t.cond, 0));
    const answer = x === 0 ? null : decideKinds(x, TRUTHY, true, false);
    if (answer === null) return false;
    body.setTerminator(b, { kind: "jump", target: answer ? t.then : t.else });
    return true;
  }
}

/** The facts of `facts` about `values` only. */
function restrict(facts: Facts, values: readonly Value[]): Facts {
  let out: Map<Value, number> | null = null;
  for (const v of values) {
    const mask = facts.get(v);
    if (mask === undefined) continue;
    out ??= new Map();
    out.set(v, mask);
  }
  return out ?? NO_FACTS;
}

/** `module`, when given, is where `call.lox` table slots are looked up to call `@monomorphize` versions directly. */
export function inferTypeFacts(body: FunctionBody, module: Module | null = null): boolean {
  return new TypeFacts(body, module).run();
}

export const typeFactsPass: Pass = {
  name: "type-facts",
  description: "infers the kinds of Lox values and folds the type and truthiness tests they answer",
  run(module: Module, fn: IrFunction): boolean {
    return fn.kind === "lox" ? inferTypeFacts(fn.body, module) : false;
  },
};
