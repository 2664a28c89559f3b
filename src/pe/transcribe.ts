/**
 * Transcription of one (generic block, context) unit into one output block
 * (C. Fallin et al., "Partial Evaluation, Whole-Program Compilation", PLDI
 * 2025, §4): every instruction is evaluated on abstract values. What is
 * known folds away (constants, reads of frozen arrays and readonly fields,
 * the dispatch `if` chain on a constant opcode); arrays the function
 * allocates stay virtual while they do not escape, so the interpreter's
 * operand stack and locals become plain values; the context intrinsics
 * move the unit's context; everything else is copied with its operands
 * replaced. The terminator is left pending (`PendingTerm`, scope.ts): its
 * edges are completed by the driver once every unit's entry state is final.
 */
import {
  type Block, type BlockTarget, branchFacts, type Const, decideKinds, equalKinds, type FuncId, type FunctionBody, type GlobalId, kindBits, KINDS,
  loxEqual, NIL, num, type LoxConst, ON_NUMBERS, Op, opInfo, resultKinds, type SymbolId, Type, val, type Value, ValueKind, FALSE, TRUE,
  i32 as i32Const,
} from "../ir/index.ts";
import { foldLox, foldMachine } from "../passes/index.ts";
import type { ContextId } from "./context.ts";
import type { ExplainNote, NoteKind } from "./explain.ts";
import type { CompareStep } from "./compare-steps.ts";
import { FlattenedArrayReused, materializer, type OutputWriter, SpecializationAbandoned } from "./output.ts";
import { MAX_FLATTENED_LENGTH, NOTHING_FLATTENED } from "./signature.ts";
import { neverReturns } from "./never-returns.ts";
import { evaluatePureCall, isHeapFreePure, isPure } from "./pure-calls.ts";
import { whyBranchStays, whyResidual } from "./residual-notes.ts";
import { specializedParams } from "./sites.ts";
import { assertNever } from "../support/assert.ts";
import { NATIVE_SPEC_BY_NAME, NEVER_RETURNING_NATIVES } from "../runtime/native-specs.ts";
import type { EntryState } from "./state.ts";
import { type EdgeState, NO_VALUES, type PendingTerm, type SpecializationScope, unitName } from "./scope.ts";
import { constant, knownKey, type KnownVal, kindsOf, type PeVal, runtime, type Slot, smallIndex } from "./values.ts";
import { narrowEdge } from "./kind-facts.ts";
import { edgeContext, noteDynamicExit } from "./iterations.ts";
import { foldNative, type NativeHost } from "./natives.ts";
import type { ValueEnv } from "./env.ts";

/** The ids of a table of virtual arrays, ascending (the order of `runtimePositions`). */
function sortedIds(objects: ReadonlyMap<number, unknown>): number[] {
  const ids = [...objects.keys()];
  if (ids.length > 1) ids.sort((a, b) => a - b);
  return ids;
}

export class BlockTranscriber {
  private readonly body: FunctionBody;
  private readonly env: ValueEnv;
  private readonly objects = new Map<number, PeVal[]>();
  private readonly materialized = new Map<number, Value>();
  /** Made at the first materialization (most units have none). */
  private materializeArray: ((id: number) => Value) | null = null;
  private readonly materialize = (id: number): Value =>
    (this.materializeArray ??= materializer(this.out, (k) => this.objects.get(k), this.materialized))(id);
  /** Virtual arrays passed flattened to a call, by id: the call (their contents may be stale after it). */
  private readonly passed = new Map<number, Value>();
  /** What `foldNative` needs of this transcription. */
  private readonly nativeHost: NativeHost;
  /** Set by a call that never returns. */
  private stopped = false;
  private block: Block;
  private ctx: ContextId;
  private notes: ExplainNote[] | null;
  /** The explain report's name of the unit being transcribed (this one, or one it went on into). */
  private section: string;

