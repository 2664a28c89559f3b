/**
 * Calls of `@pure` functions while specializing (src/pe/pure-calls.ts):
 * evaluation on constant arguments, which gives up (null) on anything it
 * does not model rather than guess, and the test of which pure functions'
 * calls gvn may merge (those that read and allocate no heap object).
 */
import { describe, expect, it } from "vitest";
import { compile, sourceFromText } from "../../src/api.ts";
import type { GlobalId, IrFunction, LoxConst, Module } from "../../src/ir/index.ts";
import { lowerProgram } from "../../src/lower/index.ts";
import type { PeHeap } from "../../src/pe/heap-view.ts";
import { evaluatePureCall, isHeapFreePure } from "../../src/pe/pure-calls.ts";
import { stableGlobals } from "../../src/pe/stable-globals.ts";
import { NATIVE_SPECS } from "../../src/runtime/native-specs.ts";

const PROGRAM = `
@pure fun square(x) { return x * x; }
@pure fun digits(n) {
  var count = 1;
  while (n >= 10) { n = floor(n / 10); count = count + 1; }
  return count;
}
@pure fun sumDigits(a, b) { return digits(a) + digits(b); }
@pure fun shout(s) { return s + "!"; }
@pure fun bad(x) { return x - "s"; }
@pure fun forever(x) { while (true) x = x + 1; return x; }
@pure fun first(xs) { return xs[0]; }
@pure fun pair(x) { return [x, x]; }
@pure fun firstOf(xs) { return first(xs); }
@pure fun label(x) { return toString(x); }
@pure fun half(x) { return floor(x / 2); }
fun plain(x) { return x; }
`;

/** A heap view where every global is defined: natives by name, functions by their first (top-level) lowering. */
function fakeHeap(module: Module): PeHeap {
  const natives = NATIVE_SPECS.map((s) => s.name);
  const NATIVE_BASE = 1_000_000;
  return {
    describe: (addr) => (addr >= NATIVE_BASE ? { kind: "native", name: natives[addr - NATIVE_BASE] as string } : { kind: "closure", func: addr as never }),
    frozenElement: () => { throw new Error("no arrays here"); },
    readonlyField: () => null,
    globalValue: (g: GlobalId) => {
      const name = module.globalName(g);
      const native = natives.indexOf(name);
      if (native >= 0) return { kind: "ref", addr: NATIVE_BASE + native };
      const fn = module.functions.find((f) => f.kind === "lox" && f.name === name);
      return fn === undefined ? null : { kind: "ref", addr: fn.id };
    },
  };
}

const module = lowerProgram(compile(sourceFromText(PROGRAM)));
const scope = { module, heap: fakeHeap(module), stableGlobals: stableGlobals(module) };
const fn = (name: string): IrFunction => module.functions.find((f) => f.name === name) as IrFunction;
const num = (value: number): LoxConst => ({ kind: "num", value });

describe("evaluating @pure calls on constants", () => {
  it("runs arithmetic, loops, natives and calls of other pure functions", () => {
    expect(evaluatePureCall(scope, fn("square"), [num(7)])).toEqual(num(49));
    expect(evaluatePureCall(scope, fn("digits"), [num(12345)])).toEqual(num(5));
    expect(evaluatePureCall(scope, fn("sumDigits"), [num(10), num(999)])).toEqual(num(5));
    expect(evaluatePureCall(scope, fn("shout"), [{ kind: "str", text: "hey" }])).toEqual({ kind: "str", text: "hey!" });
  });

  it("gives up on errors, on running past its fuel and on what it does not model", () => {
    expect(evaluatePureCall(scope, fn("bad"), [num(1)])).toBeNull();
    expect(evaluatePureCall(scope, fn("square"), [{ kind: "str", text: "x" }])).toBeNull();
    expect(evaluatePureCall(scope, fn("forever"), [num(0)])).toBeNull();
    expect(evaluatePureCall(scope, fn("pair"), [num(1)])).toBeNull();
    expect(evaluatePureCall(scope, fn("label"), [num(1)])).toBeNull();
  });
});

describe("merging @pure calls", () => {
  it("is allowed only for functions that read and allocate no heap object", () => {
    const memo = new Map();
    const mergeable = (name: string): boolean => isHeapFreePure(module, fn(name), memo);
    expect(mergeable("square")).toBe(true);
    expect(mergeable("digits")).toBe(true);
    expect(mergeable("sumDigits")).toBe(true);
    expect(mergeable("first")).toBe(false);
    expect(mergeable("firstOf")).toBe(false);
    expect(mergeable("pair")).toBe(false);
    // toString of an array reads its elements, which the caller may change between two calls.
    expect(mergeable("label")).toBe(false);
    expect(mergeable("half")).toBe(true);
    expect(mergeable("plain")).toBe(false);
  });
});
