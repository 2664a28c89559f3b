/**
 * What a run-time branch teaches about kinds (ir/kind-sets.ts, used by the
 * partial evaluator and type-facts): the facts of each side of `br (lox.truthy (lox.not (lox.is num x)))` and of
 * `x == nil`, and how an edge's state takes them without changing arrays
 * that the unit and its other edges share.
 */
import { describe, expect, it } from "vitest";
import { branchFacts, FunctionBody, KINDS, LoxKind, Op, Type, type Value } from "../../src/ir/index.ts";
import { narrowEdge } from "../../src/pe/kind-facts.ts";
import type { EdgeState } from "../../src/pe/scope.ts";
import { type PeVal, runtime } from "../../src/pe/values.ts";

function body(): { body: FunctionBody; x: Value; y: Value; add: (op: number, args: Value[], imm?: number, type?: Type) => Value } {
  const b = new FunctionBody();
  const entry = b.addBlock();
  const x = b.addParam(entry, Type.val);
  const y = b.addParam(entry, Type.val);
  const add = (op: number, args: Value[], imm = 0, type?: Type): Value => {
    const v = b.createInst(op as never, args, imm, type);
    b.appendInst(entry, v);
    return v;
  };
  return { body: b, x, y, add };
}

describe("branchFacts", () => {
  it("reads a kind test through lox.not: each side knows what x is", () => {
    const { body: b, x, add } = body();
    const isNum = add(Op.loxIs, [x], LoxKind.num);
    const not = add(Op.loxNot, [isNum]);
    const cond = add(Op.loxTruthy, [not], 0, Type.i32);
    expect(branchFacts(b, cond, false).get(x)).toBe(KINDS.num);
    expect(branchFacts(b, cond, true).get(x)).toBe(KINDS.all & ~KINDS.num);
    expect(branchFacts(b, cond, true).get(not)).toBe(KINDS.truthy);
  });
  it("reads `x == nil` on either side, and nothing from a condition that is not a truthiness test", () => {
    const { body: b, x, add } = body();
    const nil = add(Op.loxNil, []);
    const eq = add(Op.loxEq, [x, nil]);
    const cond = add(Op.loxTruthy, [eq], 0, Type.i32);
    expect(branchFacts(b, cond, true).get(x)).toBe(KINDS.nil);
    expect(branchFacts(b, cond, false).get(x)).toBe(KINDS.all & ~KINDS.nil);
    const raw = add(Op.i32Const, [], 1, Type.i32);
    expect(branchFacts(b, raw, true).size).toBe(0);
  });
});

describe("narrowEdge", () => {
  it("narrows the tested value wherever it sits and copies only what changes", () => {
    const { x, y } = body();
    const shared: PeVal[] = [runtime(x), runtime(y)];
    const other: PeVal[] = [runtime(y)];
    const edge: EdgeState = { block: 1 as never, ctx: 0 as never, values: [runtime(x), runtime(y)], objects: new Map([[7, shared], [8, other]]) };
    const narrowed = narrowEdge(edge, new Map([[x, KINDS.num]]));
    expect(narrowed.values.map((v) => (v as { kinds: number }).kinds)).toEqual([KINDS.num, KINDS.all]);
    expect((narrowed.objects.get(7)?.[0] as { kinds: number }).kinds).toBe(KINDS.num);
    expect(narrowed.objects.get(8)).toBe(other);
    // The unit's own arrays and the edge it came from are as they were.
    expect((shared[0] as { kinds: number }).kinds).toBe(KINDS.all);
    expect((edge.values[0] as { kinds: number }).kinds).toBe(KINDS.all);
    expect(narrowEdge(edge, new Map([[x, KINDS.all]]))).toBe(edge);
  });
  it("leaves a value alone when the fact would leave it no kind (the edge is never taken)", () => {
    const { x } = body();
    const edge: EdgeState = { block: 1 as never, ctx: 0 as never, values: [runtime(x, KINDS.str)], objects: new Map() };
    expect(narrowEdge(edge, new Map([[x, KINDS.num]]))).toBe(edge);
  });
});
