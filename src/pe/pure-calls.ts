/**
 * Calls of `@pure` functions during specialization.
 *
 * The annotation checker (annotations/purity.ts) proved such a function
 * changes nothing and reads nothing that can change, so:
 * - a call whose arguments are all known constants can be evaluated now,
 *   by running the function's Lox-level IR on constants (`evaluatePureCall`);
 *   the call becomes its result. Anything the evaluator does not model (an
 *   allocation, a native it does not know, an error the call would raise,
 *   a run past its fuel) leaves the call in the code, so the error, if
 *   any, still happens at run time with its trace;
 * - two calls on the same arguments give the same result, so gvn may merge
 *   a call with one that dominates it (`isHeapFreePure`: only when the
 *   function also reads no heap object through its arguments, since the
 *   caller may change an argument's elements between the two calls, and
 *   allocates nothing, since two calls would return two distinct arrays).
 *
 * This is the constant-argument evaluation of pure functions of partial
 * evaluators since "Partial Evaluation and Automatic Program Generation"
 * (Jones, Gomard & Sestoft, 1993, ch. 5: calls of a function whose
 * arguments are all static are unfolded at specialization time).
 */
import {
  type Block, type Const, type FuncId, type FunctionBody, type GlobalId, type IrFunction, type LoxConst, LoxKind, type Module, Op, Type,
  type Value, ValueKind, val,
} from "../ir/index.ts";
import { constantOf, constKind, foldLox } from "../passes/fold.ts";
import type { PeHeap } from "./heap-view.ts";

export const PURE_ATTRIBUTE = "pure";

/** Instructions an evaluation may execute, in all the calls it makes. */
const EVALUATION_FUEL = 20_000;
/** Nesting of pure calls inside an evaluation. */
const MAX_EVALUATION_DEPTH = 64;

export function isPure(fn: IrFunction): boolean {
  return fn.attributes.some((a) => a.name === PURE_ATTRIBUTE);
}

/** What an evaluation can hold: a Lox constant, or a function read from a stable global. */
type EvalVal = { readonly kind: "const"; readonly c: Const } | { readonly kind: "closure"; readonly func: FuncId } | { readonly kind: "native"; readonly name: string };

class NotEvaluable extends Error {}

export interface PureEvaluationScope {
  readonly module: Module;
  readonly heap: PeHeap;
  readonly stableGlobals: ReadonlySet<GlobalId>;
}

/** The result of calling pure function `fn` on constant Lox arguments, or null when it cannot be found now. */
export function evaluatePureCall(scope: PureEvaluationScope, fn: IrFunction, args: readonly LoxConst[]): LoxConst | null {
  const state = { fuel: EVALUATION_FUEL };
  try {
    const nil: EvalVal = { kind: "const", c: val({ kind: "nil" }) };
    const result = run(scope, state, fn, [{ kind: "closure", func: fn.id }, nil, ...args.map((a) => ({ kind: "const", c: val(a) }) as const)], 0);
    return result.kind === "const" && result.c.type === Type.val ? result.c.val : null;
  } catch (e) {
    if (e instanceof NotEvaluable) return null;
    throw e;
  }
}

function run(scope: PureEvaluationScope, state: { fuel: number }, fn: IrFunction, args: readonly EvalVal[], depth: number): EvalVal {
  if (depth > MAX_EVALUATION_DEPTH || fn.params.length !== args.length) throw new NotEvaluable();
  const body = fn.body;
  const env = new Map<Value, EvalVal>();
  const get = (v: Value): EvalVal => {
    const x = env.get(body.resolve(v));
    if (x === undefined) throw new NotEvaluable();
    return x;
  };
  let block: Block = body.entry;
  let incoming: readonly EvalVal[] = args;
  for (;;) {
    body.blockParams(block).forEach((p, i) => env.set(p, incoming[i] as EvalVal));
    const insts = body.blockInsts(block);
    state.fuel -= insts.length + 1;
    if (state.fuel < 0) throw new NotEvaluable();
    for (const v of insts) env.set(v, step(scope, state, body, v, get, depth));
    const term = body.terminator(block);
    switch (term.kind) {
      case "jump":
        incoming = term.target.args.map(get);
        block = term.target.block;
        break;
      case "br": {
        const cond = get(term.cond);
        if (cond.kind !== "const" || cond.c.type !== Type.i32) throw new NotEvaluable();
        const target = cond.c.value !== 0 ? term.then : term.else;
        incoming = target.args.map(get);
        block = target.block;
        break;
      }
      case "return":
        if (term.value === null) throw new NotEvaluable();
        return get(term.value);
      case "switch": case "unreachable": case "none":
        throw new NotEvaluable();
    }
  }
}

