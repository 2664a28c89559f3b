/**
 * Conversions between a value's 64 bits (what compiled code and its imports
 * exchange, as a BigInt) and the JavaScript-side `RtVal` of heap.ts.
 */
import type { RtVal } from "./heap.ts";
import { FALSE_BITS, NIL_BITS, OBJECT_TAG_BITS, TRUE_BITS, UNDEFINED_BITS } from "./layout.ts";

const scratch = new DataView(new ArrayBuffer(8));
/** The top 16 bits of a tagged (non-number) value, and of an object reference. */
const QNAN_TAG = 0x7ffc;
const OBJECT_TAG = 0xfffc;

/**
 * The value of 64 bits. The bits are split into 32-bit halves through a
 * DataView rather than with BigInt arithmetic, which allocates an
 * intermediate BigInt per step (this runs on every call into the runtime).
 */
export function bitsToVal(bits: bigint): RtVal {
  scratch.setBigInt64(0, bits);
  const top = scratch.getUint32(0) >>> 16;
  if ((top & QNAN_TAG) !== QNAN_TAG) return scratch.getFloat64(0);
  const lo = scratch.getUint32(4);
  if (top === OBJECT_TAG) return BigInt(lo);
  switch (lo) {
    case 1: return null;
    case 2: return false;
    case 3: return true;
    case 4: return undefined;
    default: throw new Error(`internal error: bad value bits ${BigInt.asUintN(64, bits).toString(16)}`);
  }
}

export function valToBits(v: RtVal): bigint {
  if (typeof v === "number") {
    scratch.setFloat64(0, v);
    return scratch.getBigInt64(0);
  }
  if (typeof v === "bigint") return BigInt.asIntN(64, OBJECT_TAG_BITS | v);
  if (v === null) return NIL_BITS;
  if (v === true) return TRUE_BITS;
  if (v === false) return FALSE_BITS;
  return UNDEFINED_BITS;
}