  constructor(
    private readonly scope: SpecializationScope, block: Block, ctx: ContextId,
    state: EntryState, params: readonly Value[], private readonly out: OutputWriter, unitName: string,
  ) {
    this.body = scope.generic.body;
    this.env = scope.env;
    this.nativeHost = {
      scope, out,
      allocate: (v, elements) => this.allocate(v, elements),
      elements: (id) => this.objects.get(id) as PeVal[],
    };
    this.block = block;
    this.ctx = ctx;
    this.section = unitName;
    this.notes = scope.explain?.begin(unitName, scope.contexts.innermostPc(ctx)) ?? null;
    // Runtime positions take the unit's output parameters, in `runtimePositions` order: slots, then arrays by id.
    let next = 0;
    const take = (s: Slot): PeVal => {
      if (s.kind !== "runtime") return s;
      const p = params[next++];
      if (p === undefined) throw new Error("internal error: fewer output parameters than runtime positions");
      return runtime(p, s.kinds);
    };
    const values = state.slots.map(take);
    const objects = new Map<number, PeVal[]>();
    for (const id of sortedIds(state.objects)) objects.set(id, (state.objects.get(id) as readonly Slot[]).map(take));
    this.load(block, values, objects);
  }

  /**
   * Starts the abstract state of a unit of `block`: its parameters and
   * live-in values (`values`, in that order) and the virtual arrays they
   * reach (taken as they are: the transcription changes them); nothing is
   * materialized or passed flattened yet.
   */
  private load(block: Block, values: readonly PeVal[], objects: ReadonlyMap<number, readonly PeVal[]>): void {
    this.env.clear();
    const params = this.body.blockParams(block);
    const liveIns = this.scope.liveIns.get(block) ?? NO_VALUES;
    for (let i = 0; i < values.length; i++) {
      const v = i < params.length ? params[i] : liveIns[i - params.length];
      this.env.set(v as Value, values[i] as PeVal);
    }
    this.objects.clear();
    for (const id of sortedIds(objects)) this.objects.set(id, objects.get(id) as PeVal[]);
    this.materialized.clear();
    this.passed.clear();
  }

  /**
   * Transcribes the block, and the chain of chainable blocks (single
   * predecessor, or empty and forwarding; chains.ts) it jumps to; returns
   * the pending terminator of the last.
   */
  run(): PendingTerm {
    for (;;) {
      const step = this.scope.compareSteps.get(this.block);
      let next = step === undefined ? null : this.decide(step);
      if (next !== null) {
        this.scope.charge((step as CompareStep).cost);
      } else {
        const insts = this.body.blockInsts(this.block);
        this.scope.charge(insts.length + 1);
        for (const v of insts) {
          this.out.span = this.body.span(v);
          this.env.set(v, this.instruction(v));
          // After a call that never returns, the rest of the block is dead.
          if (this.stopped) return { kind: "unreachable" };
        }
        next = this.foldedTarget();
      }
      if (next === null) return this.terminator(null);
      if (this.scope.chainable.has(next.block)) {
        this.continueInto(next);
        continue;
      }
      const edge = this.edge(next);
      const at = this.out.body.blockInsts(this.out.block).length;
      if (!this.scope.inlineUnit(edge, at, () => this.snapshot(edge))) return { kind: "jump", edge };
      this.enterUnit(edge);
    }
  }

  /**
   * Goes on into the unit an edge leads to, in the same output block, from
   * the state the edge carries, as a transcription of that unit alone
   * would start (`load`). Only the runtime values differ: they are the
   * values themselves, not parameters of a block.
   */
  private enterUnit(edge: EdgeState): void {
    this.load(edge.block, edge.values, edge.objects);
    this.block = edge.block;
    this.ctx = edge.ctx;
    if (this.notes !== null) {
      // The unit's notes go under its own name, as when it is transcribed alone (which replaces them).
      this.section = unitName(edge.block, edge.ctx);
      this.notes = this.scope.explain?.begin(this.section, this.scope.contexts.innermostPc(edge.ctx)) ?? null;
    }
  }

  /** The edge with its own copies of the element lists (the transcription that goes on changes them). */
  private snapshot(edge: EdgeState): EdgeState {
    const objects = new Map<number, readonly PeVal[]>();
    for (const [id, elems] of edge.objects) objects.set(id, elems.slice());
    return { ...edge, objects };
  }

