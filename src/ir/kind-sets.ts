/**
 * Kind sets: what kinds of Lox value a value can be, as a bit set of nil,
 * true, false, number, string, array and other objects; and what each
 * Lox-level operation yields, from the kinds of its operands. Shared by
 * the type-facts pass (a fixpoint over a whole function) and the partial
 * evaluator (kinds of run-time values carried in its abstract states, so
 * the interpreter's checks of a value already checked fold while
 * specializing); and what one branch teaches (`branchFacts`). Knows
 * nothing of control flow beyond one branch: where facts hold is each
 * user's own business.
 */
import { type LoxConst } from "./constant.ts";
import { type Value, ValueKind } from "./entities.ts";
import type { FunctionBody } from "./function-body.ts";
import { LoxKind } from "./lox-kinds.ts";
import { Op, type Opcode } from "./opcodes.ts";
import { assertNever } from "../support/assert.ts";

export const KINDS = {
  nil: 1, true: 2, false: 4, num: 8, str: 16, array: 32, other: 64,
  all: 127, bool: 6, falsy: 5, truthy: 122,
} as const;

/** The bits of the kind `lox.is K` tests. */
export function kindBits(k: LoxKind): number {
  switch (k) {
    case LoxKind.nil: return KINDS.nil;
    case LoxKind.bool: return KINDS.bool;
    case LoxKind.num: return KINDS.num;
    case LoxKind.str: return KINDS.str;
    case LoxKind.array: return KINDS.array;
    case LoxKind.other: return KINDS.other;
    default: return assertNever(k, "kind of value");
  }
}

/** The kind of a Lox constant. */
export function constKinds(c: LoxConst): number {
  switch (c.kind) {
    case "nil": return KINDS.nil;
    case "bool": return c.value ? KINDS.true : KINDS.false;
    case "num": return KINDS.num;
    case "str": return KINDS.str;
    default: return assertNever(c, "Lox constant");
  }
}

/** Lox operations and what they become when both operands are known numbers (they then check nothing). */
export const ON_NUMBERS: ReadonlyMap<Opcode, Opcode> = new Map([
  [Op.loxAdd, Op.numAdd], [Op.loxSub, Op.numSub], [Op.loxMul, Op.numMul], [Op.loxDiv, Op.numDiv],
  [Op.loxLt, Op.numLt], [Op.loxLe, Op.numLe], [Op.loxGt, Op.numGt], [Op.loxGe, Op.numGe],
  [Op.loxEq, Op.numEq], [Op.loxNe, Op.numNe],
]);

/** `yes` if every kind of `x` is in `mask`, `no` if none is, else null. */
export function decideKinds<T>(x: number, mask: number, yes: T, no: T): T | null {
  if (x !== 0 && (x & ~mask) === 0) return yes;
  if ((x & mask) === 0) return no;
  return null;
}

/**
 * `yes` if values of kinds `a` and `b` are always equal (both nil, both
 * true or both false), `no` if never (no kind in common: Lox values of
 * different types are never equal), else null.
 */
export function equalKinds<T>(a: number, b: number, yes: T, no: T): T | null {
  if (a === 0 || b === 0) return null;
  if ((a & b) === 0) return no;
  if (a === b && (a === KINDS.nil || a === KINDS.true || a === KINDS.false)) return yes;
  return null;
}

/**
 * The kinds the result of a Lox-typed instruction `op` (immediate `imm`)
 * can be, given the kinds of its operands (`arg(i)`, asked only where the
 * result depends on them); `KINDS.all` for what an operation cannot tell
 * (calls, reads of fields and elements).
 */
