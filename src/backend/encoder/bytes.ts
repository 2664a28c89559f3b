/**
 * Byte-level pieces of the WebAssembly binary format
 * (https://webassembly.github.io/spec/core/binary/values.html): a growable
 * byte buffer with LEB128 integers (unsigned and signed, 32-bit as numbers,
 * signed 64-bit as BigInt), little-endian f64, and length-prefixed UTF-8 names;
 * plus the matching readers (used for the line-table section and tests).
 */

const utf8 = new TextEncoder();

export class ByteWriter {
  private buf: Uint8Array;
  private size = 0;
  private readonly f64View = new DataView(new ArrayBuffer(8));

  constructor(capacity = 256) {
    this.buf = new Uint8Array(capacity);
  }

  get length(): number {
    return this.size;
  }

  private ensure(extra: number): void {
    const need = this.size + extra;
    if (need <= this.buf.length) return;
    const next = new Uint8Array(Math.max(need, this.buf.length * 2));
    next.set(this.buf.subarray(0, this.size));
    this.buf = next;
  }

  byte(b: number): void {
    this.ensure(1);
    this.buf[this.size++] = b;
  }

  bytes(bytes: ArrayLike<number>): void {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.size);
    this.size += bytes.length;
  }

  /** Unsigned LEB128 of a value in [0, 2^32). */
  u32(value: number): void {
    this.ensure(5);
    let v = value >>> 0;
    for (;;) {
      const b = v & 0x7f;
      v >>>= 7;
      if (v === 0) {
        this.buf[this.size++] = b;
        return;
      }
      this.buf[this.size++] = b | 0x80;
    }
  }

  /** Signed LEB128 of a value in [-2^31, 2^31) (larger values are taken modulo 2^32). */
  s32(value: number): void {
    this.ensure(5);
    let v = value | 0;
    for (;;) {
      const b = v & 0x7f;
      v >>= 7;
      if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) {
        this.buf[this.size++] = b;
        return;
      }
      this.buf[this.size++] = b | 0x80;
    }
  }

  /** Signed LEB128 of a 64-bit value (taken modulo 2^64 as a signed integer). */
  s64(value: bigint): void {
    const v = BigInt.asIntN(64, value);
    if (v >= -0x80000000n && v < 0x80000000n) {
      this.s32(Number(v));
      return;
    }
    // The 64 bits as two 32-bit halves shifted together: one BigInt split, not two BigInt operations per byte
    // (NaN-boxed constants, most of the i64 constants of Lox code, take ten bytes each).
    let lo = Number(BigInt.asUintN(32, v));
    let hi = Number(BigInt.asIntN(32, v >> 32n));
    this.ensure(10);
    for (;;) {
      const b = lo & 0x7f;
      lo = ((lo >>> 7) | ((hi & 0x7f) << 25)) >>> 0;
      hi >>= 7;
      if ((hi === 0 && lo === 0 && (b & 0x40) === 0) || (hi === -1 && lo === 0xffffffff && (b & 0x40) !== 0)) {
        this.buf[this.size++] = b;
        return;
      }
      this.buf[this.size++] = b | 0x80;
    }
  }

  f64(value: number): void {
    this.f64View.setFloat64(0, value, true);
    this.ensure(8);
    for (let i = 0; i < 8; i++) this.buf[this.size++] = this.f64View.getUint8(i);
  }

  /** A name: its UTF-8 length, then the bytes. */
  name(text: string): void {
    const encoded = utf8.encode(text);
    this.u32(encoded.length);
    this.bytes(encoded);
  }

  /** The bytes from `start` to the end (a view: copy before writing more). */
  view(start = 0, end = this.size): Uint8Array {
    return this.buf.subarray(start, end);
  }

  /** A copy of the contents. */
  finish(): Uint8Array {
    return this.buf.slice(0, this.size);
  }
}

/** Number of bytes of the unsigned LEB128 encoding of `value`. */
export function u32Size(value: number): number {
  let v = value >>> 0;
  let n = 1;
  while (v >= 0x80) {
    v >>>= 7;
    n++;
  }
  return n;
}

/** Reads LEB128 integers and names from a byte array. */
export class ByteReader {
  pos = 0;
  constructor(private readonly bytes: Uint8Array) {}

  get done(): boolean {
    return this.pos >= this.bytes.length;
  }

  byte(): number {
    const b = this.bytes[this.pos++];
    if (b === undefined) throw new Error("internal error: unexpected end of LEB128 data");
    return b;
  }

  u32(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = this.byte();
      result += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if ((b & 0x80) === 0) return result;
    }
  }

  s32(): number {
    return Number(this.s64());
  }

  s64(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const b = this.byte();
      result |= BigInt(b & 0x7f) << shift;
      shift += 7n;
      if ((b & 0x80) === 0) {
        if ((b & 0x40) !== 0) result -= 1n << shift;
        return BigInt.asIntN(64, result);
      }
    }
  }


}