  /**
   * Where a compare step goes when its value is known: a known number
   * equals the step's number or not (as `lox.eq` folds), a heap object or
   * a virtual array is never a number; null when the value is a runtime one.
   */
  private decide(step: CompareStep): BlockTarget | null {
    const x = this.get(step.subject);
    let equal: boolean;
    switch (x.kind) {
      case "runtime": return null;
      case "const":
        if (x.c.type !== Type.val) return null;
        equal = loxEqual(x.c.val, num(step.number));
        break;
      case "ref": case "virtual": equal = false; break;
      default: return assertNever(x, "abstract value");
    }
    return { block: equal ? step.then : step.else, args: [] };
  }

  /** Goes on into `target` (a chainable block) as if it followed in the same block. */
  private continueInto(target: BlockTarget): void {
    const args = target.args.map((a) => this.get(a));
    this.ctx = edgeContext(this.scope, this.ctx, target, args);
    this.scope.generic.body.blockParams(target.block).forEach((p, i) => this.env.set(p, args[i] as PeVal));
    this.block = target.block;
    if (this.notes !== null) {
      // Notes go by the pc of their context; a chained block gets a section of its own.
      const section = `${this.section}>${target.block}:${this.ctx}`;
      this.notes = this.scope.explain?.begin(section, this.scope.contexts.innermostPc(this.ctx), this.section) ?? null;
    }
  }

  // ---- abstract values ----

  private get(v: Value): PeVal {
    const x = this.env.get(v);
    if (x === undefined) throw new Error(`internal error: v${v} has no abstract value in block${this.block}`);
    return this.current(x);
  }

  /** A virtual array that was materialized is now that runtime value. */
  private current(x: PeVal): PeVal {
    if (x.kind !== "virtual") return x;
    const call = this.passed.get(x.id);
    if (call !== undefined) throw new FlattenedArrayReused(call);
    const m = this.materialized.get(x.id);
    return m === undefined ? x : runtime(m, KINDS.array);
  }

  /** The output value for an operand (materializing it if it is virtual). */
  private use(v: Value): Value {
    return this.out.value(this.get(v), this.materialize);
  }

  private copy(v: Value): PeVal {
    const body = this.body;
    const op = body.opcode(v);
    const info = opInfo(op);
    if (this.notes !== null) this.explainResidual(v);
    const n = body.argCount(v);
    const args = new Array<Value>(n);
    // The kinds of the first two operands: all that `resultKinds` reads.
    let kinds0: number = KINDS.all;
    let kinds1: number = KINDS.all;
    for (let i = 0; i < n; i++) {
      const a = this.get(body.arg(v, i));
      if (i === 0) kinds0 = kindsOf(a);
      else if (i === 1) kinds1 = kindsOf(a);
      args[i] = this.out.value(a, this.materialize);
    }
    let imm = body.imm(v);
    const type = body.type(v);
    const kinds = type === Type.val ? resultKinds(op, imm, (i) => (i === 0 ? kinds0 : kinds1)) : KINDS.all;
    if (info.imm === "i64") imm = this.out.body.i64Index(body.i64Constant(imm));
    // On two known numbers a Lox operation checks nothing (as type-facts would find, but it cannot see
    // kinds only this unit's state knows, such as the result of a native call).
    const numeric = kinds0 === KINDS.num && kinds1 === KINDS.num && n === 2 ? ON_NUMBERS.get(op) : undefined;
    return runtime(this.out.inst(numeric ?? op, args, imm, type), kinds);
  }

  // ---- the explain report ----

  private note(kind: NoteKind, what: string, why: string): void {
    this.notes?.push({ kind, what, why, line: this.out.span?.line ?? 0 });
  }

  /** Why an instruction stays in the specialized code (before its operands are used, so a virtual array is still one). */
  private explainResidual(v: Value): void {
    const { kind, what, why } = whyResidual(this.scope, this.body, v, this.body.args(v).map((a) => this.get(a)), (f) => this.neverReturns(f));
    this.note(kind, what, why);
  }

  // ---- instructions ----

