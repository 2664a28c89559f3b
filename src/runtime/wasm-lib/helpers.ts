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
 * in the IC region, `POLY_ENTRIES` of them per field read or invoke site
 * (a small polymorphic cache, most recent first); the slow paths fill them.
 */
import { LoxKind, loxKindByName, Op, type Opcode, Type, type Value } from "../../ir/index.ts";
import {
  Arr, Bound, Cell, CELL_SIZE_TABLE, Closure, FALSE_BITS, Flag, freeListHead, Header, Instance, Klass, MAX_SMALL_SIZE, Native, NIL_BITS, ObjType,
  POLY_ENTRIES, Raw, Roots, SIZE_CLASS_TABLE, Str, TRUE_BITS, UNDEFINED_BITS,
} from "../layout.ts";
import { assertNever } from "../../support/assert.ts";
import { NATIVE_INDEX } from "../native-specs.ts";
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

/** A comparison of Lox numbers as an i32 (lowering makes the Lox boolean from it where one is needed). */
function comparison(op: Opcode): HelperSpec {
  return spec([val, val, i32], i32, false, (e, lib) => {
    const [a, b, line] = [e.param(0), e.param(1), e.param(2)];
    e.if(e.op(Op.i32And, isNum(e, a), isNum(e, b)), () => e.ret(e.op(op, toF64(e, a), toF64(e, b))));
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

/**
 * A new instance of the class at `klass` (an address), as a val, with
 * field storage for as many fields as the class's instances have had.
 * The instance is a val while the storage is allocated, so that the
 * spill pass keeps it rooted.
 */
function newInstance(e: Parameters<HelperBody>[0], lib: RuntimeLibrary, klass: Value): Value {
  const raw = e.call(lib.helper("alloc"), e.i32(ObjType.instance), e.i32(Instance.size));
  e.store32(raw, klass, Instance.klass);
  e.store32(raw, e.load32(klass, Klass.rootShape), Instance.shape);
  const instance = box(e, raw);
  const capacity = e.load32(klass, Klass.fieldHint);
  e.if(capacity, () => {
    const bytes = e.op(Op.i32Shl, capacity, e.i32(3));
    const fields = e.call(lib.helper("alloc"), e.i32(ObjType.raw), e.op(Op.i32Add, bytes, e.i32(Raw.payload)));
    e.store32(fields, bytes, Raw.payloadSize);
    e.store32(addr(e, instance), fields, Instance.fields);
  });
  return instance;
}

/** `get` (object, name, cache, line): the first cache cell inline, the others in `getRest`, out of line. */
function getSpec(rest: boolean): HelperSpec {
  const body: HelperBody = (e, lib) => {
    const [object, name, ic, line] = [e.param(0), e.param(1), e.param(2), e.param(3)];
    e.if(isObjOfType(e, object, ObjType.instance), () => {
      const a = addr(e, object);
      probe(e, ic, e.load32(a, Instance.shape), (slot) => {
        const at = e.op(Op.i32Add, e.load32(a, Instance.fields), e.op(Op.i32Shl, slot, e.i32(3)));
        e.ret(e.op(Op.valFromBits, e.load64(at, Raw.payload)));
      }, rest ? 1 : 0, rest ? POLY_ENTRIES : 1);
    });
    if (rest) e.ret(e.call(lib.importFn("getSlow"), object, name, ic, line));
    else e.ret(e.call(lib.helper("getRest"), object, name, ic, line));
  };
  const s = spec([val, i32, i32, i32], val, true, body);
  return rest ? outlined(s) : s;
}

/** `call.N`: callee, N arguments, line. A closure of matching arity is called here; the rest is `callRest.N`. */
function callN(n: number): HelperSpec {
  const params: Type[] = [val, ...new Array<Type>(n).fill(val), i32];
  return spec(params, val, true, (e, lib) => {
    const callee = e.param(0);
    const args = e.params.slice(1, n + 1);
    const line = e.param(n + 1);
    e.if(isObjOfType(e, callee, ObjType.closure), () => {
      const word = e.load32(addr(e, callee), Closure.func);
      e.if(e.op(Op.i32Eq, e.op(Op.i32ShrU, word, e.i32(24)), e.i32(n)), () => {
        const index = e.op(Op.i32And, word, e.i32(0xffffff));
        e.ret(e.op(Op.callLox, index, callee, e.val(NIL_BITS), ...args));
      });
    });
    e.ret(e.call(lib.helper(`callRest.${n}`), callee, ...args, line));
  });
}

/** `callRest.N` (out of line): calls of classes and bound methods, and everything else through the runtime. */
function callRestN(n: number): HelperSpec {
  const params: Type[] = [val, ...new Array<Type>(n).fill(val), i32];
  return outlined(spec(params, val, true, (e, lib) => {
    const callee = e.param(0);
    const args = e.params.slice(1, n + 1);
    const line = e.param(n + 1);
    e.if(isObj(e, callee), () => {
      const a = addr(e, callee);
      const type = e.load8(a);
      // A class: a new instance, then its initializer (when the arity fits; else the runtime reports it).
      e.if(e.op(Op.i32Eq, type, e.i32(ObjType.klass)), () => {
        const init = e.load32(a, Klass.init);
        const arityFits = e.choose(init, i32,
          () => e.op(Op.i32Eq, e.op(Op.i32ShrU, e.load32(init, Closure.func), e.i32(24)), e.i32(n)),
          () => e.i32(n === 0 ? 1 : 0));
        e.if(arityFits, () => {
          const instance = newInstance(e, lib, a);
          e.if(init, () => {
            const word = e.load32(init, Closure.func);
            e.op(Op.callLox, e.op(Op.i32And, word, e.i32(0xffffff)), box(e, init), instance, ...args);
          });
          // Construction is over: readonly fields are now fixed (see LoxOps.set).
          const made = addr(e, instance);
          e.b.inst(Op.i32Store8, [made, e.op(Op.i32Or, e.load8(made, Header.flags), e.i32(Flag.constructed))], Header.flags);
          e.ret(instance);
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
  }));
}

function outlined(s: HelperSpec): HelperSpec {
  return { ...s, outline: true };
}

/**
 * Looks `shape` up in cells [from, to) of a polymorphic inline cache of
 * `POLY_ENTRIES` cells (key: shape, data); runs `hit` with the data of the
 * matching cell. The fast path inline checks the first cell, the
 * out-of-line rest the others.
 */
function probe(e: Parameters<HelperBody>[0], ic: Value, shape: Value, hit: (data: Value) => void, from = 0, to = POLY_ENTRIES): void {
  for (let k = from; k < to; k++) {
    e.if(e.op(Op.i32Eq, e.load32(ic, 8 * k), shape), () => hit(e.load32(ic, 8 * k + 4)));
  }
}

/** `invoke.N`: receiver, name (string address), cache address, N arguments, line. */
function invokeN(n: number, rest: boolean): HelperSpec {
  const params: Type[] = [val, i32, i32, ...new Array<Type>(n).fill(val), i32];
  const body: HelperBody = (e, lib) => {
    const [receiver, name, ic] = [e.param(0), e.param(1), e.param(2)];
    const args = e.params.slice(3, n + 3);
    const line = e.param(n + 3);
    e.if(isObjOfType(e, receiver, ObjType.instance), () => {
      const shape = e.load32(addr(e, receiver), Instance.shape);
      probe(e, ic, shape, (closure) => {
        const word = e.load32(closure, Closure.func);
        e.if(e.op(Op.i32Eq, e.op(Op.i32ShrU, word, e.i32(24)), e.i32(n)), () => {
          const index = e.op(Op.i32And, word, e.i32(0xffffff));
          e.ret(e.op(Op.callLox, index, box(e, closure), receiver, ...args));
        });
      }, rest ? 1 : 0, rest ? POLY_ENTRIES : 1);
    });
    if (rest) e.ret(e.call(lib.importFn("invokeSlow"), receiver, name, ic, storeArgs(e, args), e.i32(n), line));
    else e.ret(e.call(lib.helper(`invokeRest.${n}`), ...e.params));
  };
  return rest ? outlined(spec(params, val, true, body)) : spec(params, val, true, body);
}

/**
 * `superInvoke.N`: receiver, superclass, name, cache address, N arguments,
 * line. The method of a superclass never changes, so a one-cell cache
 * (superclass, closure) decides it.
 */
function superInvokeN(n: number): HelperSpec {
  const params: Type[] = [val, val, i32, i32, ...new Array<Type>(n).fill(val), i32];
  return spec(params, val, true, (e, lib) => {
    const [receiver, superclass, name, ic] = [e.param(0), e.param(1), e.param(2), e.param(3)];
    const args = e.params.slice(4, n + 4);
    const line = e.param(n + 4);
    e.if(e.op(Op.i32Eq, e.load32(ic), addr(e, superclass)), () => {
      const closure = e.load32(ic, 4);
      const word = e.load32(closure, Closure.func);
      e.if(e.op(Op.i32Eq, e.op(Op.i32ShrU, word, e.i32(24)), e.i32(n)), () => {
        e.ret(e.op(Op.callLox, e.op(Op.i32And, word, e.i32(0xffffff)), box(e, closure), receiver, ...args));
      });
    });
    e.ret(e.call(lib.importFn("superInvoke"), receiver, superclass, name, ic, storeArgs(e, args), e.i32(n), line));
  });
}

/** i32: whether `v` is of kind `kind` (lox-kinds.ts); what `lox.is`, `isNumber`, `isString` and `isArray` test. */
function isKind(e: Parameters<HelperBody>[0], kind: LoxKind, v: Value): Value {
  switch (kind) {
    case LoxKind.nil: return e.op(Op.i64Eq, bits(e, v), e.i64(NIL_BITS));
    case LoxKind.bool: {
      const b = bits(e, v);
      return e.op(Op.i32Or, e.op(Op.i64Eq, b, e.i64(TRUE_BITS)), e.op(Op.i64Eq, b, e.i64(FALSE_BITS)));
    }
    case LoxKind.num: return isNum(e, v);
    case LoxKind.str: return isObjOfType(e, v, ObjType.string);
    case LoxKind.array: return isObjOfType(e, v, ObjType.array);
    case LoxKind.other:
      return e.choose(isObj(e, v), Type.i32, () => {
        const type = e.load8(addr(e, v));
        return e.op(Op.i32And, e.op(Op.i32Ne, type, e.i32(ObjType.string)), e.op(Op.i32Ne, type, e.i32(ObjType.array)));
      }, () => e.i32(0));
    default: return assertNever(kind, "kind of value");
  }
}

/** `test.K`: `lox.is K x` as an i32 (lowering makes the Lox boolean from it where one is needed). */
function kindTest(kind: LoxKind): HelperSpec {
  return spec([val], i32, true, (e) => e.ret(isKind(e, kind, e.param(0))));
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
  /** `==` as an i32 (lowering makes the Lox boolean from it, and `!=` and `!` from it and `truthy`). */
  equal: spec([val, val], i32, false, (e) => e.ret(equal(e, e.param(0), e.param(1)))),
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
  get: getSpec(false),
  getRest: getSpec(true),
  /**
   * object, name, value, cache, line. The cache is two cells (16 bytes):
   * (shape before, slot) and (shape after, 0), where the shape after is the
   * same for an existing field and the next shape for a new field.
   */
  set: spec([val, i32, val, i32, i32], none, true, (e, lib) => {
    const [object, name, value, ic, line] = [e.param(0), e.param(1), e.param(2), e.param(3), e.param(4)];
    e.if(isObjOfType(e, object, ObjType.instance), () => {
      const a = addr(e, object);
      e.if(e.op(Op.i32Eq, e.load32(ic), e.load32(a, Instance.shape)), () => {
        const slot = e.load32(ic, 4);
        const fields = e.load32(a, Instance.fields);
        const room = e.choose(fields, i32, () => e.op(Op.i32LtU, slot, e.op(Op.i32ShrU, e.load32(fields, Raw.payloadSize), e.i32(3))), () => e.i32(0));
        e.if(room, () => {
          e.store64(e.op(Op.i32Add, fields, e.op(Op.i32Shl, slot, e.i32(3))), bits(e, value), Raw.payload);
          e.store32(a, e.load32(ic, 8), Instance.shape);
          e.ret();
        });
      });
    });
    e.call(lib.importFn("setSlow"), object, name, value, ic, line);
    e.ret();
  }),
  /**
   * type, size -> a zeroed object: the size class's free list when it has a
   * cell and the collector is not due, else the runtime (a safepoint).
   * Free cells are zero but for their type and next pointer.
   */
  alloc: spec([i32, i32], i32, true, (e, lib) => {
    const [type, size] = [e.param(0), e.param(1)];
    e.if(e.op(Op.i32LeU, size, e.i32(MAX_SMALL_SIZE)), () => {
      const cls = e.load8(e.op(Op.i32ShrU, e.op(Op.i32Add, size, e.i32(7)), e.i32(3)), SIZE_CLASS_TABLE);
      const headAt = e.op(Op.i32Add, e.op(Op.i32Shl, cls, e.i32(2)), e.i32(freeListHead(0)));
      const cell = e.load32(headAt);
      const zero = e.i32(0);
      const allocated = e.load32(zero, Roots.allocated);
      e.if(e.op(Op.i32And, e.op(Op.i32Ne, cell, zero), e.op(Op.i32LtU, allocated, e.load32(zero, Roots.threshold))), () => {
        e.store32(headAt, e.load32(cell, 4));
        e.store32(cell, zero, 4);
        e.b.inst(Op.i32Store8, [cell, type], 0);
        const cellSize = e.b.inst(Op.i32Load16U, [e.op(Op.i32Shl, cls, e.i32(1))], CELL_SIZE_TABLE);
        e.store32(zero, e.op(Op.i32Add, allocated, cellSize), Roots.allocated);
        e.ret(cell);
      });
    });
    e.ret(e.call(lib.importFn("allocSlow"), type, size));
  }),
  cellNew: spec([val], val, true, (e, lib) => {
    const cell = e.call(lib.helper("alloc"), e.i32(ObjType.cell), e.i32(Cell.size));
    e.store64(cell, bits(e, e.param(0)), Cell.value);
    e.ret(box(e, cell));
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

/** Array literals up to this many elements are allocated inline (`array.N`); longer ones by the runtime. */
export const MAX_INLINE_ARRAY = 16;

/**
 * `array.N`: N elements -> a new array holding them (an array literal),
 * with room for at least 4 as the runtime's arrays have. The element
 * storage is allocated first and held as a val while the array itself is
 * allocated, so that the spill pass keeps it rooted; the array is complete
 * when it is first seen.
 */
function arrayN(n: number): HelperSpec {
  return spec(new Array<Type>(n).fill(val), val, true, (e, lib) => {
    const bytes = 8 * Math.max(4, n);
    const raw = e.call(lib.helper("alloc"), e.i32(ObjType.raw), e.i32(bytes + Raw.payload));
    e.store32(raw, e.i32(bytes), Raw.payloadSize);
    for (let i = 0; i < n; i++) e.b.inst(Op.i64Store, [raw, bits(e, e.param(i))], Raw.payload + 8 * i);
    const storage = box(e, raw);
    const a = e.call(lib.helper("alloc"), e.i32(ObjType.array), e.i32(Arr.size));
    e.store32(a, addr(e, storage), Arr.elements);
    e.store32(a, e.i32(Math.max(4, n)), Arr.capacity);
    e.store32(a, e.i32(n), Arr.length);
    e.ret(box(e, a));
  });
}

/** `closure.N`: function word (index | arity << 24), N cells -> a new closure. */
function closureN(n: number): HelperSpec {
  return spec([i32, ...new Array<Type>(n).fill(val)], val, true, (e, lib) => {
    const c = e.call(lib.helper("alloc"), e.i32(ObjType.closure), e.i32(Closure.cells + 4 * n));
    e.b.inst(Op.i32Store16, [c, e.i32(n)], Closure.cellCount);
    e.store32(c, e.param(0), Closure.func);
    for (let i = 0; i < n; i++) e.store32(c, addr(e, e.param(i + 1)), Closure.cells + 4 * i);
    e.ret(box(e, c));
  });
}

/**
 * `native.NAME`: a call `NAME(x)` whose callee was read from the global of
 * that native: callee, argument, line. When the callee is still that native
 * (nothing reassigned the global) and the argument has the expected type,
 * the native's work is done inline; anything else is the generic call.
 */
interface NativeIntrinsic {
  readonly arity: number;
  /** Returns the result when the arguments suit the fast path; falls through otherwise. */
  readonly inline: (e: Parameters<HelperBody>[0], args: readonly Value[]) => void;
}

/**
 * Natives done inline, by name: `len` of an array or string, `floor` of a
 * number, the kind tests, and `charCode(s, i)`, which reads the byte
 * (strings are Latin-1 bytes) when `i` is a whole number in range;
 * anything else, errors included, takes the general path.
 */
const NATIVE_INTRINSICS: Record<string, NativeIntrinsic> = {
  len: {
    arity: 1,
    inline: (e, [arg]) => {
      for (const [type, lengthAt] of [[ObjType.array, Arr.length], [ObjType.string, Str.length]] as const) {
        e.if(isObjOfType(e, arg as Value, type), () => e.ret(fromF64(e, e.op(Op.f64ConvertI32U, e.load32(addr(e, arg as Value), lengthAt)))));
      }
    },
  },
  floor: {
    arity: 1,
    inline: (e, [arg]) => e.if(isNum(e, arg as Value), () => e.ret(fromF64(e, e.op(Op.f64Floor, toF64(e, arg as Value))))),
  },
  isNumber: { arity: 1, inline: (e, [arg]) => e.ret(fromBool(e, isKind(e, LoxKind.num, arg as Value))) },
  isString: { arity: 1, inline: (e, [arg]) => e.ret(fromBool(e, isKind(e, LoxKind.str, arg as Value))) },
  isArray: { arity: 1, inline: (e, [arg]) => e.ret(fromBool(e, isKind(e, LoxKind.array, arg as Value))) },
  charCode: {
    arity: 2,
    inline: (e, [s, i]) => {
      const [str, index] = [s as Value, i as Value];
      e.if(e.op(Op.i32And, isObjOfType(e, str, ObjType.string), isNum(e, index)), () => {
        const f = toF64(e, index);
        const k = e.op(Op.i32TruncSatF64S, f);
        const whole = e.op(Op.f64Eq, e.op(Op.f64ConvertI32S, k), f);
        const inRange = e.op(Op.i32LtU, k, e.load32(addr(e, str), Str.length));
        e.if(e.op(Op.i32And, whole, inRange), () => {
          e.ret(fromF64(e, e.op(Op.f64ConvertI32U, e.load8(e.op(Op.i32Add, addr(e, str), k), Str.bytes))));
        });
      });
    },
  },
};

/** Natives that calls may reach through `native.NAME` helpers, and their arity. */
export const INTRINSIC_NATIVES: ReadonlyMap<string, number> = new Map(
  Object.entries(NATIVE_INTRINSICS).map(([name, intrinsic]) => [name, intrinsic.arity]),
);

function nativeIntrinsic(name: string): HelperSpec | undefined {
  const index = NATIVE_INDEX.get(name);
  const intrinsic = NATIVE_INTRINSICS[name];
  if (index === undefined || intrinsic === undefined) return undefined;
  const arity = intrinsic.arity;
  const params: Type[] = [val, ...new Array<Type>(arity).fill(val), i32];
  return spec(params, val, true, (e, lib) => {
    const callee = e.param(0);
    const args = e.params.slice(1, arity + 1);
    const line = e.param(arity + 1);
    const isThatNative = e.choose(isObjOfType(e, callee, ObjType.native), i32,
      () => e.op(Op.i32Eq, e.load32(addr(e, callee), Native.index), e.i32(index)), () => e.i32(0));
    e.if(isThatNative, () => intrinsic.inline(e, args));
    e.ret(e.call(lib.importFn("callSlow"), callee, storeArgs(e, args), e.i32(arity), line));
  });
}

/**
 * `callDirect.F.N`: a call of Lox function F (of N parameters) through a
 * global that only ever holds F's closure: callee, N arguments, line. When
 * the callee is a closure of F, one compare replaces the type, arity and
 * index work of `call.N`, and the call goes through F's table slot as a
 * constant (still through the table: code made at run time may replace the
 * slot's function). Anything else is the general `call.N`.
 */
function callDirect(f: number, n: number): HelperSpec {
  const params: Type[] = [val, ...new Array<Type>(n).fill(val), i32];
  return spec(params, val, true, (e, lib) => {
    const callee = e.param(0);
    const args = e.params.slice(1, n + 1);
    const line = e.param(n + 1);
    const isF = e.choose(isObjOfType(e, callee, ObjType.closure), i32,
      () => e.op(Op.i32Eq, e.load32(addr(e, callee), Closure.func), e.i32(f | (n << 24))), () => e.i32(0));
    e.if(isF, () => e.ret(e.op(Op.callLox, e.i32(f), callee, e.val(NIL_BITS), ...args)));
    e.ret(e.call(lib.helper(`call.${n}`), callee, ...args, line));
  });
}

export function helperSpec(name: string): HelperSpec | undefined {
  const fixed = FIXED[name];
  if (fixed !== undefined) return fixed;
  const direct = /^callDirect\.(\d+)\.(\d+)$/.exec(name);
  if (direct !== null) return callDirect(Number(direct[1]), Number(direct[2]));
  if (name.startsWith("native.")) return nativeIntrinsic(name.slice("native.".length));
  if (name.startsWith("test.")) {
    const kind = loxKindByName(name.slice("test.".length));
    return kind === null ? undefined : kindTest(kind);
  }
  const m = /^(call|callRest|invoke|invokeRest|superInvoke|closure|array)\.(\d+)$/.exec(name);
  if (m === null) return undefined;
  const n = Number(m[2]);
  switch (m[1]) {
    case "call": return callN(n);
    case "callRest": return callRestN(n);
    case "invoke": return invokeN(n, false);
    case "invokeRest": return invokeN(n, true);
    case "superInvoke": return superInvokeN(n);
    case "array": return n <= MAX_INLINE_ARRAY ? arrayN(n) : undefined;
    default: return closureN(n);
  }
}
