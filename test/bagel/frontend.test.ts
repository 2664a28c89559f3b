/**
 * The Bagel front end: scanning, parsing, name resolution and bytecode
 * (operands inline, constants deduplicated, lines per code index, stack
 * and local counts), the disassembly of a small function, the loader's
 * number literals, and compile errors in Lox's format with their spans.
 */
import { describe, expect, it } from "vitest";
import { compileBagel, disassemble, MAIN_FUNCTION, Op, renderBagelDiagnostic } from "../../interpreters/bagel/frontend/index.ts";
import type { BytecodeProgram } from "../../interpreters/bagel/frontend/index.ts";
import { loxNumberLiteral } from "../../interpreters/bagel/frontend/loader.ts";
import { scan } from "../../interpreters/bagel/frontend/scanner.ts";

function compiled(source: string): BytecodeProgram {
  const result = compileBagel(source);
  if (!result.ok) throw new Error(result.diagnostics.map(renderBagelDiagnostic).join("\n"));
  return result.program;
}

function errors(source: string): string[] {
  const result = compileBagel(source);
  return result.ok ? [] : result.diagnostics.map(renderBagelDiagnostic);
}

describe("Bagel scanner", () => {
  it("scans operators, keywords, numbers, strings and comments with lines and spans", () => {
    const { tokens, diagnostics } = scan('var x = 1.5; // note\nprint x <= "a\nb" % 2;');
    expect(diagnostics).toEqual([]);
    expect(tokens.map((t) => t.kind)).toEqual([
      "var", "identifier", "=", "number", ";", "print", "identifier", "<=", "string", "%", "number", ";", "eof",
    ]);
    const str = tokens[8];
    expect(str).toMatchObject({ lexeme: '"a\nb"', line: 2, start: 32, end: 37 });
    expect(tokens[12]?.line).toBe(3);
  });

  it("reports unexpected characters and unterminated strings", () => {
    expect(errors("print 1 | 2;")).toEqual(["[line 1] Error: Unexpected character.", "[line 1] Error at '2': Expect ';' after value."]);
    expect(errors('print "open;\n')).toEqual(["[line 2] Error: Unterminated string.", "[line 2] Error at end: Expect expression."]);
  });
});

describe("Bagel bytecode", () => {
  it("compiles a function with operands inline, a constant pool and a line per code index", () => {
    const program = compiled("fun add(a, b) {\n  var s = a + b;\n  return s * 2;\n}\nprint add(1, 2);\n");
    expect(program.functions.map((f) => f.name)).toEqual(["script", "add"]);
    const add = program.functions[1];
    expect(add && disassemble(add)).toBe([
      "fun add/2 locals=3 stack=2",
      "   0    2 getLocal 0",
      "   2    2 getLocal 1",
      "   4    2 add",
      "   5    2 setLocal 2",
      "   7    2 pop",
      "   8    3 getLocal 2",
      "  10    3 constant 0 (2)",
      "  12    3 multiply",
      "  13    3 return",
      "  14    4 nil",
      "  15    4 return",
      "",
    ].join("\n"));
    expect(add?.lines).toHaveLength(add?.code.length ?? -1);
    const main = program.functions[MAIN_FUNCTION];
    expect(main?.code.slice(0, 7)).toEqual([Op.constant, 0, Op.constant, 1, Op.call, 1, 2]);
    expect(main?.constants).toEqual([1, 2]);
  });

  it("deduplicates constants and keeps numbers and strings apart", () => {
    const main = compiled('print 1 + 1; print "1"; print "1";').functions[0];
    expect(main?.constants).toEqual([1, "1"]);
  });

  it("reuses the slots of finished blocks and counts the deepest stack", () => {
    const main = compiled("{ var a = 1; var b = 2; } { var c = [1, 2, 3, 4]; }").functions[0];
    expect(main?.nlocals).toBe(2);
    expect(main?.maxStack).toBe(4);
  });

  it("makes top-level variables globals and block variables locals", () => {
    const program = compiled("var g = 1; { var l = g; print l; } print h;");
    expect(program.globalNames).toEqual(["g", "h"]);
    expect(program.functions[0]?.nlocals).toBe(1);
  });

  it("compiles calls to functions declared later and builtins to their opcodes", () => {
    const main = compiled("print later(len([1]));\nfun later(x) { return x; }").functions[0];
    expect(main?.code).toContain(Op.len);
    expect(main?.code).toContain(Op.call);
  });

  it("writes constants as Lox number literals that read back exactly", () => {
    for (const n of [0, 7, 2.5, 1e21, 123456789012345680000, 1e-7, 0.1, 5e-324]) {
      const text = loxNumberLiteral(n);
      expect(text).toMatch(/^\d+(\.\d+)?$/);
      if (n >= 1e-100) expect(Number(text)).toBe(n);
    }
  });
});

describe("Bagel compile errors", () => {
  const cases: readonly [string, string, readonly string[]][] = [
    ["missing semicolon", "print 1\nprint 2;", ["[line 2] Error at 'print': Expect ';' after value."]],
    ["error at end", "print (1", ["[line 1] Error at end: Expect ')' after expression."]],
    ["bad assignment target", "1 = 2;", ["[line 1] Error at '=': Invalid assignment target."]],
    ["nested function", "fun f() {\n  fun g() {}\n}", ["[line 2] Error at 'fun': Functions can only be declared at top level."]],
    ["top-level return", "return 1;", ["[line 1] Error at 'return': Can't return from top-level code."]],
    ["duplicate local", "fun f() { var a = 1; var a = 2; }", ["[line 1] Error at 'a': Already a variable with this name in this scope."]],
    ["duplicate parameter", "fun f(a, a) {}", ["[line 1] Error at 'a': Already a variable with this name in this scope."]],
    ["own initializer", "{ var a = a; }", ["[line 1] Error at 'a': Can't read local variable in its own initializer."]],
    ["undefined function", "print g(1);", ["[line 1] Error at 'g': Undefined function 'g'."]],
    ["builtin arity", "print len(1, 2);", ["[line 1] Error at 'len': Expected 1 arguments but got 2."]],
    ["builtin redefined", "fun len(x) {}", ["[line 1] Error at 'len': Can't redefine the builtin 'len'."]],
    ["duplicate function", "fun f() {}\nfun f() {}", ["[line 2] Error at 'f': Already a function with this name."]],
    ["call through an expression", "print [1](2);", ["[line 1] Error at '(': Can only call functions by name."]],
    [
      "several errors",
      "var = 1;\nprint 2\nprint 3;",
      ["[line 1] Error at '=': Expect variable name.", "[line 3] Error at 'print': Expect ';' after value."],
    ],
  ];
  for (const [name, source, expected] of cases) {
    it(name, () => expect(errors(source)).toEqual(expected));
  }

  it("keeps the span of the offending token", () => {
    const result = compileBagel("var x = 1;\nx = x +;\n");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.diagnostics[0]).toMatchObject({ line: 2, start: 18, end: 19, message: "Expect expression." });
  });

  it("reports input nested too deeply as a compile error, not a crash", () => {
    const deep = "print " + "(".repeat(100_000) + "1" + ")".repeat(100_000) + ";";
    expect(errors(deep)).toEqual(["[line 1] Error: Program is nested too deeply."]);
  });
});