  private instruction(v: Value): PeVal {
    const body = this.body;
    const op = body.opcode(v);
    const known = this.scope.constants[v];
    if (known !== undefined) return known;
    const n = body.argCount(v);
    const args = new Array<PeVal>(n);
    for (let i = 0; i < n; i++) args[i] = this.get(body.arg(v, i));
    switch (op) {
      case Op.peContextPush: case Op.peContextUpdate: case Op.peContextPop:
        this.moveContext(op, args[0]);
        return constant(i32Const(0));
      case Op.loxTruthy: {
        const truthy = decideKinds(kindsOf(args[0] as PeVal), KINDS.truthy, 1, 0);
        return truthy === null ? this.copy(v) : constant(i32Const(truthy));
      }
      case Op.loxNot: {
        const not = decideKinds(kindsOf(args[0] as PeVal), KINDS.truthy, FALSE, TRUE);
        return not === null ? this.foldOrCopy(v, args) : constant(val(not));
      }
      case Op.loxEq: case Op.loxNe: {
        const same = this.identity(args[0] as PeVal, args[1] as PeVal)
          ?? equalKinds(kindsOf(args[0] as PeVal), kindsOf(args[1] as PeVal), true, false);
        if (same !== null) return constant(val((same === (op === Op.loxEq)) ? TRUE : FALSE));
        return this.foldOrCopy(v, args);
      }
      case Op.loxGlobalGet: {
        const g = body.imm(v) as GlobalId;
        const known = this.scope.stableGlobals.has(g) ? this.scope.heap.globalValue(g) : null;
        return known ?? this.copy(v);
      }
      case Op.loxGet: {
        const [obj] = args as [PeVal];
        if (obj.kind === "ref") {
          const name = this.scope.module.symbolText(body.imm(v) as SymbolId);
          const field = this.scope.heap.readonlyField(obj.addr, name);
          if (field !== null) return field;
        }
        return this.copy(v);
      }
      case Op.loxIndexGet: return this.indexGet(v, args[0] as PeVal, args[1] as PeVal);
      case Op.loxIndexSet: return this.indexSet(v, args);
      case Op.loxArray: return this.allocate(v, args);
      case Op.loxCall: return this.call(v, args);
      default:
        return this.foldOrCopy(v, args);
    }
  }

  private foldOrCopy(v: Value, args: readonly PeVal[]): PeVal {
    for (const a of args) if (a.kind !== "const") return this.copy(v);
    const op = this.body.opcode(v);
    let folded: Const | null = null;
    if (opInfo(op).level === "lox") {
      const loxArgs: LoxConst[] = [];
      for (const a of args) {
        const c = (a as { readonly c: Const }).c;
        if (c.type !== Type.val) return this.copy(v);
        loxArgs.push(c.val);
      }
      folded = foldLox(op, loxArgs, this.body.imm(v));
    } else {
      folded = foldMachine(op, args.map((a) => (a as { readonly c: Const }).c));
    }
    return folded === null ? this.copy(v) : constant(folded);
  }

  /** Whether two values are the same object, when that is known without running. */
  private identity(a: PeVal, b: PeVal): boolean | null {
    if (a.kind === "virtual" || b.kind === "virtual") {
      if (a.kind === "virtual" && b.kind === "virtual") return a.id === b.id;
      // Nothing outside can refer to an array that never escaped.
      return false;
    }
    if (a.kind === "ref" && b.kind === "ref") return a.addr === b.addr;
    if ((a.kind === "ref" && b.kind === "const") || (a.kind === "const" && b.kind === "ref")) return false;
    return null;
  }

  private moveContext(op: number, pcValue: PeVal | undefined): void {
    const contexts = this.scope.contexts;
    if (op === Op.peContextPop) {
      const next = contexts.pop(this.ctx);
      if (next === null) throw new SpecializationAbandoned("the dispatch loop was left without being entered");
      this.ctx = next;
      return;
    }
    const pc = pcValue === undefined ? null : this.current(pcValue);
    if (pc === null || (pc.kind !== "const" && pc.kind !== "ref")) {
      const line = this.out.span?.line ?? 0;
      throw new SpecializationAbandoned(`the context value is not a constant at line ${line}`);
    }
    const next = op === Op.peContextPush ? contexts.push(this.ctx, knownKey(pc)) : contexts.update(this.ctx, knownKey(pc));
    if (next === null) throw new SpecializationAbandoned("the context was updated outside the dispatch loop");
    this.ctx = next;
  }

