/**
 * The natives (native-specs.ts) over the IR engine's heap. Semantics and
 * messages match the tree engine's (src/tree/natives.ts); the cross-engine
 * tests hold them to it.
 */
import type { Heap, RtVal } from "./heap.ts";
import { Flag, ObjType } from "./layout.ts";
import { RuntimeMessage } from "./messages.ts";
import { clockSeconds, NATIVE_SPECS } from "./native-specs.ts";
import { parseLoxNumber } from "./number-parse.ts";

export interface NativeContext {
  readonly heap: Heap;
  fail(message: string): never;
  stringify(v: RtVal): string;
}

type Impl = (args: RtVal[], ctx: NativeContext) => RtVal;

function isType(heap: Heap, v: RtVal, type: number): v is bigint {
  return typeof v === "bigint" && heap.type(Number(v)) === type;
}

function number(name: string, args: RtVal[], i: number, ctx: NativeContext): number {
  const v = args[i];
  if (typeof v !== "number") ctx.fail(RuntimeMessage.nativeArgument(name, i + 1, "a number"));
  return v;
}

function integer(name: string, args: RtVal[], i: number, ctx: NativeContext): number {
  const v = args[i];
  if (typeof v !== "number" || !Number.isInteger(v)) ctx.fail(RuntimeMessage.nativeArgument(name, i + 1, "an integer"));
  return v;
}

function string(name: string, args: RtVal[], i: number, ctx: NativeContext): string {
  const v = args[i];
  if (!isType(ctx.heap, v, ObjType.string)) ctx.fail(RuntimeMessage.nativeArgument(name, i + 1, "a string"));
  return ctx.heap.stringText(Number(v));
}

function array(name: string, args: RtVal[], ctx: NativeContext, mutable: boolean): number {
  const v = args[0];
  if (!isType(ctx.heap, v, ObjType.array)) ctx.fail(RuntimeMessage.nativeArgument(name, 1, "an array"));
  const a = Number(v);
  if (mutable && ctx.heap.isFrozen(a)) ctx.fail(RuntimeMessage.frozenArray);
  return a;
}

function bit(name: string, op: (a: number, b: number) => number): Impl {
  return (args, ctx) => op(number(name, args, 0, ctx), number(name, args, 1, ctx));
}

const IMPLS: Record<string, Impl> = {
  clock: () => clockSeconds(),
  len: (args, ctx) => {
    const v = args[0];
    if (isType(ctx.heap, v, ObjType.string)) return ctx.heap.stringText(Number(v)).length;
    if (isType(ctx.heap, v, ObjType.array)) return ctx.heap.arrayLength(Number(v));
    return ctx.fail(RuntimeMessage.nativeArgument("len", 1, "a string or an array"));
  },
  array: (args, ctx) => {
    const n = integer("array", args, 0, ctx);
    if (n < 0) ctx.fail(RuntimeMessage.nativeArgument("array", 1, "a non-negative integer"));
    return BigInt(ctx.heap.newFilledArray(n, args[1] as RtVal));
  },
  push: (args, ctx) => {
    ctx.heap.arrayPush(array("push", args, ctx, true), args[1]);
    return null;
  },
  pop: (args, ctx) => {
    const a = array("pop", args, ctx, true);
    if (ctx.heap.arrayLength(a) === 0) ctx.fail(RuntimeMessage.popEmpty);
    return ctx.heap.arrayPop(a);
  },
  freeze: (args, ctx) => {
    const a = array("freeze", args, ctx, false);
    ctx.heap.setFlag(a, Flag.frozen);
    return args[0];
  },
  floor: (args, ctx) => Math.floor(number("floor", args, 0, ctx)),
  band: bit("band", (a, b) => a & b),
  bor: bit("bor", (a, b) => a | b),
  bxor: bit("bxor", (a, b) => a ^ b),
  shl: bit("shl", (a, b) => a << b),
  shr: bit("shr", (a, b) => a >> b),
  substring: (args, ctx) => {
    const s = string("substring", args, 0, ctx);
    const start = integer("substring", args, 1, ctx);
    const end = integer("substring", args, 2, ctx);
    if (start < 0 || start > s.length) ctx.fail(RuntimeMessage.nativeArgument("substring", 2, `between 0 and ${s.length}`));
    if (end < start || end > s.length) ctx.fail(RuntimeMessage.nativeArgument("substring", 3, `between ${start} and ${s.length}`));
    return BigInt(ctx.heap.intern(s.slice(start, end)));
  },
  charCode: (args, ctx) => {
    const s = string("charCode", args, 0, ctx);
    const i = integer("charCode", args, 1, ctx);
    if (i < 0 || i >= s.length) ctx.fail(RuntimeMessage.stringIndexOutOfBounds(i, s.length));
    return s.charCodeAt(i);
  },
  fromCharCode: (args, ctx) => {
    const c = integer("fromCharCode", args, 0, ctx);
    if (c < 0 || c > 255) ctx.fail(RuntimeMessage.nativeArgument("fromCharCode", 1, "a byte value from 0 to 255"));
    return BigInt(ctx.heap.intern(String.fromCharCode(c)));
  },
  parseNumber: (args, ctx) => parseLoxNumber(string("parseNumber", args, 0, ctx)),
  toString: (args: RtVal[], ctx: NativeContext) => BigInt(ctx.heap.intern(ctx.stringify(args[0]))),
  error: (args, ctx) => ctx.fail(string("error", args, 0, ctx)),
  isNumber: (args) => typeof args[0] === "number",
  isString: (args, ctx) => isType(ctx.heap, args[0], ObjType.string),
  isArray: (args, ctx) => isType(ctx.heap, args[0], ObjType.array),
};

/** Implementations in native-index order. */
export const HEAP_NATIVES: readonly Impl[] = NATIVE_SPECS.map((spec) => {
  const impl = IMPLS[spec.name];
  if (impl === undefined) throw new Error(`internal error: no heap implementation of native '${spec.name}'`);
  return impl;
});
