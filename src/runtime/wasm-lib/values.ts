/**
 * NaN-boxing in machine-level IR: the instruction sequences that test,
 * unbox and box Lox values (layout.ts), emitted inline by the runtime
 * library's helpers.
 */
import { type Emitter, Op, Type, type Value } from "../../ir/index.ts";
import { FALSE_BITS, NIL_BITS, OBJECT_TAG_BITS, QNAN_HI, TRUE_BITS } from "../layout.ts";

const QNAN_BITS = BigInt(QNAN_HI) << 32n;
const TAG_MASK = 0xfffc000000000000n;

export function bits(e: Emitter, v: Value): Value {
  return e.op(Op.valBits, v);
}

/** i32: is `v` a number? (its quiet-NaN tag bits are not all set) */
export function isNum(e: Emitter, v: Value): Value {
  return e.op(Op.i64Ne, e.op(Op.i64And, bits(e, v), e.i64(QNAN_BITS)), e.i64(QNAN_BITS));
}

/** i32: is `v` an object reference? */
export function isObj(e: Emitter, v: Value): Value {
  return e.op(Op.i64Eq, e.op(Op.i64And, bits(e, v), e.i64(BigInt.asIntN(64, TAG_MASK))), e.i64(BigInt.asIntN(64, OBJECT_TAG_BITS)));
}

/** i32: the address of an object reference. */
export function addr(e: Emitter, v: Value): Value {
  return e.op(Op.i32WrapI64, bits(e, v));
}

/** val: the object reference to an address. */
export function box(e: Emitter, address: Value): Value {
  return e.op(Op.valFromBits, e.op(Op.i64Or, e.op(Op.i64ExtendI32U, address), e.i64(BigInt.asIntN(64, OBJECT_TAG_BITS))));
}

/** f64: the number in `v` (assumes it is one). */
export function toF64(e: Emitter, v: Value): Value {
  return e.op(Op.f64ReinterpretI64, bits(e, v));
}

/** val: a number. */
export function fromF64(e: Emitter, f: Value): Value {
  return e.op(Op.valFromBits, e.op(Op.i64ReinterpretF64, f));
}

/** val: true or false from an i32 condition. */
export function fromBool(e: Emitter, c: Value): Value {
  return e.select(c, e.val(TRUE_BITS), e.val(FALSE_BITS));
}

/** i32: is `v` truthy (neither nil nor false)? */
export function truthy(e: Emitter, v: Value): Value {
  const b = bits(e, v);
  return e.op(Op.i32And, e.op(Op.i64Ne, b, e.i64(NIL_BITS)), e.op(Op.i64Ne, b, e.i64(FALSE_BITS)));
}

/** i32: is `v` an object of type `type`? Safe on any value. */
export function isObjOfType(e: Emitter, v: Value, type: number): Value {
  return e.choose(isObj(e, v), Type.i32, () => e.op(Op.i32Eq, e.load8(addr(e, v)), e.i32(type)), () => e.i32(0));
}
