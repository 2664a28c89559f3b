/**
 * The helpers of the runtime library, by name: each one is the fast path of
 * a Lox operation in machine-level IR, falling back to a host import for
 * everything else (errors included). Semantics are exactly the Lox-level
 * ops' (src/ir/opcodes.ts); the slow paths share the IR engine's code.
 *
 * Calls and invokes exist per argument count (`call.2`, `invoke.0`): a
 * closure of matching arity is called directly through the function table;
 * bound methods too; an invoke whose inline cache matches the receiver's
 * shape calls the cached method. Inline caches are 8-byte cells (key, data)
 * in the IC region; the slow paths fill them.
 */
import { Op, type Opcode, Type, type Value } from "../../ir/index.ts";
import { Arr, Bound, Cell, Closure, Flag, Instance, NIL_BITS, ObjType, Raw, UNDEFINED_BITS } from "../layout.ts";
import { WasmError } from "./imports.ts";
import type { HelperBody, HelperSpec, RuntimeLibrary } from "./library.ts";
import { addr, bits, box, fromBool, fromF64, isNum, isObj, isObjOfType, toF64, truthy } from "./values.ts";

const { i32, val, none } = Type;

function spec(params: Type[], result: Type, gc: boolean, body: HelperBody): HelperSpec {
  return { params, result, gc, body };
}

function error(lib: RuntimeLibrary, e: Parameters<HelperBody>[0], code: number, line: Value, x?: Value): void {
  e.call(lib.importFn("error"), e.i32(code), line, x ?? e.i64(0n), e.i64(0n));
  e.unreachable();
}

/** Arithmetic on two numbers, else "Operands must be numbers.". */
function arithmetic(op: Opcode): HelperSpec {
  return spec([val, val, i32], val, false, (e, lib) => {
    const [a, b, line] = [e.param(0), e.param(1), e.param(2)];
    e.if(e.op(Op.i32And, isNum(e, a), isNum(e, b)), () => e.ret(fromF64(e, e.op(op, toF64(e, a), toF64(e, b)))));
    error(lib, e, WasmError.operandsNumbers, line);
  });
}

function comparison(op: Opcode): HelperSpec {
  return spec([val, val, i32], val, false, (e, lib) => {
    const [a, b, line] = [e.param(0), e.param(1), e.param(2)];
    e.if(e.op(Op.i32And, isNum(e, a), isNum(e, b)), () => e.ret(fromBool(e, e.op(op, toF64(e, a), toF64(e, b)))));
    error(lib, e, WasmError.operandsNumbers, line);
  });
}

/** i32: Lox equality (numbers by value, NaN unequal; everything else by identity). */
function equal(e: Parameters<HelperBody>[0], a: Value, b: Value): Value {
  const bothNumbers = e.op(Op.i32And, isNum(e, a), isNum(e, b));
  return e.select(bothNumbers, e.op(Op.f64Eq, toF64(e, a), toF64(e, b)), e.op(Op.i64Eq, bits(e, a), bits(e, b)));
}

/** The element address of `array[index]` if the fast path applies, else 0 (i32). */
function elementAddress(e: Parameters<HelperBody>[0], array: Value, index: Value): Value {
  return e.choose(e.op(Op.i32And, isObjOfType(e, array, ObjType.array), isNum(e, index)), i32, () => {
    const a = addr(e, array);
    const f = toF64(e, index);
    const k = e.op(Op.i32TruncSatF64S, f);
    const integral = e.op(Op.f64Eq, e.op(Op.f64ConvertI32S, k), f);
    const inBounds = e.op(Op.i32LtU, k, e.load32(a, Arr.length));
    return e.select(
      e.op(Op.i32And, integral, inBounds),
      e.op(Op.i32Add, e.load32(a, Arr.elements), e.op(Op.i32Add, e.op(Op.i32Shl, k, e.i32(3)), e.i32(Raw.payload))),
      e.i32(0),
    );
  }, () => e.i32(0));
}

/** Stores values at the shadow stack pointer (argument passing to the host); returns the address. */
export function storeArgs(e: Parameters<HelperBody>[0], values: readonly Value[]): Value {
  const sp = e.op(Op.shadowSpGet);
  values.forEach((v, i) => e.store64(sp, bits(e, v), 8 * i));
  return sp;
}

