/**
 * spill-roots on small machine-level functions: which values get a slot
 * in the shadow-stack frame, and how the frame is zeroed.
 */
import { describe, expect, it } from "vitest";
import { type IrFunction, type Module, Op, parseModule, printFunction } from "../../src/ir/index.ts";
import { spillRoots } from "../../src/passes/spill-roots.ts";
import { helperSpec } from "../../src/runtime/wasm-lib/helpers.ts";
import { RuntimeLibrary } from "../../src/runtime/wasm-lib/library.ts";

/** Runs spill-roots on the module's first function; returns it and its printed form. */
function spill(text: string): { fn: IrFunction; text: string } {
  const module: Module = parseModule(text);
  const fn = module.functions[0] as IrFunction;
  spillRoots(module, fn, new RuntimeLibrary(module, helperSpec));
  return { fn, text: printFunction(module, fn) };
}

/** The frame's size in bytes (-1 without a frame), and its `memory.fill`s and `i64.store`s. */
function frameStores(fn: IrFunction): { frameBytes: number; fills: number; stores: number } {
  const body = fn.body;
  let frameBytes = -1;
  let fills = 0;
  let stores = 0;
  for (const b of body.blocks()) {
    for (const v of body.blockInsts(b)) {
      const op = body.opcode(v);
      if (op === Op.i32Add && frameBytes < 0) {
        const size = body.arg(v, 1);
        if (body.opcode(size) === Op.i32Const) frameBytes = body.imm(size);
      }
      if (op === Op.memoryFill) fills++;
      if (op === Op.i64Store) stores++;
    }
  }
  return { frameBytes, fills, stores };
}

describe("spill-roots", () => {
  it("gives a slot to a value live across a call, but not to a constant", () => {
    const { fn, text } = spill(`function f0 "f"(val) -> val {
block0(v0: val):
    v1 = i32.const 0
    v2 = val.const 4607182418800017408
    v3 = call.lox v1, v0
    v4 = call.lox v1, v2
    v5 = call.lox v1, v0, v2, v3
    return v5
}
`);
    // v0 (live across the first two calls) and v3 (across the second): two slots, 16 bytes.
    const { frameBytes, fills, stores } = frameStores(fn);
    expect(frameBytes).toBe(16);
    expect(fills).toBe(0);
    // v3's slot is zeroed (a call comes before v3 is stored); v0's is not: the parameter is stored at once. Then v0 and v3 once each.
    expect(stores).toBe(3);
    expect(text).not.toMatch(/i64\.store v\d+, v2\b/);
  });

  it("needs no frame when only constants are live across calls", () => {
    const { fn, text } = spill(`function f0 "f"(val) -> val {
block0(v0: val):
    v1 = i32.const 0
    v2 = val.const 9222246136947933185
    v3 = call.lox v1, v0
    v4 = call.lox v1, v2
    return v2
}
`);
    expect(frameStores(fn).frameBytes).toBe(-1);
    expect(text).not.toContain("shadow");
  });

  it("zeroes a large frame with memory.fill, and leaves the parameters' slots to their stores", () => {
    const calls = Array.from({ length: 20 }, (_, i) => `    v${i + 2} = call.lox v1, v0`).join("\n");
    const results = Array.from({ length: 20 }, (_, i) => `v${i + 2}`).join(", ");
    const { fn } = spill(`function f0 "f"(val) -> val {
block0(v0: val):
    v1 = i32.const 0
${calls}
    v22 = call.lox v1, ${results}
    return v22
}
`);
    // v0 and the call results v2..v20 (v21 is only read by the last call): 20 slots; the 19 that are not parameters are zeroed by one fill.
    const { frameBytes, fills } = frameStores(fn);
    expect(frameBytes).toBe(8 * 20);
    expect(fills).toBe(1);

    const few = spill(`function f0 "f"(val, val, val) -> val {
block0(v0: val, v1: val, v2: val):
    v3 = i32.const 0
    v4 = call.lox v3, v0
    v5 = call.lox v3, v4
    v6 = call.lox v3, v0, v1, v2, v4, v5
    return v6
}
`);
    // Four slots (v0, v1, v2, v4): only v4's is zeroed; the parameters are stored once each.
    expect(frameStores(few.fn)).toEqual({ frameBytes: 32, fills: 0, stores: 1 + 4 });
  });
});