  private indexGet(v: Value, arr: PeVal, index: PeVal): PeVal {
    if (arr.kind === "virtual") {
      const elems = this.objects.get(arr.id) as PeVal[];
      const i = smallIndex(index, elems.length);
      if (i !== null) return this.current(elems[i] as PeVal);
    } else if (arr.kind === "ref") {
      const view = this.scope.heap.describe(arr.addr);
      if (view.kind === "array" && view.frozen) {
        const i = smallIndex(index, view.length);
        if (i !== null) return this.scope.heap.frozenElement(arr.addr, i);
      }
    }
    return this.copy(v);
  }

  private indexSet(v: Value, args: readonly PeVal[]): PeVal {
    const [arr, index, value] = args as [PeVal, PeVal, PeVal];
    if (arr.kind === "virtual") {
      const elems = this.objects.get(arr.id) as PeVal[];
      const i = smallIndex(index, elems.length);
      if (i !== null) {
        elems[i] = value;
        return constant(i32Const(0));
      }
    }
    return this.copy(v);
  }

  /** A new virtual array (an allocation site that is re-executed first materializes its previous array). */
  private allocate(v: Value, elements: readonly PeVal[]): PeVal {
    const call = this.passed.get(v);
    if (call !== undefined) throw new FlattenedArrayReused(call);
    if (this.objects.has(v)) {
      // The site's previous array becomes a runtime value everywhere before its id is reused.
      const m = this.materialized.get(v) ?? this.materialize(v);
      const replace = (x: PeVal): PeVal => (x.kind === "virtual" && x.id === v ? runtime(m, KINDS.array) : x);
      this.env.update(replace);
      for (const elems of this.objects.values()) elems.forEach((e, i) => (elems[i] = replace(e)));
      this.materialized.delete(v);
    }
    this.objects.set(v, [...elements]);
    return { kind: "virtual", id: v };
  }

  private call(v: Value, args: readonly PeVal[]): PeVal {
    const [callee, ...rest] = args as [PeVal, ...PeVal[]];
    if (callee.kind === "ref") {
      const view = this.scope.heap.describe(callee.addr);
      if (view.kind === "native") {
        const known = foldNative(this.nativeHost, v, view.name, rest);
        if (known !== null) return known;
        this.stopped = NEVER_RETURNING_NATIVES.has(view.name);
        return this.nativeCall(v, view.name);
      }
      if (view.kind === "closure") {
        const evaluated = this.pureCall(view.func, rest);
        if (evaluated !== null) return evaluated;
        this.stopped = this.neverReturns(view.func);
        const direct = this.directCall(v, view.func, callee, rest);
        if (direct !== null) return direct;
        if (this.scope.module.func(view.func).params.length === rest.length + 2) return this.knownClosureCall(v, view.func, callee, rest);
      }
    }
    return this.copy(v);
  }

  /**
   * A call of a known closure with the arity its function expects: what
   * `lox.call` would do after its type and arity checks, a call through the
   * function's table slot (`call.lox`), with the closure and a nil receiver.
   */
  private knownClosureCall(v: Value, func: FuncId, closure: PeVal, args: readonly PeVal[]): PeVal {
    if (this.notes !== null) this.explainResidual(v);
    const operands = [this.out.inst(Op.i32Const, [], func), ...[closure, constant(val(NIL)), ...args].map((a) => this.out.value(a, this.materialize))];
    const fn = this.scope.module.func(func);
    const op = isPure(fn) && isHeapFreePure(this.scope.module, fn, this.scope.heapFreePure) ? Op.callLoxPure : Op.callLox;
    return runtime(this.out.inst(op, operands, 0, Type.val));
  }

