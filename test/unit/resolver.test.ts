/**
 * The resolver's storage decisions: globals at the top level, frame slots
 * for locals, cells only for captured locals, upvalue chains through
 * nested functions.
 */
import { describe, expect, it } from "vitest";
import { compile, sourceFromText } from "../../src/api.ts";
import { BindingKind } from "../../src/sema/index.ts";
import type { FunctionStmt, Stmt } from "../../src/syntax/index.ts";
import { forEachChild, type Node } from "../../src/syntax/index.ts";

function front(text: string) {
  const result = compile(sourceFromText(text));
  expect(result.diagnostics).toEqual([]);
  return result;
}

/** Every `variable` node reading `name`, with its binding. */
function uses(text: string, name: string): { kind: number; index: number }[] {
  const { program, resolution } = front(text);
  const found: { kind: number; index: number }[] = [];
  const visit = (node: Node): void => {
    if (node.kind === "variable" && node.name === name) {
      found.push({ kind: resolution.bindingKind[node.id] as number, index: resolution.bindingIndex[node.id] as number });
    }
    forEachChild(node, visit);
  };
  program.body.forEach(visit);
  return found;
}

function findFunction(body: readonly Stmt[], name: string): FunctionStmt {
  let found: FunctionStmt | undefined;
  const visit = (node: Node): void => {
    if (node.kind === "function" && node.name === name) found = node;
    forEachChild(node, visit);
  };
  body.forEach(visit);
  if (found === undefined) throw new Error(`no function ${name}`);
  return found;
}

describe("resolver", () => {
  it("binds top-level variables as globals", () => {
    expect(uses("var g = 1; print g;", "g")).toEqual([{ kind: BindingKind.Global, index: 0 }]);
  });

  it("keeps uncaptured locals in plain slots after the parameters", () => {
    expect(uses("fun f(a, b) { var x = a; print x; }", "x")).toEqual([{ kind: BindingKind.Local, index: 3 }]);
    expect(uses("fun f(a, b) { var x = a; print x; }", "a")).toEqual([{ kind: BindingKind.Local, index: 1 }]);
  });

  it("puts captured locals in cells and reaches them through upvalues", () => {
    const text = "fun outer() { var n = 0; fun inner() { return n; } print n; return inner; }";
    expect(uses(text, "n")).toEqual([
      { kind: BindingKind.Upvalue, index: 0 },
      { kind: BindingKind.Cell, index: 1 },
    ]);
    const { program, resolution } = front(text);
    const inner = resolution.functions.get(findFunction(program.body, "inner"));
    expect(inner?.upvalues).toEqual([{ fromEnclosingSlot: true, index: 1 }]);
  });

  it("chains upvalues through an intermediate function", () => {
    const text = "fun a() { var v = 1; fun b() { fun c() { return v; } return c; } return b; }";
    const { program, resolution } = front(text);
    expect(resolution.functions.get(findFunction(program.body, "b"))?.upvalues).toEqual([{ fromEnclosingSlot: true, index: 1 }]);
    expect(resolution.functions.get(findFunction(program.body, "c"))?.upvalues).toEqual([{ fromEnclosingSlot: false, index: 0 }]);
  });

  it("marks captured parameters and a captured this", () => {
    const text = "class K { m(p, q) { fun f() { return this.x + q; } return f; } }";
    const { program, resolution } = front(text);
    const m = resolution.functions.get(findFunction(program.body, "m"));
    expect(m?.paramCaptured).toEqual([false, true]);
    expect(m?.thisCaptured).toBe(true);
  });

  it("reuses slots of ended blocks", () => {
    const text = "fun f() { { var a = 1; print a; } { var b = 2; print b; } }";
    expect(uses(text, "a")).toEqual([{ kind: BindingKind.Local, index: 1 }]);
    expect(uses(text, "b")).toEqual([{ kind: BindingKind.Local, index: 1 }]);
    const { program, resolution } = front(text);
    expect(resolution.functions.get(findFunction(program.body, "f"))?.slotCount).toBe(2);
  });

  it("treats unresolved names in functions as globals (late binding)", () => {
    expect(uses("fun f() { return later; } var later = 1;", "later")).toEqual([{ kind: BindingKind.Global, index: 1 }]);
  });
});

describe("error recovery like the reference", () => {
  const errors = (text: string): string[] => compile(sourceFromText(text)).diagnostics.map((d) => `${d.line}:${d.message}`);

  it("reports one error per declaration", () => {
    expect(errors("var = 1;\nprint 1 +;\n")).toEqual(["1:Expect variable name.", "2:Expect expression."]);
  });

  it("lets a scope error suppress later errors in the same declaration", () => {
    expect(errors("fun f(a, a) {\n  print 1 +;\n}\nvar x = ;\n")).toEqual([
      "1:Already a variable with this name in this scope.",
      "4:Expect expression.",
    ]);
  });

  it("orders scope errors and syntax errors by source position", () => {
    expect(errors("print 1 +;\n{ var q = 1; var q = 2; }\n")).toEqual([
      "1:Expect expression.",
      "2:Already a variable with this name in this scope.",
    ]);
  });
});
