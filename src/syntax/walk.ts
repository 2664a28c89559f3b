/**
 * Generic traversal of the AST: the children of a node, in source order.
 * Passes that only care about a few node kinds use this instead of writing
 * a full visitor.
 */
import type { Expr, Stmt } from "./ast.ts";
import { assertNever } from "../support/assert.ts";

export type Node = Expr | Stmt;

/** Calls `visit` on each direct child of `node`, in source order. */
export function forEachChild(node: Node, visit: (child: Node) => void): void {
  switch (node.kind) {
    case "literal": case "variable": case "this": case "superGet": case "error":
      return;
    case "assign": visit(node.value); return;
    case "unary": visit(node.operand); return;
    case "binary": case "logical": visit(node.left); visit(node.right); return;
    case "call": visit(node.callee); node.args.forEach(visit); return;
    case "get": visit(node.object); return;
    case "set": visit(node.object); visit(node.value); return;
    case "invoke": visit(node.object); node.args.forEach(visit); return;
    case "superInvoke": node.args.forEach(visit); return;
    case "array": node.elements.forEach(visit); return;
    case "indexGet": visit(node.object); visit(node.index); return;
    case "indexSet": visit(node.object); visit(node.index); visit(node.value); return;
    case "expression": case "print": visit(node.expr); return;
    case "var": if (node.initializer !== null) visit(node.initializer); return;
    case "block": node.body.forEach(visit); return;
    case "if":
      visit(node.condition); visit(node.thenBranch);
      if (node.elseBranch !== null) visit(node.elseBranch);
      return;
    case "while": visit(node.condition); visit(node.body); return;
    case "for":
      if (node.initializer !== null) visit(node.initializer);
      if (node.condition !== null) visit(node.condition);
      if (node.increment !== null) visit(node.increment);
      visit(node.body);
      return;
    case "function": node.body.forEach(visit); return;
    case "return": if (node.value !== null) visit(node.value); return;
    case "class": if (node.superclass !== null) visit(node.superclass); node.methods.forEach(visit); return;
    default: assertNever(node, "node");
  }
}

/**
 * Visits every node below `root` (not `root` itself) without entering nested
 * functions and classes; `visit` gets each node and whether it sits inside a
 * loop body or condition of the walked function.
 */
export function walkFunctionBody(
  body: readonly Stmt[], visit: (node: Node, inLoop: boolean) => void,
): void {
  const walk = (node: Node, inLoop: boolean): void => {
    visit(node, inLoop);
    if (node.kind === "function" || node.kind === "class") return;
    const childInLoop = inLoop || node.kind === "while" || node.kind === "for";
    forEachChild(node, (child) => walk(child, childInLoop));
  };
  for (const stmt of body) walk(stmt, false);
}