  /** A call of a `@pure` function on constants, evaluated now (pure-calls.ts); null if it stays a call. */
  private pureCall(func: FuncId, args: readonly PeVal[]): PeVal | null {
    const fn = this.scope.module.func(func);
    if (!isPure(fn) || fn.params.length !== args.length + 2) return null;
    const consts: LoxConst[] = [];
    for (const a of args) {
      if (a.kind !== "const" || a.c.type !== Type.val) return null;
      consts.push(a.c.val);
    }
    const key = `${func}(${args.map((a) => knownKey(a as KnownVal)).join(",")})`;
    let result = this.scope.pureResults.get(key) ?? null;
    if (result === null) {
      result = evaluatePureCall(this.scope, fn, consts);
      if (result === null) return null;
      this.scope.pureResults.set(key, result);
    }
    return constant(val(result));
  }

  private neverReturns(func: FuncId): boolean {
    const { neverReturning, module, stableGlobals, heap } = this.scope;
    let answer = neverReturning.get(func);
    if (answer === undefined) {
      answer = neverReturns(module.func(func), stableGlobals, heap);
      neverReturning.set(func, answer);
    }
    return answer;
  }

  /**
   * A native call that stays: when the generic code read the native from
   * its global, so does the residual call (the backend recognizes that form
   * and does `len`, `isNumber`, ... inline; the global never changes, the
   * PE checked, so the backend's guard always passes).
   */
  private nativeCall(v: Value, name: string): PeVal {
    const body = this.body;
    const callee = body.arg(v, 0);
    if (body.kind(callee) !== ValueKind.inst || body.opcode(callee) !== Op.loxGlobalGet) return this.copy(v);
    if (this.notes !== null) this.explainResidual(v);
    const read = this.out.inst(Op.loxGlobalGet, [], body.imm(callee));
    const args = body.args(v).slice(1).map((a) => this.use(a));
    const returns = NATIVE_SPEC_BY_NAME.get(name)?.returns;
    return runtime(this.out.inst(Op.loxCall, [read, ...args], 0, body.type(v)), returns === undefined ? KINDS.all : kindBits(returns));
  }

  /**
   * A call of a known closure of a specialization site, with the arity it
   * expects and known specialization constants: a direct call of the
   * specialized code (the call's own checks are then statically true).
   */
  private directCall(call: Value, func: FuncId, closure: PeVal, args: readonly PeVal[]): PeVal | null {
    const request = this.scope.directCall;
    if (request === null) return null;
    const callee = this.scope.module.func(func);
    const params = specializedParams(callee);
    if (params === null || callee.params.length !== args.length + 2) return null;
    const all: PeVal[] = [closure, constant(val(NIL)), ...args];
    const constants = new Map<number, KnownVal>();
    for (const i of params) {
      const a = all[i] as PeVal;
      if (a.kind !== "const" && a.kind !== "ref") return null;
      constants.set(i, a);
    }
    const flattened = this.scope.noFlattening.has(call) ? NOTHING_FLATTENED : this.flattenable(all, constants);
    const flatTarget = flattened.size === 0 ? null : request(callee, { constants, flattened });
    const target = flatTarget ?? request(callee, { constants, flattened: NOTHING_FLATTENED });
    if (target === null) return null;
    if (flatTarget !== null) {
      // The elements of flattened arrays follow the parameters; the arrays themselves are not used.
      const elements: PeVal[] = [];
      for (const [i] of [...flattened].sort((a, b) => a[0] - b[0])) {
        const id = (all[i] as { id: number }).id;
        elements.push(...(this.objects.get(id) as PeVal[]).map((e) => this.current(e)));
        all[i] = constant(val(NIL));
        this.passed.set(id, call);
      }
      all.push(...elements);
    }
    const operands = all.map((a) => this.out.value(a, this.materialize));
    return runtime(this.out.inst(Op.call, operands, target, Type.val));
  }

  /**
   * The arguments a direct call can pass flattened (signature.ts): arrays
   * of this function that have not escaped, short, holding no other such
   * array, the only such argument (so no other argument shares it). Whether
   * the caller uses it again after the call is found out later: such a use
   * throws FlattenedArrayReused.
   */
  private flattenable(all: readonly PeVal[], constants: ReadonlyMap<number, KnownVal>): ReadonlyMap<number, number> {
    const out = new Map<number, number>();
    if (all.filter((a) => a.kind === "virtual").length !== 1) return out;
    all.forEach((a, i) => {
      if (a.kind !== "virtual" || constants.has(i)) return;
      const elems = (this.objects.get(a.id) as PeVal[]).map((e) => this.current(e));
      if (elems.length > MAX_FLATTENED_LENGTH || elems.some((e) => e.kind === "virtual")) return;
      out.set(i, elems.length);
    });
    return out;
  }