/** `call.N`: callee, N arguments, line. */
function callN(n: number): HelperSpec {
  const params: Type[] = [val, ...new Array<Type>(n).fill(val), i32];
  return spec(params, val, true, (e, lib) => {
    const callee = e.param(0);
    const args = e.params.slice(1, n + 1);
    const line = e.param(n + 1);
    e.if(isObj(e, callee), () => {
      const a = addr(e, callee);
      const type = e.load8(a);
      // A closure of the right arity: call it directly.
      e.if(e.op(Op.i32Eq, type, e.i32(ObjType.closure)), () => {
        const word = e.load32(a, Closure.func);
        e.if(e.op(Op.i32Eq, e.op(Op.i32ShrU, word, e.i32(24)), e.i32(n)), () => {
          const index = e.op(Op.i32And, word, e.i32(0xffffff));
          e.ret(e.op(Op.callLox, index, callee, e.val(NIL_BITS), ...args));
        });
      });
      // A bound method of the right arity.
      e.if(e.op(Op.i32Eq, type, e.i32(ObjType.boundMethod)), () => {
        const closure = e.load32(a, Bound.closure);
        const word = e.load32(closure, Closure.func);
        e.if(e.op(Op.i32Eq, e.op(Op.i32ShrU, word, e.i32(24)), e.i32(n)), () => {
          const index = e.op(Op.i32And, word, e.i32(0xffffff));
          const receiver = e.op(Op.valFromBits, e.load64(a, Bound.receiver));
          e.ret(e.op(Op.callLox, index, box(e, closure), receiver, ...args));
        });
      });
    });
    e.ret(e.call(lib.importFn("callSlow"), callee, storeArgs(e, args), e.i32(n), line));
  });
}

/** `invoke.N`: receiver, name (string address), cache address, N arguments, line. */
function invokeN(n: number): HelperSpec {
  const params: Type[] = [val, i32, i32, ...new Array<Type>(n).fill(val), i32];
  return spec(params, val, true, (e, lib) => {
    const [receiver, name, ic] = [e.param(0), e.param(1), e.param(2)];
    const args = e.params.slice(3, n + 3);
    const line = e.param(n + 3);
    e.if(isObjOfType(e, receiver, ObjType.instance), () => {
      const shape = e.load32(addr(e, receiver), Instance.shape);
      e.if(e.op(Op.i32Eq, e.load32(ic), shape), () => {
        const closure = e.load32(ic, 4);
        const word = e.load32(closure, Closure.func);
        e.if(e.op(Op.i32Eq, e.op(Op.i32ShrU, word, e.i32(24)), e.i32(n)), () => {
          const index = e.op(Op.i32And, word, e.i32(0xffffff));
          e.ret(e.op(Op.callLox, index, box(e, closure), receiver, ...args));
        });
      });
    });
    e.ret(e.call(lib.importFn("invokeSlow"), receiver, name, ic, storeArgs(e, args), e.i32(n), line));
  });
}

