/**
 * The purity proof behind `@pure`: a conservative syntactic check that a
 * function's body has no side effect a caller could observe and reads
 * nothing that can change, so its result depends only on its arguments.
 * What it proves is what the partial evaluator relies on when it evaluates
 * a pure call with constant arguments, or merges two calls on the same
 * arguments.
 *
 * Rejected, each with a diagnostic at the offending token:
 * - `print` (output);
 * - assigning a variable that is not a local of the function (a global, or
 *   a variable of an enclosing function);
 * - writing a field (`a.f = x`), or an element of an array the function did
 *   not allocate itself (`a[i] = x`, `push`, `pop`, `freeze`), where "allocated
 *   itself" means a local declared as `array(...)` or `[...]` and never
 *   assigned;
 * - reading a global variable that can change (any global but a function
 *   declared once at top level and never assigned, or a native);
 * - calling anything but a top-level `@pure` function, a native without
 *   effects, or the function itself (methods, `super`, closures held in
 *   variables, `clock`);
 * - declaring a function or class inside (closures capture state).
 * Reading fields or elements of arguments is allowed: the caller's heap
 * is the caller's business (the partial evaluator merges only calls whose
 * callee reads no heap at all).
 *
 * Scoping follows Lox: parameters and `var`s are visible from their
 * declaration to the end of their block. Errors (`error(...)`, failed
 * arithmetic) and non-termination are not effects here: a pure call may
 * raise the same error every time.
 */
import type { Anchor, Expr, FunctionStmt, Stmt } from "../src/syntax/ast.ts";
import { NATIVE_SPECS } from "../src/runtime/native-specs.ts";
import { assertNever } from "../src/support/assert.ts";
import { forEachChild } from "../src/syntax/walk.ts";
import type { ProgramFacts, Report } from "./plugin.ts";

/** Natives whose result depends only on their arguments and that change nothing. */
const PURE_NATIVES: ReadonlySet<string> = new Set([
  "len", "array", "floor", "band", "bor", "bxor", "shl", "shr", "substring", "charCode", "fromCharCode",
  "parseNumber", "toString", "error", "isNumber", "isString", "isArray",
]);
/** Natives that change their first argument, an array: allowed on arrays the function allocated. */
const MUTATING_NATIVES: ReadonlySet<string> = new Set(["push", "pop", "freeze"]);
const NATIVE_NAMES: ReadonlySet<string> = new Set(NATIVE_SPECS.map((s) => s.name));

interface Local {
  /** Declared as `array(...)` or `[...]`. */
  readonly fresh: boolean;
  readonly assigned: boolean;
}