  // ---- terminator ----

  private edge(target: BlockTarget): EdgeState {
    const liveIns = this.scope.liveIns.get(target.block) ?? NO_VALUES;
    const n = target.args.length;
    const values = new Array<PeVal>(n + liveIns.length);
    for (let i = 0; i < n; i++) values[i] = this.get(target.args[i] as Value);
    for (let i = 0; i < liveIns.length; i++) values[n + i] = this.get(liveIns[i] as Value);
    const objects = new Map<number, PeVal[]>();
    // The virtual arrays the values reach, each once, their elements as they are now.
    const pending: number[] = [];
    const reach = (x: PeVal): void => {
      if (x.kind === "virtual" && !objects.has(x.id)) {
        objects.set(x.id, []);
        pending.push(x.id);
      }
    };
    for (const x of values) reach(x);
    // Edges are made at the end of the unit, after its last write to these arrays: while nothing was
    // materialized or passed flattened (so every element is as it stands), the edge shares them.
    const asTheyStand = this.materialized.size === 0 && this.passed.size === 0;
    while (pending.length > 0) {
      const id = pending.pop() as number;
      const source = this.objects.get(id) as PeVal[];
      if (asTheyStand) {
        for (const e of source) reach(e);
        objects.set(id, source);
        continue;
      }
      const elems = new Array<PeVal>(source.length);
      for (let i = 0; i < source.length; i++) {
        const e = source[i] as PeVal;
        elems[i] = e.kind === "virtual" ? this.current(e) : e;
        reach(elems[i] as PeVal);
      }
      objects.set(id, elems);
    }
    return { block: target.block, ctx: edgeContext(this.scope, this.ctx, target, values.slice(0, n)), values, objects };
  }

  /** The one target the terminator goes to, when that is known now (a jump, or a branch on a constant). */
  private foldedTarget(): BlockTarget | null {
    const t = this.body.terminator(this.block);
    switch (t.kind) {
      case "jump": return t.target;
      case "br": {
        const cond = this.get(t.cond);
        return cond.kind === "const" && cond.c.type === Type.i32 ? (cond.c.value !== 0 ? t.then : t.else) : null;
      }
      case "switch": {
        const k = this.get(t.value);
        if (k.kind !== "const" || k.c.type !== Type.i32) return null;
        return k.c.value >= 0 && k.c.value < t.targets.length ? (t.targets[k.c.value] as BlockTarget) : t.default;
      }
      case "return": case "unreachable": case "none": return null;
      default: return assertNever(t, "terminator");
    }
  }

  /** The pending terminator; `folded` is the block's `foldedTarget`. */
  private terminator(folded: BlockTarget | null): PendingTerm {
    if (folded !== null) return { kind: "jump", edge: this.edge(folded) };
    const t = this.body.terminator(this.block);
    switch (t.kind) {
      case "jump": throw new Error("internal error: a jump is always a folded target");
      case "br": {
        noteDynamicExit(this.scope, this.ctx, [t.then, t.else]);
        if (this.notes !== null) this.note("branch", "br", whyBranchStays(this.scope));
        const cond = this.use(t.cond);
        const then = this.edge(t.then);
        const otherwise = this.edge(t.else);
        return {
          kind: "br", cond,
          then: narrowEdge(then, branchFacts(this.out.body, cond, true)),
          else: narrowEdge(otherwise, branchFacts(this.out.body, cond, false)),
        };
      }
      case "switch":
        return { kind: "switch", value: this.use(t.value), targets: t.targets.map((x) => this.edge(x)), default: this.edge(t.default) };
      case "return": {
        if (t.value === null) throw new Error("internal error: a Lox function returned nothing");
        return { kind: "return", value: this.use(t.value) };
      }
      case "unreachable": case "none": return { kind: "unreachable" };
      default: return assertNever(t, "terminator");
    }
  }
}

export type { KnownVal };

