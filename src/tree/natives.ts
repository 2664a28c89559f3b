/**
 * Native functions of the tree engine: `clock` from standard Lox and the
 * dialect's array, integer/bit and string natives and `error`
 * (docs/lox.md). Argument checks fail with the shared runtime messages.
 */
import { RuntimeMessage } from "../runtime/messages.ts";
import { parseLoxNumber } from "../runtime/number-parse.ts";
import { stringify } from "./stringify.ts";
import { LoxArray, LoxNative, type NativeCallContext, type Value } from "./values.ts";

type Check<T> = (v: Value) => v is Value & T;

const isNumber: Check<number> = (v): v is number => typeof v === "number";
const isString: Check<string> = (v): v is string => typeof v === "string";
const isArray: Check<LoxArray> = (v): v is LoxArray => v instanceof LoxArray;

function arg<T>(native: string, args: Value[], i: number, check: Check<T>, expected: string, call: NativeCallContext): T {
  const v = args[i] as Value;
  if (!check(v)) call.fail(RuntimeMessage.nativeArgument(native, i + 1, expected));
  return v as T;
}

function integer(native: string, args: Value[], i: number, call: NativeCallContext): number {
  const v = args[i];
  if (typeof v !== "number" || !Number.isInteger(v)) call.fail(RuntimeMessage.nativeArgument(native, i + 1, "an integer"));
  return v;
}

function mutableArray(native: string, args: Value[], call: NativeCallContext): LoxArray {
  const a = arg(native, args, 0, isArray, "an array", call);
  if (a.frozen) call.fail(RuntimeMessage.frozenArray);
  return a;
}

function bitOp(name: string, op: (a: number, b: number) => number): LoxNative {
  return new LoxNative(name, 2, (args, call) =>
    op(arg(name, args, 0, isNumber, "a number", call), arg(name, args, 1, isNumber, "a number", call)));
}

const startTime = performance.now();

export function createNatives(): LoxNative[] {
  return [
    new LoxNative("clock", 0, () => (performance.now() - startTime) / 1000),
    new LoxNative("len", 1, (args, call) => {
      const v = args[0] as Value;
      if (typeof v === "string") return v.length;
      if (v instanceof LoxArray) return v.elements.length;
      return call.fail(RuntimeMessage.nativeArgument("len", 1, "a string or an array"));
    }),
    new LoxNative("array", 2, (args, call) => {
      const n = integer("array", args, 0, call);
      if (n < 0) call.fail(RuntimeMessage.nativeArgument("array", 1, "a non-negative integer"));
      return new LoxArray(new Array<Value>(n).fill(args[1] as Value));
    }),
    new LoxNative("push", 2, (args, call) => {
      mutableArray("push", args, call).elements.push(args[1] as Value);
      return null;
    }),
    new LoxNative("pop", 1, (args, call) => {
      const a = mutableArray("pop", args, call);
      if (a.elements.length === 0) call.fail(RuntimeMessage.popEmpty);
      return a.elements.pop() as Value;
    }),
    new LoxNative("freeze", 1, (args, call) => {
      const a = arg("freeze", args, 0, isArray, "an array", call);
      a.frozen = true;
      return a;
    }),
    new LoxNative("floor", 1, (args, call) => Math.floor(arg("floor", args, 0, isNumber, "a number", call))),
    bitOp("band", (a, b) => a & b),
    bitOp("bor", (a, b) => a | b),
    bitOp("bxor", (a, b) => a ^ b),
    bitOp("shl", (a, b) => a << b),
    bitOp("shr", (a, b) => a >> b),
    new LoxNative("substring", 3, (args, call) => {
      const s = arg("substring", args, 0, isString, "a string", call);
      const start = integer("substring", args, 1, call);
      const end = integer("substring", args, 2, call);
      if (start < 0 || start > s.length) call.fail(RuntimeMessage.nativeArgument("substring", 2, `between 0 and ${s.length}`));
      if (end < start || end > s.length) call.fail(RuntimeMessage.nativeArgument("substring", 3, `between ${start} and ${s.length}`));
      return s.slice(start, end);
    }),
    new LoxNative("charCode", 2, (args, call) => {
      const s = arg("charCode", args, 0, isString, "a string", call);
      const i = integer("charCode", args, 1, call);
      if (i < 0 || i >= s.length) call.fail(RuntimeMessage.stringIndexOutOfBounds(i, s.length));
      return s.charCodeAt(i);
    }),
    new LoxNative("fromCharCode", 1, (args, call) => {
      const c = integer("fromCharCode", args, 0, call);
      if (c < 0 || c > 255) call.fail(RuntimeMessage.nativeArgument("fromCharCode", 1, "a byte value from 0 to 255"));
      return String.fromCharCode(c);
    }),
    new LoxNative("parseNumber", 1, (args, call) => parseLoxNumber(arg("parseNumber", args, 0, isString, "a string", call))),
    new LoxNative("toString", 1, (args) => stringify(args[0] as Value)),
    new LoxNative("error", 1, (args, call) => call.fail(arg("error", args, 0, isString, "a string", call))),
    new LoxNative("isNumber", 1, (args) => isNumber(args[0] as Value)),
    new LoxNative("isString", 1, (args) => isString(args[0] as Value)),
    new LoxNative("isArray", 1, (args) => isArray(args[0] as Value)),
  ];
}