export function resultKinds(op: Opcode, imm: number, arg: (i: number) => number): number {
  switch (op) {
    case Op.loxNum: return KINDS.num;
    case Op.loxNil: return KINDS.nil;
    case Op.loxTrue: return KINDS.true;
    case Op.loxFalse: return KINDS.false;
    case Op.loxStr: return KINDS.str;
    case Op.loxObject: return KINDS.str | KINDS.array | KINDS.other;
    case Op.loxAdd: {
      const both = arg(0) | arg(1);
      return (both & ~KINDS.num) === 0 ? KINDS.num : (both & ~KINDS.str) === 0 ? KINDS.str : KINDS.num | KINDS.str;
    }
    case Op.loxSub: case Op.loxMul: case Op.loxDiv: case Op.loxMod: case Op.loxNeg: return KINDS.num;
    case Op.numAdd: case Op.numSub: case Op.numMul: case Op.numDiv: case Op.numFloor: return KINDS.num;
    case Op.loxEq: return equalKinds(arg(0), arg(1), KINDS.true, KINDS.false) ?? KINDS.bool;
    case Op.loxNe: return equalKinds(arg(0), arg(1), KINDS.false, KINDS.true) ?? KINDS.bool;
    case Op.loxLt: case Op.loxLe: case Op.loxGt: case Op.loxGe: return KINDS.bool;
    case Op.numLt: case Op.numLe: case Op.numGt: case Op.numGe: case Op.numEq: case Op.numNe: return KINDS.bool;
    case Op.loxIs: return decideKinds(arg(0), kindBits(imm as LoxKind), KINDS.true, KINDS.false) ?? KINDS.bool;
    case Op.loxNot: return decideKinds(arg(0), KINDS.truthy, KINDS.false, KINDS.true) ?? KINDS.bool;
    case Op.loxArray: return KINDS.array;
    case Op.loxClosure: case Op.loxClass: return KINDS.other;
    default: return KINDS.all;
  }
}

/** Constants that are the only value of their kind. */
const UNIT_KINDS: ReadonlyMap<Opcode, number> = new Map([[Op.loxNil, KINDS.nil], [Op.loxTrue, KINDS.true], [Op.loxFalse, KINDS.false]]);

/**
 * What holds on the edge taken when the i32 condition `cond` is
 * (`taken`) or is not zero, value → the kinds it is limited to: on the
 * side where `lox.truthy t` holds, t is truthy; if t is `lox.is K x`
 * (through any number of `lox.not`), x is or is not of kind K; if t is
 * `x == nil` (or `true`, `false`: each the only value of its kind), x is
 * or is not that value. Empty when `cond` is not a truthiness test.
 */
export function branchFacts(body: FunctionBody, cond: Value, taken: boolean): Map<Value, number> {
  const facts = new Map<Value, number>();
  if (body.kind(cond) !== ValueKind.inst || body.opcode(cond) !== Op.loxTruthy) return facts;
  const add = (v: Value, mask: number): void => {
    facts.set(v, (facts.get(v) ?? KINDS.all) & mask);
  };
  let t = body.arg(cond, 0);
  let truthy = taken;
  for (;;) {
    add(t, truthy ? KINDS.truthy : KINDS.falsy);
    if (body.kind(t) !== ValueKind.inst) break;
    const op = body.opcode(t);
    if (op === Op.loxIs) {
      const k = kindBits(body.imm(t) as LoxKind);
      add(body.arg(t, 0), truthy ? k : KINDS.all & ~k);
      break;
    }
    if (op === Op.loxEq || op === Op.loxNe) {
      const equalTaken = truthy === (op === Op.loxEq);
      for (const [x, c] of [[0, 1], [1, 0]] as const) {
        const other = body.resolve(body.arg(t, c));
        const unit = body.kind(other) === ValueKind.inst ? UNIT_KINDS.get(body.opcode(other)) : undefined;
        if (unit !== undefined) add(body.arg(t, x), equalTaken ? unit : KINDS.all & ~unit);
      }
      break;
    }
    if (op !== Op.loxNot) break;
    t = body.arg(t, 0);
    truthy = !truthy;
  }
  return facts;
}
