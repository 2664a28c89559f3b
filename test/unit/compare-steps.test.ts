/**
 * The partial evaluator's compare steps (src/pe/compare-steps.ts): which
 * blocks of a dispatch chain it may decide without evaluating them.
 */
import { describe, expect, it } from "vitest";
import { type Block, parseModule } from "../../src/ir/index.ts";
import { compareSteps } from "../../src/pe/compare-steps.ts";

const CHAIN = `
function f0 "dispatch"(val, val) -> val {
block0(v0: val, v1: val):
    v2 = lox.num 0 #1
    v3 = lox.eq v0, v2 #1
    v4 = lox.truthy v3 #1
    br v4, block1, block2
block1:
    return v1
block2:
    v5 = lox.num 7 #2
    v6 = lox.eq v5, v0 #2
    v7 = lox.truthy v6 #2
    br v7, block3, block4
block3:
    return v2
block4:
    v8 = lox.eq v0, v2 #3
    v9 = lox.truthy v8 #3
    br v9, block5, block6
block5:
    return v0
block6:
    v10 = lox.num 9 #4
    v11 = lox.eq v0, v10 #4
    v12 = lox.truthy v11 #4
    br v12, block7, block8
block7:
    return v11
block8:
    v13 = lox.num 3 #5
    v14 = lox.eq v0, v1 #5
    v15 = lox.truthy v14 #5
    br v15, block9, block10(v13)
block9:
    return v13
block10(v16: val):
    return v16
}
`;

describe("compare steps", () => {
  const module = parseModule(CHAIN);
  const fn = module.functions[0];
  if (fn === undefined) throw new Error("no function");
  const steps = compareSteps(module, fn.body);
  const block = (n: number): Block => n as Block;

  it("takes a block that compares a value with a number, the number here or above, either side of ==", () => {
    expect(steps.get(block(2))).toEqual({ subject: 0, number: 7, then: block(3), else: block(4), cost: 4 });
    expect(steps.get(block(4))).toEqual({ subject: 0, number: 0, then: block(5), else: block(6), cost: 3 });
  });

  it("leaves a block whose number is read elsewhere (block0's v2 is returned by block3)", () => {
    expect(steps.has(block(0))).toBe(false);
  });

  it("leaves a block whose comparison is read elsewhere, or that compares with a non-constant, or passes arguments", () => {
    expect(steps.has(block(6))).toBe(false);
    expect(steps.has(block(8))).toBe(false);
  });
});
