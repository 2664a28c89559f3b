/**
 * Robustness of the front end: arbitrary bytes, and token soup built from
 * Lox's own vocabulary (much likelier to reach deep parser states), either
 * compile or produce diagnostics in the reference's format; the front end
 * never throws.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compile } from "../../src/api.ts";
import { renderDiagnostic } from "../../src/syntax/index.ts";

const VOCABULARY = [
  "(", ")", "{", "}", "[", "]", ",", ".", "-", "+", ";", "/", "*", "%", "@", "!", "!=", "=", "==", ">", ">=",
  "<", "<=", "and", "class", "else", "false", "for", "fun", "if", "nil", "or", "print", "return", "super",
  "this", "true", "var", "while", "x", "y", "init", "A", "B", "specialize", "context", "pure", "readonly",
  "1", "2.5", "\"s\"", "\"open", "// c\n", "\n", "#", "|", "é",
];

const DIAGNOSTIC_LINE = /^\[line \d+\] Error( at ('.*'|end))?: .+$/s;

function checkFrontEnd(source: string): void {
  const { diagnostics } = compile(source);
  for (const d of diagnostics) {
    expect(d.line).toBeGreaterThanOrEqual(1);
    expect(renderDiagnostic(d)).toMatch(DIAGNOSTIC_LINE);
  }
}

describe("front end on random input", () => {
  it("never throws on arbitrary bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        checkFrontEnd(Buffer.from(bytes).toString("latin1"));
      }),
      { numRuns: 500 },
    );
  });

  it("never throws on token soup", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...VOCABULARY), { maxLength: 120 }), (tokens) => {
        checkFrontEnd(tokens.join(" "));
      }),
      { numRuns: 1500 },
    );
  });
});
