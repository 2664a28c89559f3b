/**
 * Number printing must match the reference's printf("%g") exactly. The
 * table pins cases checked against glibc; the property checks agreement
 * with an independent formulation (six significant digits via
 * toPrecision, then C's choice between fixed and exponent form) on values
 * that are not exact decimal ties, where rounding modes cannot differ.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatNumber } from "../../src/runtime/number-format.ts";

const TABLE: [number, string][] = [
  [0, "0"], [-0, "-0"], [1, "1"], [-1, "-1"], [123.456, "123.456"], [987654, "987654"], [-0.001, "-0.001"],
  [1000000, "1e+06"], [10000002, "1e+07"], [1234567, "1.23457e+06"], [0.0001, "0.0001"], [0.00001, "1e-05"],
  [1 / 3, "0.333333"], [2 / 3, "0.666667"], [100 / 7, "14.2857"], [1e21, "1e+21"], [1.5e-300, "1.5e-300"],
  [5e-324, "4.94066e-324"], [Number.MAX_VALUE, "1.79769e+308"], [Infinity, "inf"], [-Infinity, "-inf"], [NaN, "nan"],
  // Exact ties round to even, as glibc does.
  [1234565, "1.23456e+06"], [1234575, "1.23458e+06"], [999999.5, "1e+06"], [0.5, "0.5"], [2.5e-5, "2.5e-05"],
  [123456.5, "123456"], [123457.5, "123458"], [9999995, "1e+07"],
];

function independentG(x: number): string {
  if (x === 0) return Object.is(x, -0) ? "-0" : "0";
  const exponent = Number(x.toExponential(5).split("e")[1]);
  if (exponent < -4 || exponent >= 6) {
    const [mantissa, exp] = x.toExponential(5).split("e") as [string, string];
    const m = mantissa.includes(".") ? mantissa.replace(/0+$/, "").replace(/\.$/, "") : mantissa;
    const e = Number(exp);
    return `${m}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
  }
  const fixed = x.toFixed(Math.max(0, 5 - exponent));
  return fixed.includes(".") ? fixed.replace(/0+$/, "").replace(/\.$/, "") : fixed;
}

describe("formatNumber", () => {
  it.each(TABLE)("formats %d as %s", (value, text) => {
    expect(formatNumber(value)).toBe(text);
  });

  it("agrees with an independent %g on non-tie values", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const longer = Math.abs(x).toExponential(6);
        fc.pre(!(longer.includes("5e") && Number(longer) === Math.abs(x)));
        expect(formatNumber(x)).toBe(independentG(x));
      }),
      { numRuns: 2000 },
    );
  });
});
