/**
 * `@monomorphize(param)`: compile one version of the function per kind of
 * Lox value of the parameter that its body tests, dispatching on entry;
 * where the kind is known at a call, the call goes to the version
 * directly (src/passes/monomorphize.ts).
 *
 * Checked here: written on a function or method, exactly one argument, it
 * is a parameter name, the function is not also `@specialize` (that makes
 * one version per constant already), and the body tests the parameter's
 * type (`isNumber(p)`, `isString(p)`, `isArray(p)`, `p == nil`,
 * `p == true`, `p == false`) or computes with it (`-`, `*`, `/`, `%`,
 * comparisons), since a version is only different
 * code where such a test or check folds.
 */
import type { Expr } from "../src/syntax/ast.ts";
import { walkFunctionBody } from "../src/syntax/walk.ts";
import { type AnnotationPlugin, checkParameters, nameArguments } from "./plugin.ts";

const TYPE_TESTS: ReadonlySet<string> = new Set(["isNumber", "isString", "isArray"]);
const NUMBER_OPERATORS: ReadonlySet<string> = new Set(["-", "*", "/", "%", "<", "<=", ">", ">="]);
/** `nil`, `true`, `false`: comparing with one tests the kind. */
const isUnitLiteral = (e: Expr): boolean => e.kind === "literal" && (e.value === null || typeof e.value === "boolean");

export const monomorphize: AnnotationPlugin = {
  name: "monomorphize",
  syntax: "@monomorphize(param)",
  summary: "one compiled version per kind of value of the named parameter that the body tests",
  targets: ["function", "method"],
  check(annotation, site, report) {
    if (site.target === "class") return;
    const names = nameArguments(annotation, 1, 1, "exactly one parameter name", report);
    if (names === null || !checkParameters(annotation, site.decl, names, report)) return;
    const decl = site.decl;
    if (decl.annotations.some((a) => a.name === "specialize")) {
      report(annotation.anchor, "annotation-monomorphize-specialize", [decl.name]);
      return;
    }
    const target = (names[0] as { name: string; anchor: typeof annotation.anchor });
    const isParam = (e: Expr): boolean => e.kind === "variable" && e.name === target.name;
    let used = false;
    walkFunctionBody(decl.body, (node) => {
      if (node.kind === "call" && node.callee.kind === "variable" && TYPE_TESTS.has(node.callee.name)) {
        if (node.args.length === 1 && isParam(node.args[0] as Expr)) used = true;
      } else if (node.kind === "binary" && NUMBER_OPERATORS.has(node.op)) {
        if (isParam(node.left) || isParam(node.right)) used = true;
      } else if (node.kind === "binary" && (node.op === "==" || node.op === "!=")) {
        if ((isParam(node.left) && isUnitLiteral(node.right)) || (isParam(node.right) && isUnitLiteral(node.left))) used = true;
      } else if (node.kind === "unary" && node.op === "-" && isParam(node.operand)) {
        used = true;
      }
    });
    if (!used) report(target.anchor, "annotation-monomorphize-untested", [target.name, decl.name]);
  },
};
