/**
 * Lox number printing, identical to the reference C implementation, which
 * prints numbers with `printf("%g")`: six significant digits, trailing zeros
 * removed, exponent form when the exponent is below -4 or at least 6
 * (ISO C 7.21.6.1). glibc rounds the exact binary value to nearest, ties to
 * even; JavaScript's `toExponential` breaks exact ties upward, so exact ties
 * are detected (with BigInt arithmetic, rarely) and corrected.
 *
 * Every engine prints numbers through this function.
 */

const PRECISION = 6;

export function formatNumber(value: number): string {
  if (value !== value) return "nan";
  if (value === Infinity) return "inf";
  if (value === -Infinity) return "-inf";
  if (value === 0) return Object.is(value, -0) ? "-0" : "0";
  // Fast path for small integers, by far the most common case.
  if (Number.isInteger(value) && value > -1e6 && value < 1e6) return String(value);
  const sign = value < 0 ? "-" : "";
  const [digits, exponent] = roundToDigits(Math.abs(value));
  if (exponent < -4 || exponent >= PRECISION) {
    const mantissa = stripZeros(digits[0] + "." + digits.slice(1));
    const expSign = exponent < 0 ? "-" : "+";
    const expDigits = String(Math.abs(exponent)).padStart(2, "0");
    return `${sign}${mantissa}e${expSign}${expDigits}`;
  }
  let text: string;
  if (exponent >= 0) text = digits.slice(0, exponent + 1) + "." + digits.slice(exponent + 1);
  else text = "0." + "0".repeat(-exponent - 1) + digits;
  return sign + stripZeros(text);
}

function stripZeros(text: string): string {
  if (!text.includes(".")) return text;
  let end = text.length;
  while (text.charCodeAt(end - 1) === 48) end--;
  if (text.charCodeAt(end - 1) === 46) end--;
  return text.slice(0, end);
}

/** `x > 0` rounded to PRECISION significant digits, ties to even: [digits, decimal exponent]. */
function roundToDigits(x: number): [string, number] {
  const text = x.toExponential(PRECISION - 1);
  const ePos = text.indexOf("e");
  let digits = text[0] + text.slice(2, ePos);
  let exponent = Number(text.slice(ePos + 1));
  const last = digits.charCodeAt(digits.length - 1) - 48;
  if (last % 2 === 1 && isExactTieRoundedUp(x, digits, exponent)) {
    // Round down to the even neighbour instead. The last digit is odd, so
    // decrementing never borrows into a carry that changes the exponent.
    digits = digits.slice(0, -1) + String(last - 1);
  }
  return [digits, exponent];
}

/**
 * Whether x lies exactly halfway between (digits - 1) and digits, in units
 * of 10^(exponent - PRECISION + 1), i.e. toExponential broke a tie upward.
 */
function isExactTieRoundedUp(x: number, digits: string, exponent: number): boolean {
  const longer = x.toExponential(PRECISION);
  if (longer[longer.indexOf("e") - 1] !== "5" || Number(longer) !== x) return false;
  // x == (2n - 1) / 2 * 10^q exactly?  With x = m * 2^k: compare m * 2^(k+1) and (2n - 1) * 10^q.
  const n = BigInt(digits);
  const q = exponent - (PRECISION - 1);
  const [m, k] = decompose(x);
  let lhs = m;
  let rhs = 2n * n - 1n;
  if (k + 1 >= 0) lhs <<= BigInt(k + 1);
  else rhs <<= BigInt(-(k + 1));
  if (q >= 0) rhs *= 10n ** BigInt(q);
  else lhs *= 10n ** BigInt(-q);
  return lhs === rhs;
}

/** Splits a finite positive double into an integer mantissa and a power of two. */
function decompose(x: number): [bigint, number] {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  const fraction = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (biased === 0) return [fraction, -1074];
  return [fraction | (1n << 52n), biased - 1075];
}