function step(
  scope: PureEvaluationScope, state: { fuel: number }, body: FunctionBody, v: Value, get: (v: Value) => EvalVal, depth: number,
): EvalVal {
  if (body.kind(v) !== ValueKind.inst) throw new NotEvaluable();
  const c = constantOf(scope.module, body, v);
  if (c !== null) return { kind: "const", c };
  const op = body.opcode(v);
  if (op === Op.loxGlobalGet) {
    const g = body.imm(v) as GlobalId;
    const known = scope.stableGlobals.has(g) ? scope.heap.globalValue(g) : null;
    if (known === null) throw new NotEvaluable();
    if (known.kind === "const") return known;
    const view = scope.heap.describe(known.addr);
    if (view.kind === "closure") return { kind: "closure", func: view.func };
    if (view.kind === "native") return { kind: "native", name: view.name };
    throw new NotEvaluable();
  }
  const args = body.args(v).map(get);
  if (op === Op.call) {
    // A `@monomorphize` stub calls its versions and generic code directly.
    const target = scope.module.func(body.imm(v) as FuncId);
    if (target.kind !== "lox" || !isPure(target)) throw new NotEvaluable();
    return run(scope, state, target, args, depth + 1);
  }
  if (op === Op.loxCall) {
    const [callee, ...rest] = args as [EvalVal, ...EvalVal[]];
    const consts = rest.map(loxConst);
    if (callee.kind === "native") return { kind: "const", c: val(callNative(callee.name, consts)) };
    if (callee.kind === "closure") {
      const target = scope.module.func(callee.func);
      if (!isPure(target)) throw new NotEvaluable();
      const nil: EvalVal = { kind: "const", c: val({ kind: "nil" }) };
      return run(scope, state, target, [callee, nil, ...rest], depth + 1);
    }
    throw new NotEvaluable();
  }
  const folded = foldLox(op, args.map(loxConst), body.imm(v));
  if (folded === null) throw new NotEvaluable();
  return { kind: "const", c: folded };
}

function loxConst(x: EvalVal): LoxConst {
  if (x.kind !== "const" || x.c.type !== Type.val) throw new NotEvaluable();
  return x.c.val;
}

/** The natives an evaluation runs itself: those whose result on constants is plain arithmetic. */
function callNative(name: string, args: readonly LoxConst[]): LoxConst {
  const [a] = args;
  if (args.length !== 1 || a === undefined) throw new NotEvaluable();
  switch (name) {
    case "isNumber": return { kind: "bool", value: constKind(a) === LoxKind.num };
    case "isString": return { kind: "bool", value: constKind(a) === LoxKind.str };
    case "isArray": return { kind: "bool", value: false };
    case "floor":
      if (a.kind !== "num") throw new NotEvaluable();
      return { kind: "num", value: Math.floor(a.value) };
    case "len":
      if (a.kind !== "str") throw new NotEvaluable();
      return { kind: "num", value: a.text.length };
    default: throw new NotEvaluable();
  }
}

/**
 * Whether calls of `fn` may be merged: it is `@pure`, reads no heap
 * object (no element, field or length) and allocates none, directly or in
 * the functions it calls. `seen` breaks recursion (assumed yes).
 */
export function isHeapFreePure(module: Module, fn: IrFunction, memo: Map<FuncId, boolean>, seen = new Set<FuncId>()): boolean {
  const known = memo.get(fn.id);
  if (known !== undefined) return known;
  if (!isPure(fn)) return false;
  if (seen.has(fn.id)) return true;
  seen.add(fn.id);
  const body = fn.body;
  let ok = true;
  for (const b of body.blocks()) {
    for (const v of body.blockInsts(b)) {
      if (body.kind(v) !== ValueKind.inst) continue;
      switch (body.opcode(v)) {
        case Op.loxIndexGet: case Op.loxGet: case Op.loxInvoke: case Op.loxSuperGet: case Op.loxSuperInvoke: case Op.loxCellGet:
        case Op.loxArray: case Op.loxClosure: case Op.loxCellNew: case Op.loxClass:
          ok = false;
          break;
        case Op.call: {
          const callee = module.func(body.imm(v) as FuncId);
          if (!isHeapFreePure(module, callee, memo, seen)) ok = false;
          break;
        }
        case Op.loxGlobalGet: {
          // A global the checker let through is a pure function or a native; natives that read or make arrays are not heap-free.
          const name = module.globalName(body.imm(v) as GlobalId);
          if (ARRAY_NATIVES.has(name)) ok = false;
          for (const callee of module.functions) {
            if (callee.kind === "lox" && callee.name === name && !isHeapFreePure(module, callee, memo, seen)) ok = false;
          }
          break;
        }
        default: break;
      }
    }
  }
  memo.set(fn.id, ok);
  return ok;
}

/** Natives a pure function may call that read an array's contents or length (`toString` of an array too), or make an array. */
const ARRAY_NATIVES: ReadonlySet<string> = new Set(["len", "array", "push", "pop", "freeze", "toString"]);
