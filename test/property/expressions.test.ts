/**
 * Random arithmetic and logic expressions: the tree engine must print what
 * a direct evaluation in TypeScript, written here from the language
 * definition, gives (value, or the runtime error message and line).
 * Expressions are printed with the fewest parentheses Lox precedence
 * allows, so precedence and associativity are exercised too.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { run, sourceFromText, StringOutput } from "../../src/api.ts";
import { formatNumber } from "../../src/runtime/number-format.ts";

type Value = number | string | boolean | null;
type Expr =
  | { kind: "lit"; value: Value }
  | { kind: "unary"; op: "-" | "!"; operand: Expr }
  | { kind: "binary"; op: string; left: Expr; right: Expr };

const PRECEDENCE: Record<string, number> = {
  or: 2, and: 3, "==": 4, "!=": 4, "<": 5, "<=": 5, ">": 5, ">=": 5, "+": 6, "-": 6, "*": 7, "/": 7, "%": 7,
};
const UNARY_PRECEDENCE = 8;

const literal: fc.Arbitrary<Expr> = fc.oneof(
  fc.integer({ min: 0, max: 50 }).map((n) => ({ kind: "lit", value: n }) as Expr),
  fc.integer({ min: 0, max: 999 }).map((n) => ({ kind: "lit", value: n / 8 }) as Expr),
  fc.constantFrom("a", "bc", "").map((s) => ({ kind: "lit", value: s }) as Expr),
  fc.constantFrom(true, false, null).map((v) => ({ kind: "lit", value: v }) as Expr),
);

const expr: fc.Arbitrary<Expr> = fc.letrec<{ e: Expr }>((tie) => ({
  e: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    literal,
    fc.record({ kind: fc.constant("unary" as const), op: fc.constantFrom("-" as const, "!" as const), operand: tie("e") }),
    fc.record({
      kind: fc.constant("binary" as const),
      op: fc.constantFrom(...Object.keys(PRECEDENCE)),
      left: tie("e"),
      right: tie("e"),
    }),
  ),
})).e;

function precedenceOf(e: Expr): number {
  return e.kind === "lit" ? 10 : e.kind === "unary" ? UNARY_PRECEDENCE : (PRECEDENCE[e.op] as number);
}

function render(e: Expr): string {
  switch (e.kind) {
    case "lit":
      return typeof e.value === "string" ? `"${e.value}"` : e.value === null ? "nil" : String(e.value);
    case "unary": {
      const inner = render(e.operand);
      return e.op + (precedenceOf(e.operand) < UNARY_PRECEDENCE || inner.startsWith("-") ? `(${inner})` : inner);
    }
    case "binary": {
      const p = PRECEDENCE[e.op] as number;
      const left = precedenceOf(e.left) < p ? `(${render(e.left)})` : render(e.left);
      const right = precedenceOf(e.right) <= p ? `(${render(e.right)})` : render(e.right);
      return `${left} ${e.op} ${right}`;
    }
  }
}

class LoxError {
  constructor(readonly message: string) {}
}

const truthy = (v: Value): boolean => v !== null && v !== false;

function evaluate(e: Expr): Value {
  switch (e.kind) {
    case "lit":
      return e.value;
    case "unary": {
      const v = evaluate(e.operand);
      if (e.op === "!") return !truthy(v);
      if (typeof v !== "number") throw new LoxError("Operand must be a number.");
      return -v;
    }
    case "binary": {
      if (e.op === "and" || e.op === "or") {
        const left = evaluate(e.left);
        if (e.op === "and" ? !truthy(left) : truthy(left)) return left;
        return evaluate(e.right);
      }
      const a = evaluate(e.left);
      const b = evaluate(e.right);
      if (e.op === "==") return a === b;
      if (e.op === "!=") return a !== b;
      if (e.op === "+") {
        if (typeof a === "number" && typeof b === "number") return a + b;
        if (typeof a === "string" && typeof b === "string") return a + b;
        throw new LoxError("Operands must be two numbers or two strings.");
      }
      if (typeof a !== "number" || typeof b !== "number") throw new LoxError("Operands must be numbers.");
      switch (e.op) {
        case "-": return a - b;
        case "*": return a * b;
        case "/": return a / b;
        case "%": return a % b;
        case "<": return a < b;
        case "<=": return a <= b;
        case ">": return a > b;
        default: return a >= b;
      }
    }
  }
}

function show(v: Value): string {
  return v === null ? "nil" : typeof v === "number" ? formatNumber(v) : String(v);
}

describe("random expressions on the tree engine", () => {
  it("print what direct evaluation gives", () => {
    fc.assert(
      fc.property(fc.array(expr, { minLength: 1, maxLength: 4 }), (exprs) => {
        const source = exprs.map((e) => `print ${render(e)};`).join("\n") + "\n";
        let expectedOut = "";
        let expectedErr = "";
        for (let i = 0; i < exprs.length; i++) {
          try {
            expectedOut += show(evaluate(exprs[i] as Expr)) + "\n";
          } catch (err) {
            if (!(err instanceof LoxError)) throw err;
            expectedErr = `${err.message}\n[line ${i + 1}] in script\n`;
            break;
          }
        }
        const stdout = new StringOutput();
        let stderr = "";
        const code = run(sourceFromText(source), { stdout, stderr: (t) => (stderr += t) });
        expect({ stdout: stdout.text, stderr, code }).toEqual({
          stdout: expectedOut, stderr: expectedErr, code: expectedErr === "" ? 0 : 70,
        });
      }),
      { numRuns: 400 },
    );
  });
});