const FIXED: Record<string, HelperSpec> = {
  add: spec([val, val, i32], val, true, (e, lib) => {
    const [a, b, line] = [e.param(0), e.param(1), e.param(2)];
    e.if(e.op(Op.i32And, isNum(e, a), isNum(e, b)), () => e.ret(fromF64(e, e.op(Op.f64Add, toF64(e, a), toF64(e, b)))));
    e.ret(e.call(lib.importFn("add"), a, b, line));
  }),
  sub: arithmetic(Op.f64Sub),
  mul: arithmetic(Op.f64Mul),
  div: arithmetic(Op.f64Div),
  mod: spec([val, val, i32], val, false, (e, lib) => {
    const [a, b, line] = [e.param(0), e.param(1), e.param(2)];
    e.if(e.op(Op.i32And, isNum(e, a), isNum(e, b)), () => e.ret(fromF64(e, e.call(lib.importFn("fmod"), toF64(e, a), toF64(e, b)))));
    error(lib, e, WasmError.operandsNumbers, line);
  }),
  lt: comparison(Op.f64Lt),
  le: comparison(Op.f64Le),
  gt: comparison(Op.f64Gt),
  ge: comparison(Op.f64Ge),
  neg: spec([val, i32], val, false, (e, lib) => {
    e.if(isNum(e, e.param(0)), () => e.ret(fromF64(e, e.op(Op.f64Neg, toF64(e, e.param(0))))));
    error(lib, e, WasmError.operandNumber, e.param(1));
  }),
  eq: spec([val, val], val, false, (e) => e.ret(fromBool(e, equal(e, e.param(0), e.param(1))))),
  ne: spec([val, val], val, false, (e) => e.ret(fromBool(e, e.op(Op.i32Eqz, equal(e, e.param(0), e.param(1)))))),
  not: spec([val], val, false, (e) => e.ret(fromBool(e, e.op(Op.i32Eqz, truthy(e, e.param(0)))))),
  truthy: spec([val], i32, false, (e) => e.ret(truthy(e, e.param(0)))),
  /** slot address, global id, line */
  globalGet: spec([i32, i32, i32], val, false, (e, lib) => {
    const value = e.load64(e.param(0));
    e.if(e.op(Op.i64Eq, value, e.i64(UNDEFINED_BITS)), () => error(lib, e, WasmError.undefinedVariable, e.param(2), e.op(Op.i64ExtendI32U, e.param(1))));
    e.ret(e.op(Op.valFromBits, value));
  }),
  /** slot address, global id, value, line */
  globalSet: spec([i32, i32, val, i32], none, false, (e, lib) => {
    e.if(e.op(Op.i64Eq, e.load64(e.param(0)), e.i64(UNDEFINED_BITS)), () => error(lib, e, WasmError.undefinedVariable, e.param(3), e.op(Op.i64ExtendI32U, e.param(1))));
    e.store64(e.param(0), bits(e, e.param(2)));
    e.ret();
  }),
  cellGet: spec([val], val, false, (e) => e.ret(e.op(Op.valFromBits, e.load64(addr(e, e.param(0)), Cell.value)))),
  cellSet: spec([val, val], none, false, (e) => {
    e.store64(addr(e, e.param(0)), bits(e, e.param(1)), Cell.value);
    e.ret();
  }),
  /** closure, index */
  closureCell: spec([val, i32], val, false, (e) => {
    const slot = e.op(Op.i32Add, addr(e, e.param(0)), e.op(Op.i32Shl, e.param(1), e.i32(2)));
    e.ret(box(e, e.load32(slot, Closure.cells)));
  }),
  /** object, name, cache, line */
  get: spec([val, i32, i32, i32], val, true, (e, lib) => {
    const [object, name, ic, line] = [e.param(0), e.param(1), e.param(2), e.param(3)];
    e.if(isObjOfType(e, object, ObjType.instance), () => {
      const a = addr(e, object);
      e.if(e.op(Op.i32Eq, e.load32(ic), e.load32(a, Instance.shape)), () => {
        const slot = e.op(Op.i32Add, e.load32(a, Instance.fields), e.op(Op.i32Shl, e.load32(ic, 4), e.i32(3)));
        e.ret(e.op(Op.valFromBits, e.load64(slot, Raw.payload)));
      });
    });
    e.ret(e.call(lib.importFn("getSlow"), object, name, ic, line));
  }),
  /** object, name, value, cache, line */
  set: spec([val, i32, val, i32, i32], none, true, (e, lib) => {
    const [object, name, value, ic, line] = [e.param(0), e.param(1), e.param(2), e.param(3), e.param(4)];
    e.if(isObjOfType(e, object, ObjType.instance), () => {
      const a = addr(e, object);
      e.if(e.op(Op.i32Eq, e.load32(ic), e.load32(a, Instance.shape)), () => {
        const slot = e.op(Op.i32Add, e.load32(a, Instance.fields), e.op(Op.i32Shl, e.load32(ic, 4), e.i32(3)));
        e.store64(slot, bits(e, value), Raw.payload);
        e.ret();
      });
    });
    e.call(lib.importFn("setSlow"), object, name, value, ic, line);
    e.ret();
  }),
  indexGet: spec([val, val, i32], val, false, (e, lib) => {
    const [array, index, line] = [e.param(0), e.param(1), e.param(2)];
    const at = elementAddress(e, array, index);
    e.if(at, () => e.ret(e.op(Op.valFromBits, e.load64(at))));
    e.ret(e.call(lib.importFn("indexGetSlow"), array, index, line));
  }),
  indexSet: spec([val, val, val, i32], none, false, (e, lib) => {
    const [array, index, value, line] = [e.param(0), e.param(1), e.param(2), e.param(3)];
    const at = elementAddress(e, array, index);
    const frozen = e.choose(at, i32, () => e.op(Op.i32And, e.load8(addr(e, array), 1), e.i32(Flag.frozen)), () => e.i32(1));
    e.if(e.op(Op.i32Eqz, frozen), () => {
      e.store64(at, bits(e, value));
      e.ret();
    });
    e.call(lib.importFn("indexSetSlow"), array, index, value, line);
    e.ret();
  }),
};

export function helperSpec(name: string): HelperSpec | undefined {
  const fixed = FIXED[name];
  if (fixed !== undefined) return fixed;
  const m = /^(call|invoke)\.(\d+)$/.exec(name);
  if (m === null) return undefined;
  const n = Number(m[2]);
  return m[1] === "call" ? callN(n) : invokeN(n);
}
