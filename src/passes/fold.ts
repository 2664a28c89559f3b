/**
 * fold: constant folding. An instruction whose operands are all constants
 * is rewritten in place (same value id, same span) into the constant it
 * computes; a `br` or `switch` on a constant becomes a `jump`, and a
 * `select` on a constant becomes an alias of the chosen operand.
 *
 * Machine ops fold through the opcode table's `apply` (their raw
 * WebAssembly semantics, shared with the IR interpreter), plus integer
 * division and remainder when they cannot trap. Lox ops fold on Lox
 * constants (numbers, nil, booleans, strings) with exact Lox semantics
 * (`loxEqual`, `loxTruthy`; JavaScript's `%` is Lox's `%`; `-0` and NaN are
 * kept as such). An operation that would raise a runtime error (`1 + nil`,
 * `"a" < "b"`, `-nil`) is never folded: it stays, so that the error happens
 * at run time at its line. String concatenations longer than
 * `MAX_FOLDED_STRING` are left to run time too.
 *
 * Blocks are visited in reverse postorder, so an instruction's operands
 * (which dominate it) are folded before it and whole chains fold in one
 * run. Unreachable blocks left behind are simplify-cfg's business.
 * Assumes verified input (no alias operands); leaves none.
 */
import {
  type Block, type Const, ControlFlow, LoxKind, f64, FALSE, type FunctionBody, i32, i64, loxEqual, type LoxConst, loxTruthy,
  type Module, num, Op, type Opcode, opInfo, type Raw, type SymbolId, TRUE, Type, val, type Value, ValueKind,
} from "../ir/index.ts";
import { assertNever } from "../support/assert.ts";
import type { Pass } from "./pass.ts";

/** Longest string a folded `lox.add` may produce (longer ones are built at run time). */
const MAX_FOLDED_STRING = 4096;

/** The constant `v` is, if it is a constant instruction. */
export function constantOf(module: Module, body: FunctionBody, v: Value): Const | null {
  if (body.kind(v) !== ValueKind.inst) return null;
  const imm = body.imm(v);
  switch (body.opcode(v)) {
    case Op.i32Const: return i32(imm);
    case Op.f64Const: return f64(imm);
    case Op.i64Const: return i64(body.i64Constant(imm));
    case Op.loxNum: return val(num(imm));
    case Op.loxNil: return val({ kind: "nil" });
    case Op.loxTrue: return val(TRUE);
    case Op.loxFalse: return val(FALSE);
    case Op.loxStr: return val({ kind: "str", text: module.symbolText(imm as SymbolId) });
    default: return null;
  }
}

/** Rewrites `v` in place into the constant instruction for `c`. */
function materialize(module: Module, body: FunctionBody, v: Value, c: Const): void {
  switch (c.type) {
    case Type.i32: body.rewriteInst(v, Op.i32Const, [], c.value | 0); return;
    case Type.f64: body.rewriteInst(v, Op.f64Const, [], c.value); return;
    case Type.i64: body.rewriteInst(v, Op.i64Const, [], body.i64Index(c.value)); return;
    case Type.val: {
      const x = c.val;
      switch (x.kind) {
        case "num": body.rewriteInst(v, Op.loxNum, [], x.value); return;
        case "nil": body.rewriteInst(v, Op.loxNil, []); return;
        case "bool": body.rewriteInst(v, x.value ? Op.loxTrue : Op.loxFalse, []); return;
        case "str": body.rewriteInst(v, Op.loxStr, [], module.symbol(x.text)); return;
        default: return assertNever(x, "Lox constant");
      }
    }
    default: return assertNever(c, "constant");
  }
}

const bool = (c: boolean): Const => val(c ? TRUE : FALSE);

function numbers(a: LoxConst | undefined, b: LoxConst | undefined, f: (x: number, y: number) => Const): Const | null {
  return a?.kind === "num" && b?.kind === "num" ? f(a.value, b.value) : null;
}

/** The kind (lox-kinds.ts) of a Lox constant. */
export function constKind(c: LoxConst): LoxKind {
  switch (c.kind) {
    case "num": return LoxKind.num;
    case "nil": return LoxKind.nil;
    case "bool": return LoxKind.bool;
    case "str": return LoxKind.str;
    default: return assertNever(c, "Lox constant");
  }
}

/** Folds a Lox-level op on constants; null when it is not foldable or would raise an error. */
export function foldLox(op: Opcode, args: readonly LoxConst[], imm = 0): Const | null {
  const [a, b] = args;
  if (a === undefined) return null;
  switch (op) {
    case Op.loxAdd:
      if (a.kind === "str" && b?.kind === "str") {
        return a.text.length + b.text.length <= MAX_FOLDED_STRING ? val({ kind: "str", text: a.text + b.text }) : null;
      }
      return numbers(a, b, (x, y) => val(num(x + y)));
    case Op.numAdd: return numbers(a, b, (x, y) => val(num(x + y)));
    case Op.loxSub: case Op.numSub: return numbers(a, b, (x, y) => val(num(x - y)));
    case Op.loxMul: case Op.numMul: return numbers(a, b, (x, y) => val(num(x * y)));
    case Op.loxDiv: case Op.numDiv: return numbers(a, b, (x, y) => val(num(x / y)));
    case Op.loxMod: return numbers(a, b, (x, y) => val(num(x % y)));
    case Op.loxLt: case Op.numLt: return numbers(a, b, (x, y) => bool(x < y));
    case Op.loxLe: case Op.numLe: return numbers(a, b, (x, y) => bool(x <= y));
    case Op.loxGt: case Op.numGt: return numbers(a, b, (x, y) => bool(x > y));
    case Op.loxGe: case Op.numGe: return numbers(a, b, (x, y) => bool(x >= y));
    case Op.numEq: return numbers(a, b, (x, y) => bool(x === y));
    case Op.numNe: return numbers(a, b, (x, y) => bool(x !== y));
    case Op.loxNeg: return a.kind === "num" ? val(num(-a.value)) : null;
    case Op.numFloor: return a.kind === "num" ? val(num(Math.floor(a.value))) : null;
    case Op.loxNot: return bool(!loxTruthy(a));
    case Op.loxEq: return b === undefined ? null : bool(loxEqual(a, b));
    case Op.loxNe: return b === undefined ? null : bool(!loxEqual(a, b));
    case Op.loxTruthy: return i32(loxTruthy(a) ? 1 : 0);
    case Op.loxIs: return bool(constKind(a) === imm);
    default: return null;
  }
}

