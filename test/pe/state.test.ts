/**
 * The partial evaluator's lattice and contexts: joining entry states keeps
 * what both sides agree on (and, where they differ, the kinds either side
 * can be), virtual arrays escape when their identities
 * differ (and escape spreads to what refers to them and what they hold),
 * and contexts are hash-consed stacks.
 */
import { describe, expect, it } from "vitest";
import { KINDS, num, Type, val } from "../../src/ir/index.ts";
import { ContextTable } from "../../src/pe/context.ts";
import { covers, type EntryState, joinStates, runtimePositions, statesEqual } from "../../src/pe/state.ts";
import { type PeVal, runtime, RUNTIME_SLOT, runtimeSlot, type Slot } from "../../src/pe/values.ts";

const n = (x: number): Slot => ({ kind: "const", c: val(num(x)) });
const v = (id: number): Slot => ({ kind: "virtual", id });
const NUMBER = runtimeSlot(KINDS.num);
const state = (slots: Slot[], objects: [number, Slot[]][] = []): EntryState => ({ slots, objects: new Map(objects) });

describe("joinStates", () => {
  it("keeps equal constants and makes different ones runtime, of the kinds either side can be", () => {
    const j = joinStates(state([n(1), n(2), RUNTIME_SLOT]), state([n(1), n(3), n(4)]));
    expect(j.slots).toEqual([n(1), NUMBER, RUNTIME_SLOT]);
    const nil: Slot = { kind: "const", c: val({ kind: "nil" }) };
    expect(joinStates(state([NUMBER, nil]), state([n(5), NUMBER])).slots).toEqual([NUMBER, runtimeSlot(KINDS.num | KINDS.nil)]);
  });
  it("tells -0 from 0 and NaN from other numbers, but NaN joins NaN", () => {
    expect(joinStates(state([n(0)]), state([n(-0)])).slots).toEqual([NUMBER]);
    expect(joinStates(state([n(NaN)]), state([n(NaN)])).slots).toEqual([n(NaN)]);
  });
  it("does not confuse machine constants with Lox numbers", () => {
    const i = { kind: "const", c: { type: Type.f64, value: 1 } } as const;
    expect(joinStates(state([n(1)]), state([i])).slots).toEqual([RUNTIME_SLOT]);
  });
  it("joins the same virtual array element by element", () => {
    const j = joinStates(state([v(7)], [[7, [n(1), n(2)]]]), state([v(7)], [[7, [n(1), n(5)]]]));
    expect(j.slots).toEqual([v(7)]);
    expect(j.objects.get(7)).toEqual([n(1), NUMBER]);
    expect(runtimePositions(j)).toEqual([{ object: 7, index: 1 }]);
  });
  it("lets arrays escape when the identities differ, with what they hold and what refers to them", () => {
    const a = state([v(1), v(3)], [[1, [v(2)]], [2, [n(0)]], [3, [n(9)]]]);
    const b = state([RUNTIME_SLOT, v(3)], [[3, [n(9)]]]);
    const j = joinStates(a, b);
    expect(j.slots).toEqual([RUNTIME_SLOT, v(3)]);
    expect([...j.objects.keys()]).toEqual([3]);
  });
  it("makes a slot that refers to an escaped array runtime even where both sides agree", () => {
    const a = state([v(1), v(1)], [[1, [n(0)]]]);
    const b = state([RUNTIME_SLOT, v(1)], [[1, [n(0)]]]);
    expect(joinStates(a, b).slots).toEqual([RUNTIME_SLOT, runtimeSlot(KINDS.array)]);
  });
  it("covers an edge whose values are within the kinds of its runtime slots, and no other", () => {
    const s = state([NUMBER, RUNTIME_SLOT]);
    const one = n(1) as PeVal;
    expect(covers(s, [n(3) as PeVal, runtime(9 as never, KINDS.str)], new Map())).toBe(true);
    expect(covers(s, [runtime(9 as never, KINDS.num), one], new Map())).toBe(true);
    expect(covers(s, [runtime(9 as never, KINDS.num | KINDS.nil), one], new Map())).toBe(false);
    expect(statesEqual(joinStates(s, state([NUMBER, n(2)])), s)).toBe(true);
  });
  it("is idempotent and detects no change", () => {
    const a = state([n(1), v(2)], [[2, [RUNTIME_SLOT, n(3)]]]);
    expect(statesEqual(joinStates(a, a), a)).toBe(true);
    expect(statesEqual(joinStates(a, state([n(2), v(2)], [[2, [RUNTIME_SLOT, n(3)]]])), a)).toBe(false);
  });
});

describe("ContextTable", () => {
  it("hash-conses pc frames and pops back to the same context", () => {
    const t = new ContextTable();
    const a = t.push(t.root, "n0");
    expect(t.push(t.root, "n0")).toBe(a);
    const b = t.update(a, "n2");
    expect(b).not.toBe(a);
    expect(t.update(a, "n2")).toBe(b);
    expect(t.pop(b as never)).toBe(t.root);
    expect(t.pc(b as never)).toBe("n2");
  });
  it("refuses to update or pop outside a dispatch loop", () => {
    const t = new ContextTable();
    expect(t.update(t.root, "n1")).toBeNull();
    expect(t.pop(t.root)).toBeNull();
    const it = t.iteration(t.push(t.root, "n4"), 3, "n0");
    expect(t.update(it, "n5")).toBeNull();
    expect(t.innermostPc(it)).toBe("n4");
    expect(t.iterationHeader(it)).toBe(3);
  });
});
