/**
 * What a run-time branch of the specialized code teaches about kinds: on
 * the edge where `lox.truthy t` is true, t is truthy; if t is `lox.is K x`
 * (through any number of `lox.not`), x is or is not of kind K; if t is
 * `x == nil` (or `true`, `false`, each the only value of its kind), x is
 * or is not that value. The edge's state then carries the narrowed kinds
 * (`narrowEdge`), wherever the tested value sits: a slot or an element of
 * a virtual array, such as an interpreter's operand stack. So the
 * interpreter's idiom `if (!isNumber(a) or !isNumber(b)) error(...)`
 * leaves `a` and `b` known numbers for the rest of the bytecode function,
 * and their later checks fold while specializing instead of each making
 * units of its own. The same facts as the type-facts pass's branch facts
 * (passes/type-facts.ts), read from the output code being written.
 * Assumes `cond` and what it reads were just written (no aliases yet).
 */
import { type FunctionBody, kindBits, KINDS, type LoxKind, Op, type Value, ValueKind } from "../ir/index.ts";
import type { EdgeState } from "./scope.ts";
import { runtime, type PeVal } from "./values.ts";

/** Value → the kinds it is limited to on one edge. */
export type KindFacts = ReadonlyMap<Value, number>;

/** Constants that are the only value of their kind. */
const UNIT_KINDS: ReadonlyMap<number, number> = new Map([[Op.loxNil, KINDS.nil], [Op.loxTrue, KINDS.true], [Op.loxFalse, KINDS.false]]);

/** What holds on the edge taken when the i32 condition `cond` (an output value) is (`taken`) or is not zero; null: nothing. */
export function branchFacts(body: FunctionBody, cond: Value, taken: boolean): KindFacts | null {
  if (body.kind(cond) !== ValueKind.inst || body.opcode(cond) !== Op.loxTruthy) return null;
  const facts = new Map<Value, number>();
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
        const other = body.arg(t, c);
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

/**
 * The edge with the facts applied to its runtime values (slots and
 * elements of its virtual arrays). Arrays are copied where they change:
 * an edge may share them with its unit and its other edges. A fact that
 * would leave a value no kind at all (the edge is never taken) is not
 * applied.
 */
export function narrowEdge(edge: EdgeState, facts: KindFacts | null): EdgeState {
  if (facts === null) return edge;
  const narrow = (x: PeVal): PeVal => {
    if (x.kind !== "runtime") return x;
    const mask = facts.get(x.v);
    if (mask === undefined) return x;
    const kinds = x.kinds & mask;
    return kinds === x.kinds || kinds === 0 ? x : runtime(x.v, kinds);
  };
  let values: PeVal[] | null = null;
  edge.values.forEach((x, i) => {
    const y = narrow(x);
    if (y === x) return;
    values ??= [...edge.values];
    values[i] = y;
  });
  let objects: Map<number, readonly PeVal[]> | null = null;
  for (const [id, elems] of edge.objects) {
    let copy: PeVal[] | null = null;
    elems.forEach((x, i) => {
      const y = narrow(x);
      if (y === x) return;
      copy ??= [...elems];
      copy[i] = y;
    });
    if (copy === null) continue;
    objects ??= new Map(edge.objects);
    objects.set(id, copy);
  }
  if (values === null && objects === null) return edge;
  return { ...edge, values: values ?? edge.values, objects: objects ?? edge.objects };
}