function raw(c: Const): Raw | null {
  switch (c.type) {
    case Type.i32: case Type.f64: return c.value;
    case Type.i64: return c.value;
    case Type.val: return null;
    default: return assertNever(c, "constant");
  }
}

function toConst(type: Type, r: Raw): Const | null {
  switch (type) {
    case Type.i32: return i32(r as number);
    case Type.f64: return f64(r as number);
    case Type.i64: return i64(r as bigint);
    default: return null;
  }
}

/** Integer division and remainder, when they do not trap (WebAssembly semantics). */
function foldDivision(op: Opcode, a: number, b: number): Const | null {
  if (b === 0) return null;
  switch (op) {
    case Op.i32DivS: return a === -2147483648 && b === -1 ? null : i32(Math.trunc(a / b));
    case Op.i32DivU: return i32(Math.trunc((a >>> 0) / (b >>> 0)));
    case Op.i32RemS: return i32(a % b);
    case Op.i32RemU: return i32((a >>> 0) % (b >>> 0));
    default: return null;
  }
}

/** Folds a machine-level op on constants; null when not foldable. */
export function foldMachine(op: Opcode, args: readonly Const[]): Const | null {
  const info = opInfo(op);
  const raws = args.map(raw);
  if (raws.some((r) => r === null)) return null;
  const [a, b, c] = raws as Raw[];
  if (info.apply !== undefined && info.effects === 0 && info.result !== "dynamic") {
    return toConst(info.result, info.apply(a as Raw, b as Raw, c as Raw));
  }
  if (op === Op.i32DivS || op === Op.i32DivU || op === Op.i32RemS || op === Op.i32RemU) {
    return foldDivision(op, a as number, b as number);
  }
  return null;
}

function foldInst(module: Module, body: FunctionBody, v: Value): Const | null {
  const op = body.opcode(v);
  const n = body.argCount(v);
  if (n === 0) return null;
  const args: Const[] = [];
  for (let i = 0; i < n; i++) {
    const c = constantOf(module, body, body.resolve(body.arg(v, i)));
    if (c === null) return null;
    args.push(c);
  }
  if (opInfo(op).level === "lox") {
    const loxArgs: LoxConst[] = [];
    for (const c of args) if (c.type === Type.val) loxArgs.push(c.val);
    return loxArgs.length === n ? foldLox(op, loxArgs, body.imm(v)) : null;
  }
  return foldMachine(op, args);
}

function i32Constant(module: Module, body: FunctionBody, v: Value): number | null {
  const c = constantOf(module, body, body.resolve(v));
  return c !== null && c.type === Type.i32 ? c.value : null;
}

/** Turns a `br`/`switch` on a constant into a `jump`. */
function foldTerminator(module: Module, body: FunctionBody, b: Block): boolean {
  const t = body.terminator(b);
  if (t.kind === "br") {
    const k = i32Constant(module, body, t.cond);
    if (k === null) return false;
    body.setTerminator(b, { kind: "jump", target: k !== 0 ? t.then : t.else });
    return true;
  }
  if (t.kind === "switch") {
    const k = i32Constant(module, body, t.value);
    if (k === null) return false;
    body.setTerminator(b, { kind: "jump", target: t.targets[k] ?? t.default });
    return true;
  }
  return false;
}

export function foldConstants(module: Module, body: FunctionBody): boolean {
  const cfg = new ControlFlow(body);
  const order = [...cfg.rpo, ...body.blocks().filter((b) => !cfg.isReachable(b))];
  let changed = false;
  let aliased = false;
  for (const b of order) {
    const selected: [Value, Value][] = [];
    for (const v of body.blockInsts(b)) {
      if (body.opcode(v) === Op.select) {
        const k = i32Constant(module, body, body.arg(v, 0));
        if (k !== null) selected.push([v, body.resolve(body.arg(v, k !== 0 ? 1 : 2))]);
        continue;
      }
      const c = foldInst(module, body, v);
      if (c === null) continue;
      materialize(module, body, v, c);
      changed = true;
    }
    if (selected.length > 0) {
      const gone = new Set(selected.map(([v]) => v));
      body.setBlockInsts(b, body.blockInsts(b).filter((v) => !gone.has(v)));
      for (const [v, to] of selected) body.setAlias(v, to);
      changed = aliased = true;
    }
    if (foldTerminator(module, body, b)) changed = true;
  }
  if (aliased) body.resolveAllUses();
  return changed;
}

export const foldPass: Pass = {
  name: "fold",
  description: "fold instructions and branches whose operands are constants",
  run: (module, fn) => foldConstants(module, fn.body),
};
