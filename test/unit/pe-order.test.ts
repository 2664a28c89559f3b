/**
 * The partial evaluator's work order: the min-heap worklist pops in the
 * comparator's order whatever the pushes, contexts compare in program
 * order (numeric pcs, enclosing stacks first), and the blocks a unit may
 * continue into are the single-predecessor and forwarding blocks, never a
 * loop header.
 */
import { describe, expect, it } from "vitest";
import { type Block, FunctionBody, Type } from "../../src/ir/index.ts";
import { chainableBlocks } from "../../src/pe/chains.ts";
import { ContextTable } from "../../src/pe/context.ts";
import { Worklist } from "../../src/pe/worklist.ts";

describe("Worklist", () => {
  it("pops in order whatever the order of pushes", () => {
    const list = new Worklist<number>((a, b) => a - b);
    const items = [5, 3, 9, 1, 7, 3, 0, 8, 2, 6, 4];
    for (const x of items) list.push(x);
    const out: number[] = [];
    for (let x = list.pop(); x !== undefined; x = list.pop()) out.push(x);
    expect(out).toEqual([...items].sort((a, b) => a - b));
    expect(list.size).toBe(0);
  });
});

describe("ContextTable.compare", () => {
  it("orders pc frames by their numeric pc, and an enclosing stack first", () => {
    const t = new ContextTable();
    const at10 = t.push(t.root, "n10");
    const at2 = t.update(at10, "n2");
    const at30 = t.update(at10, "n30");
    if (at2 === null || at30 === null) throw new Error("update outside a pc frame");
    expect(t.compare(at2, at10)).toBeLessThan(0);
    expect(t.compare(at30, at10)).toBeGreaterThan(0);
    expect(t.compare(t.root, at2)).toBeLessThan(0);
    const inner = t.push(at2, "n50");
    expect(t.compare(inner, at10)).toBeLessThan(0);
    expect(t.compare(at2, inner)).toBeLessThan(0);
    expect(t.compare(at10, at10)).toBe(0);
  });
});

describe("chainableBlocks", () => {
  it("takes single-predecessor and forwarding blocks, never the entry or a loop header", () => {
    // entry -> a; a -> b | c; b -> join(x); c -> join(x); join -> header; header -> header | exit
    const body = new FunctionBody();
    const [entry, a, b, c, join, header, exit] = Array.from({ length: 7 }, () => body.addBlock()) as [Block, Block, Block, Block, Block, Block, Block];
    const x = body.addParam(join, Type.i32);
    const flag = body.addParam(entry, Type.i32);
    body.setTerminator(entry, { kind: "jump", target: { block: a, args: [] } });
    body.setTerminator(a, { kind: "br", cond: flag, then: { block: b, args: [] }, else: { block: c, args: [] } });
    body.setTerminator(b, { kind: "jump", target: { block: join, args: [flag] } });
    body.setTerminator(c, { kind: "jump", target: { block: join, args: [flag] } });
    body.setTerminator(join, { kind: "jump", target: { block: header, args: [] } });
    body.setTerminator(header, { kind: "br", cond: x, then: { block: header, args: [] }, else: { block: exit, args: [] } });
    body.setTerminator(exit, { kind: "unreachable" });
    const chainable = chainableBlocks(body);
    expect([...chainable].sort((p, q) => p - q)).toEqual([a, b, c, join, exit]);
    expect(chainable.has(entry)).toBe(false);
    expect(chainable.has(header)).toBe(false);
  });
});
