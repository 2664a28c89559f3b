/**
 * The direct Wasm encoder: LEB128 round trips, and machine-level IR
 * functions with loops, merges, swapped block arguments and an irreducible
 * CFG, encoded as a linked module and run by V8 against values computed
 * here. Whole programs go through it in the conformance and property
 * suites; these cases pin the control-flow translation down in isolation.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileModule, encodeDirect } from "../../src/backend/index.ts";
import { ByteReader, ByteWriter } from "../../src/backend/encoder/bytes.ts";
import { encodeFunction } from "../../src/backend/encoder/function.ts";
import { IrreducibleControlFlow } from "../../src/backend/encoder/structure.ts";
import { type Module, parseModule } from "../../src/ir/index.ts";
import { MAX_MEMORY_PAGES } from "../../src/runtime/layout.ts";
import { EMPTY_IMAGE } from "../../src/runtime/memory.ts";

type Fn = (...args: number[]) => number;

async function instantiate(module: Module, backend: "direct" | "binaryen"): Promise<Record<string, Fn>> {
  const artifact = await compileModule(module, { backend, optLevel: 0, image: EMPTY_IMAGE, sourceMap: false, linked: true });
  const env = {
    memory: new WebAssembly.Memory({ initial: 1, maximum: MAX_MEMORY_PAGES }),
    table: new WebAssembly.Table({ initial: 0, element: "anyfunc" }),
    ssp: new WebAssembly.Global({ value: "i32", mutable: true }, 0),
  };
  const instance = new WebAssembly.Instance(new WebAssembly.Module(artifact.binary), { env });
  const out: Record<string, Fn> = {};
  for (const [name, value] of Object.entries(instance.exports)) out[name.replace(/^f\d+_/, "")] = value as Fn;
  return out;
}

// Collatz steps: a loop whose body has an if/else merge, and an early exit.
const COLLATZ = `function f0 "collatz"(i32) -> i32 {
block0(v0: i32):
    v1 = i32.const 0
    jump block1(v0, v1)
block1(v2: i32, v3: i32):
    v4 = i32.const 1
    v5 = i32.eq v2, v4
    br v5, block5, block2
block2:
    v6 = i32.const 1
    v7 = i32.and v2, v6
    br v7, block3, block4
block3:
    v8 = i32.const 3
    v9 = i32.mul v2, v8
    v10 = i32.add v9, v6
    jump block6(v10)
block4:
    v11 = i32.shr_u v2, v6
    jump block6(v11)
block6(v12: i32):
    v13 = i32.add v3, v6
    jump block1(v12, v13)
block5:
    return v3
}
`;

// Fibonacci by swapping block arguments: (a, b) -> (b, a + b), a parallel copy on the back edge.
const FIB = `function f0 "fib"(i32) -> i32 {
block0(v0: i32):
    v1 = i32.const 0
    v2 = i32.const 1
    jump block1(v1, v2, v0)
block1(v3: i32, v4: i32, v5: i32):
    v6 = i32.eqz v5
    br v6, block3, block2
block2:
    v7 = i32.add v3, v4
    v8 = i32.const 1
    v9 = i32.sub v5, v8
    jump block1(v4, v7, v9)
block3:
    return v3
}
`;

// Two entries into the cycle block1 <-> block2: irreducible.
const IRREDUCIBLE = `function f0 "irreducible"(i32) -> i32 {
block0(v0: i32):
    v1 = i32.const 10
    br v0, block1(v1), block2(v1)
block1(v2: i32):
    v3 = i32.const 1
    v4 = i32.sub v2, v3
    v5 = i32.eqz v4
    br v5, block3(v4), block2(v4)
block2(v6: i32):
    v7 = i32.const 100
    v8 = i32.add v6, v7
    v9 = i32.const 1000
    v10 = i32.gt_s v8, v9
    br v10, block3(v8), block1(v8)
block3(v11: i32):
    return v11
}
`;

// A constant used in two blocks and on an edge, a bit cast of one, and a dead multiplication.
const CONSTANTS = `function f0 "constants"(i32) -> i64 {
block0(v0: i32):
    v1 = i64.const 40
    v2 = i32.const 7
    v3 = i32.mul v0, v2
    br v0, block1, block2(v1)
block1:
    v4 = i64.extend_i32_u v0
    v5 = i64.add v4, v1
    jump block2(v5)
block2(v6: i64):
    v7 = i64.add v6, v1
    return v7
}
`;

function collatz(n: number): number {
  let steps = 0;
  for (let x = n; x !== 1; x = x % 2 === 1 ? 3 * x + 1 : x >>> 1) steps++;
  return steps;
}

function irreducible(start: boolean): number {
  let x = 10;
  let inFirst = start;
  for (;;) {
    if (inFirst) {
      x -= 1;
      if (x === 0) return x;
      inFirst = false;
    } else {
      x += 100;
      if (x > 1000) return x;
      inFirst = true;
    }
  }
}

describe("direct encoder", () => {
  it("round-trips LEB128 integers", () => {
    fc.assert(fc.property(fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }), fc.integer({ min: 0, max: 0xffffffff }), (s, u) => {
      const w = new ByteWriter(4);
      w.s64(s);
      w.u32(u);
      w.s32(Number(BigInt.asIntN(32, s)));
      const r = new ByteReader(w.finish());
      expect(r.s64()).toBe(s);
      expect(r.u32()).toBe(u);
      expect(r.s32()).toBe(Number(BigInt.asIntN(32, s)));
      expect(r.done).toBe(true);
    }), { numRuns: 300 });
  });

  it("writes each signed 64-bit integer in the fewest LEB128 bytes", () => {
    // Minimal length: 7 bits per byte, with room for the sign bit.
    const minimal = (s: bigint): number => {
      let n = 1;
      while (!(s >= -(1n << BigInt(7 * n - 1)) && s < 1n << BigInt(7 * n - 1))) n++;
      return n;
    };
    const nanBoxed = [0x7ff8000000000001n, -0x8000000000000000n, 0x7fffffffffffffffn, -0x7ff8000000000000n, 1n << 32n, -(1n << 32n) - 1n];
    fc.assert(fc.property(fc.oneof(fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }), fc.constantFrom(...nanBoxed)), (s) => {
      const w = new ByteWriter(4);
      w.s64(s);
      const bytes = w.finish();
      expect(bytes.length).toBe(minimal(s));
      expect(new ByteReader(bytes).s64()).toBe(s);
    }), { numRuns: 300 });
  });

  it("encodes loops with merges and early exits", async () => {
    const { collatz: run } = await instantiate(parseModule(COLLATZ), "direct");
    for (const n of [1, 2, 3, 7, 27, 97, 871]) expect((run as Fn)(n)).toBe(collatz(n));
  });

  it("moves swapped block arguments as a parallel copy", async () => {
    const { fib } = await instantiate(parseModule(FIB), "direct");
    const expected = [0, 1, 1, 2, 3, 5, 8, 13, 21, 34, 55];
    expected.forEach((value, n) => expect((fib as Fn)(n)).toBe(value));
  });

  it("emits constants at each use and leaves dead instructions out", async () => {
    const module = parseModule(CONSTANTS);
    const fn = module.functions[0];
    if (fn === undefined) throw new Error("no function");
    const { bytes } = encodeFunction(fn, { func: () => 0, loxCallType: () => 0 });
    // Two i64 locals (v5, read by its block's jump, and the block parameter v6), none for the
    // constants v1 and v2; and no i32.mul (0x6c) for the dead v3.
    expect([...bytes.slice(0, 3)]).toEqual([1, 2, 0x7e]);
    expect(bytes.includes(0x6c)).toBe(false);
    for (const backend of ["direct", "binaryen"] as const) {
      const { constants: run } = await instantiate(parseModule(CONSTANTS), backend);
      expect((run as unknown as (x: number) => bigint)(0)).toBe(80n);
      expect((run as unknown as (x: number) => bigint)(5)).toBe(85n);
    }
  });

  it("rejects an irreducible CFG, and the backend then builds it through binaryen", async () => {
    expect(() => encodeDirect(parseModule(IRREDUCIBLE), { optLevel: 0, image: EMPTY_IMAGE, sourceMap: false, linked: true }))
      .toThrow(IrreducibleControlFlow);
    const { irreducible: run } = await instantiate(parseModule(IRREDUCIBLE), "direct");
    expect((run as Fn)(1)).toBe(irreducible(true));
    expect((run as Fn)(0)).toBe(irreducible(false));
  });
});