export function checkPurity(decl: FunctionStmt, program: ProgramFacts, report: Report): void {
  const source = program.source;
  /** A span of source text reported as if at `token` (its line, its place on the parser's clock). */
  const spanAt = (start: number, end: number, token: Anchor): Anchor => ({ start, end, line: token.line, seq: token.seq });
  const fail = (anchor: Anchor, id: Parameters<Report>[1], args: readonly string[]): void => {
    report(anchor, id, [decl.name, ...args]);
  };

  // Locals, innermost scope last; first pass finds which are ever assigned.
  const scopes: Map<string, Local>[] = [new Map(decl.params.map((p) => [p.name, { fresh: false, assigned: false }]))];
  const lookup = (name: string): Local | null => {
    for (let i = scopes.length - 1; i >= 0; i--) {
      const local = (scopes[i] as Map<string, Local>).get(name);
      if (local !== undefined) return local;
    }
    return null;
  };
  const isFreshArray = (e: Expr): boolean => {
    if (e.kind !== "variable") return false;
    const local = lookup(e.name);
    return local !== null && local.fresh && !local.assigned;
  };
  // A local that some assignment in its scope writes is not known to stay the array it was declared as.
  const assignedNames = new Set<string>();
  const collectAssigned = (node: Stmt | Expr): void => {
    if (node.kind === "assign") assignedNames.add(node.name);
    if (node.kind === "function" || node.kind === "class") return;
    forEachChild(node, collectAssigned);
  };
  decl.body.forEach(collectAssigned);

  const globalCallee = (name: string, anchor: Anchor): void => {
    if (name === decl.name && program.topLevelFunctions.get(name) === decl && !program.unstableNames.has(name)) return;
    const target = program.topLevelFunctions.get(name);
    if (target !== undefined && !program.unstableNames.has(name)) {
      if (!target.annotations.some((a) => a.name === "pure")) fail(anchor, "pure-impure-call", [name]);
      return;
    }
    if (!program.globalNames.has(name) && NATIVE_NAMES.has(name)) {
      if (!PURE_NATIVES.has(name)) fail(anchor, "pure-impure-call", [name]);
      return;
    }
    fail(anchor, "pure-global-read", [name]);
  };
  const readGlobal = (name: string, anchor: Anchor): void => {
    const fn = program.topLevelFunctions.get(name);
    if (fn !== undefined && !program.unstableNames.has(name)) return;
    if (!program.globalNames.has(name) && NATIVE_NAMES.has(name)) return;
    fail(anchor, "pure-global-read", [name]);
  };

  const expr = (e: Expr): void => {
    switch (e.kind) {
      case "literal": case "error": return;
      case "variable":
        if (lookup(e.name) === null) readGlobal(e.name, e.anchor);
        return;
      case "this": return;
      case "assign":
        expr(e.value);
        if (lookup(e.name) === null) fail(e.anchor, "pure-assigns-nonlocal", [e.name]);
        return;
      case "unary": expr(e.operand); return;
      case "binary": case "logical": expr(e.left); expr(e.right); return;
      case "call": {
        e.args.forEach(expr);
        if (e.callee.kind === "variable" && lookup(e.callee.name) === null) {
          const name = e.callee.name;
          if (MUTATING_NATIVES.has(name) && !program.globalNames.has(name)) {
            const first = e.args[0];
            if (first === undefined || !isFreshArray(first)) {
              fail(e.callee.anchor, "pure-mutates-array", [first === undefined ? name : source.slice(first.start, first.end)]);
            }
            return;
          }
          globalCallee(name, e.callee.anchor);
          return;
        }
        expr(e.callee);
        fail(spanAt(e.callee.start, e.callee.end, e.paren), "pure-unknown-call", [source.slice(e.callee.start, e.callee.end)]);
        return;
      }
      case "get": expr(e.object); return;
      case "set": {
        expr(e.object); expr(e.value);
        fail(e.nameAnchor, "pure-writes-field", [e.name]);
        return;
      }
      case "invoke": {
        expr(e.object); e.args.forEach(expr);
        fail(e.nameAnchor, "pure-unknown-call", [source.slice(e.start, e.nameAnchor.end)]);
        return;
      }
      case "superGet": return;
      case "superInvoke": e.args.forEach(expr);
        fail(e.anchor, "pure-unknown-call", [`super.${e.name}`]);
        return;
      case "array": e.elements.forEach(expr); return;
      case "indexGet": expr(e.object); expr(e.index); return;
      case "indexSet":
        expr(e.object); expr(e.index); expr(e.value);
        if (!isFreshArray(e.object)) {
          fail(spanAt(e.object.start, e.index.end + 1, e.bracket), "pure-mutates-array", [source.slice(e.object.start, e.index.end + 1)]);
        }
        return;
      default: assertNever(e, "expression");
    }
  };

  const stmt = (s: Stmt): void => {
    switch (s.kind) {
      case "expression": expr(s.expr); return;
      case "print": fail(s.keyword, "pure-prints", []); expr(s.expr); return;
      case "var": {
        if (s.initializer !== null) expr(s.initializer);
        const init = s.initializer;
        const fresh = init !== null && (init.kind === "array"
          || (init.kind === "call" && init.callee.kind === "variable" && init.callee.name === "array"
            && lookup("array") === null && !program.globalNames.has("array")));
        (scopes[scopes.length - 1] as Map<string, Local>).set(s.name, { fresh, assigned: assignedNames.has(s.name) });
        return;
      }
      case "block": scoped(() => s.body.forEach(stmt)); return;
      case "if": expr(s.condition); stmt(s.thenBranch); if (s.elseBranch !== null) stmt(s.elseBranch); return;
      case "while": expr(s.condition); stmt(s.body); return;
      case "for":
        scoped(() => {
          if (s.initializer !== null) stmt(s.initializer);
          if (s.condition !== null) expr(s.condition);
          if (s.increment !== null) expr(s.increment);
          stmt(s.body);
        });
        return;
      case "return": if (s.value !== null) expr(s.value); return;
      case "function": case "class":
        (scopes[scopes.length - 1] as Map<string, Local>).set(s.name, { fresh: false, assigned: true });
        fail(s.anchor, "pure-declares-closure", [s.name]);
        return;
      default: assertNever(s, "statement");
    }
  };
  const scoped = (body: () => void): void => {
    scopes.push(new Map());
    body();
    scopes.pop();
  };
  scoped(() => decl.body.forEach(stmt));
}
