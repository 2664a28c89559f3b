/**
 * What the explain report says of an operation that stays in the
 * specialized code (explain.ts collects the notes): what stayed and why,
 * naming, where one would have helped, the annotation (`@readonly` for a
 * field, `@pure` for a call on constants, `@context` for a loop) or
 * `freeze` for an array. Reads only the transcription's scope and the
 * operation's abstract operands.
 */
import { type FuncId, type FunctionBody, type GlobalId, type IrFunction, Op, opInfo, type SymbolId, type Value } from "../ir/index.ts";
import type { NoteKind } from "./explain.ts";
import { isPure } from "./pure-calls.ts";
import { specializedParams } from "./sites.ts";
import type { SpecializationScope } from "./scope.ts";
import type { PeVal } from "./values.ts";

export interface ResidualNote {
  readonly kind: NoteKind;
  /** The operation as the IR prints it (`lox.get .code`, `br`). */
  readonly what: string;
  readonly why: string;
}

const ARITHMETIC: ReadonlySet<number> = new Set([
  Op.loxAdd, Op.loxSub, Op.loxMul, Op.loxDiv, Op.loxMod, Op.loxNeg, Op.loxNot, Op.loxEq, Op.loxNe,
  Op.loxLt, Op.loxLe, Op.loxGt, Op.loxGe, Op.loxTruthy, Op.loxIs,
  Op.numAdd, Op.numSub, Op.numMul, Op.numDiv, Op.numLt, Op.numLe, Op.numGt, Op.numGe, Op.numEq, Op.numNe, Op.numFloor,
]);

/**
 * The note for instruction `v` of the generic code: `args` are its
 * operands' abstract values (taken before they are used, so a virtual
 * array is still one); `neverReturns` answers for known callees.
 */
export function whyResidual(
  scope: SpecializationScope, body: FunctionBody, v: Value, args: readonly PeVal[], neverReturns: (func: FuncId) => boolean,
): ResidualNote {
  const op = body.opcode(v);
  const name = opInfo(op).name;
  const symbol = (): string => scope.module.symbolText(body.imm(v) as SymbolId);
  const array = (a: PeVal | undefined): string => {
    if (a === undefined || a.kind === "runtime") return "the array is not known when specializing";
    if (a.kind === "virtual") return "the index is not a constant, so the array the function allocated is materialized";
    if (a.kind === "ref") {
      const view = scope.heap.describe(a.addr);
      if (view.kind === "array" && !view.frozen) return "the array is not frozen (freeze it once it is built, so its elements are known)";
    }
    return "the index is not a constant or is out of range";
  };
  switch (op) {
    case Op.loxGet: {
      const obj = args[0];
      const why = obj?.kind === "ref" && scope.heap.describe(obj.addr).kind === "instance"
        ? `the field '${symbol()}' is not @readonly (or not set)` : "the object is not known when specializing";
      return { kind: "load", what: `${name} .${symbol()}`, why };
    }
    case Op.loxIndexGet: return { kind: "load", what: name, why: array(args[0]) };
    case Op.loxIndexSet: return { kind: "store", what: name, why: array(args[0]) };
    case Op.loxSet: case Op.loxGlobalSet: case Op.loxGlobalDefine: case Op.loxCellSet:
      return { kind: "store", what: name, why: "writes to the heap stay" };
    case Op.loxGlobalGet: {
      const g = body.imm(v) as GlobalId;
      const why = scope.stableGlobals.has(g) ? "it is not defined yet when specializing" : "the global is assigned somewhere, so it can change";
      return { kind: "load", what: `${name} @${scope.module.globalName(g)}`, why };
    }
    case Op.loxCellGet: return { kind: "load", what: name, why: "captured variables stay in their cells" };
    case Op.loxCall: case Op.loxInvoke: case Op.loxSuperInvoke: {
      const callee = args[0];
      let why = "the callee is not known when specializing";
      if (op === Op.loxInvoke) why = "method calls stay calls";
      else if (callee?.kind === "ref") {
        const view = scope.heap.describe(callee.addr);
        if (view.kind === "native") why = `native ${view.name} with operands not known when specializing`;
        else if (view.kind === "closure") why = whyCallStays(scope.module.func(view.func), args.slice(1), neverReturns);
      }
      return { kind: "call", what: name, why };
    }
    case Op.loxArray: case Op.loxClosure: case Op.loxCellNew: case Op.loxClass:
      return { kind: "allocation", what: name, why: "allocated at run time" };
    default:
      return { kind: ARITHMETIC.has(op) ? "arithmetic" : "other", what: name, why: "an operand is not known when specializing" };
  }
}

/** Why a call of a known Lox function stays, naming the annotation that would have changed that. */
function whyCallStays(fn: IrFunction, args: readonly PeVal[], neverReturns: (func: FuncId) => boolean): string {
  const constants = args.every((a) => a.kind === "const");
  if (specializedParams(fn) !== null) return `the specialization constants of ${fn.name} are not known here, or its arity differs`;
  if (neverReturns(fn.id)) return `${fn.name} always raises an error; the call stays on this error path`;
  if (isPure(fn)) {
    return constants ? `${fn.name} is @pure, but its evaluation on these constants did not finish (an error, an allocation, or past its budget)`
      : `${fn.name} is @pure, but not all its arguments are known when specializing (repeated calls on the same values are merged)`;
  }
  return constants ? `its arguments are constants, but ${fn.name} is not @pure, so it is not evaluated while specializing`
    : `${fn.name} is neither @specialize nor @pure`;
}

/** Why a branch stays: its condition is unknown, and without `@context` a loop's iterations share one unit per block. */
export function whyBranchStays(scope: SpecializationScope): string {
  const generic = scope.generic;
  if (scope.loops.bodies.size > 0 && !generic.attributes.some((a) => a.name === "context")) {
    return `the condition is not known when specializing (${generic.name} has no @context, so its loop is not unrolled per program counter)`;
  }
  return "the condition is not known when specializing";
}
