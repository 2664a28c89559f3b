/**
 * The resolver: binds every variable reference to its storage (see
 * `resolution.ts`) and reports the reference implementation's static scope
 * errors. It runs on the parser's tree even when that tree has syntax
 * errors, because the reference reports both kinds together; the caller
 * merges them (`src/syntax/recovery.ts`).
 *
 * The scope rules are those of the reference C compiler (Nystrom, "Crafting
 * Interpreters", ch. 22 "Local Variables", ch. 25 "Closures"): a local is
 * declared uninitialized, marked initialized after its initializer, and
 * upvalues are resolved by walking enclosing functions, deduplicated.
 */
import type { Anchor, ClassStmt, Expr, FunctionKind, FunctionStmt, Program, Stmt } from "../syntax/ast.ts";
import { type Diagnostic, type DiagnosticId, DIAGNOSTICS, formatMessage } from "../syntax/diagnostics.ts";
import { afterToken } from "../syntax/recovery.ts";
import { assertNever } from "../support/assert.ts";
import { BindingKind, type FunctionScope, type Resolution, type Upvalue } from "./resolution.ts";

interface Local {
  readonly name: string;
  /** Scope depth, or -1 while the variable's initializer is being resolved. */
  depth: number;
  readonly slot: number;
  captured: boolean;
}

/** One function being resolved (the reference's `Compiler`). */
class FunctionState {
  readonly locals: Local[] = [];
  readonly upvalues: Upvalue[] = [];
  scopeDepth = 0;
  maxSlots = 1;
  /** Node ids whose binding is a slot of this function, patched to Cell if the slot's local is captured. */
  readonly slotUses: { nodeId: number; local: Local; extra: boolean }[] = [];

  constructor(
    readonly enclosing: FunctionState | null,
    readonly kind: FunctionKind | "script",
    readonly name: string,
  ) {
    // Slot 0: `this` in methods and initializers, unnamed otherwise.
    this.locals.push({ name: kind === "method" || kind === "initializer" ? "this" : "", depth: 0, slot: 0, captured: false });
  }

  addLocal(name: string): Local {
    const local: Local = { name, depth: -1, slot: this.locals.length, captured: false };
    this.locals.push(local);
    if (this.locals.length > this.maxSlots) this.maxSlots = this.locals.length;
    return local;
  }
}

interface ClassState {
  readonly enclosing: ClassState | null;
  hasSuperclass: boolean;
}

export interface ResolveResult {
  readonly resolution: Resolution;
  readonly diagnostics: readonly Diagnostic[];
}

export function resolve(program: Program): ResolveResult {
  return new Resolver(program).run();
}

class Resolver {
  private fn: FunctionState;
  private currentClass: ClassState | null = null;
  private readonly diagnostics: Diagnostic[] = [];
  private readonly bindingKind: Uint8Array;
  private readonly bindingIndex: Int32Array;
  private readonly extraKind: Uint8Array;
  private readonly extraIndex: Int32Array;
  private readonly functions = new Map<FunctionStmt, FunctionScope>();
  private readonly globalIds = new Map<string, number>();
  private readonly globalNames: string[] = [];

  constructor(private readonly program: Program) {
    const n = program.nodeCount;
    this.bindingKind = new Uint8Array(n);
    this.bindingIndex = new Int32Array(n);
    this.extraKind = new Uint8Array(n);
    this.extraIndex = new Int32Array(n);
    this.fn = new FunctionState(null, "script", "script");
  }

  run(): ResolveResult {
    for (const stmt of this.program.body) this.statement(stmt);
    const script = this.finishFunction(this.fn, []);
    return {
      resolution: {
        bindingKind: this.bindingKind,
        bindingIndex: this.bindingIndex,
        extraKind: this.extraKind,
        extraIndex: this.extraIndex,
        functions: this.functions,
        script,
        globalNames: this.globalNames,
      },
      diagnostics: this.diagnostics,
    };
  }

  private error(anchor: Anchor, id: DiagnosticId): void {
    this.diagnostics.push({
      id, code: DIAGNOSTICS[id].code, message: formatMessage(id), line: anchor.line,
      site: { kind: "lexeme", text: this.program.source.slice(anchor.start, anchor.end) },
      start: anchor.start, end: anchor.end, seq: afterToken(anchor.seq),
    });
  }

  // ---- bindings ----

  private globalId(name: string): number {
    let id = this.globalIds.get(name);
    if (id === undefined) {
      id = this.globalNames.length;
      this.globalNames.push(name);
      this.globalIds.set(name, id);
    }
    return id;
  }

  private bindLocal(nodeId: number, local: Local, extra = false): void {
    this.fn.slotUses.push({ nodeId, local, extra });
    this.setBinding(nodeId, BindingKind.Local, local.slot, extra);
  }

  private setBinding(nodeId: number, kind: BindingKind, index: number, extra: boolean): void {
    if (extra) {
      this.extraKind[nodeId] = kind;
      this.extraIndex[nodeId] = index;
    } else {
      this.bindingKind[nodeId] = kind;
      this.bindingIndex[nodeId] = index;
    }
  }

  /** Declares a variable in the current scope (nothing for globals). */
  private declare(name: string, anchor: Anchor): Local | null {
    const fn = this.fn;
    if (fn.scopeDepth === 0) return null;
    for (let i = fn.locals.length - 1; i >= 0; i--) {
      const local = fn.locals[i] as Local;
      if (local.depth !== -1 && local.depth < fn.scopeDepth) break;
      if (local.name === name) this.error(anchor, "duplicate-local");
    }
    return fn.addLocal(name);
  }

  private markInitialized(local: Local | null): void {
    if (local !== null) local.depth = this.fn.scopeDepth;
  }

  /** Records where a declaration's variable lives. */
  private bindDeclaration(nodeId: number, name: string, local: Local | null): void {
    if (local === null) this.setBinding(nodeId, BindingKind.Global, this.globalId(name), false);
    else this.bindLocal(nodeId, local);
  }

  private resolveLocal(fn: FunctionState, name: string, anchor: Anchor | null): Local | null {
    for (let i = fn.locals.length - 1; i >= 0; i--) {
      const local = fn.locals[i] as Local;
      if (local.name === name) {
        if (local.depth === -1 && anchor !== null) this.error(anchor, "read-local-in-own-initializer");
        return local;
      }
    }
    return null;
  }

  private resolveUpvalue(fn: FunctionState, name: string, anchor: Anchor | null): number {
    const enclosing = fn.enclosing;
    if (enclosing === null) return -1;
    const local = this.resolveLocal(enclosing, name, anchor);
    if (local !== null) {
      local.captured = true;
      return this.addUpvalue(fn, true, local.slot);
    }
    const upvalue = this.resolveUpvalue(enclosing, name, anchor);
    if (upvalue !== -1) return this.addUpvalue(fn, false, upvalue);
    return -1;
  }

  private addUpvalue(fn: FunctionState, fromEnclosingSlot: boolean, index: number): number {
    const existing = fn.upvalues.findIndex((u) => u.fromEnclosingSlot === fromEnclosingSlot && u.index === index);
    if (existing !== -1) return existing;
    fn.upvalues.push({ fromEnclosingSlot, index });
    return fn.upvalues.length - 1;
  }

  /** Binds a use of `name` (the reference's `namedVariable`). */
  private bindUse(nodeId: number, name: string, anchor: Anchor | null, extra = false): void {
    const local = this.resolveLocal(this.fn, name, anchor);
    if (local !== null) {
      this.bindLocal(nodeId, local, extra);
      return;
    }
    const upvalue = this.resolveUpvalue(this.fn, name, anchor);
    if (upvalue !== -1) this.setBinding(nodeId, BindingKind.Upvalue, upvalue, extra);
    else this.setBinding(nodeId, BindingKind.Global, this.globalId(name), extra);
  }

  private beginScope(): void {
    this.fn.scopeDepth++;
  }

  private endScope(): void {
    const fn = this.fn;
    fn.scopeDepth--;
    while (fn.locals.length > 0 && (fn.locals[fn.locals.length - 1] as Local).depth > fn.scopeDepth) fn.locals.pop();
  }

  /** Turns slot bindings of captured locals into cell bindings and describes the frame. */
  private finishFunction(fn: FunctionState, params: readonly Local[]): FunctionScope {
    for (const use of fn.slotUses) {
      if (use.local.captured) this.setBinding(use.nodeId, BindingKind.Cell, use.local.slot, use.extra);
    }
    return {
      name: fn.name,
      slotCount: fn.maxSlots,
      paramCaptured: params.map((p) => p.captured),
      thisCaptured: (fn.locals[0] as Local).captured,
      upvalues: fn.upvalues,
    };
  }

  // ---- statements ----

  private statements(body: readonly Stmt[]): void {
    for (const stmt of body) this.statement(stmt);
  }

  private statement(stmt: Stmt): void {
    switch (stmt.kind) {
      case "expression":
      case "print":
        this.expression(stmt.expr);
        return;
      case "var": {
        const local = this.declare(stmt.name, stmt.anchor);
        if (stmt.initializer !== null) this.expression(stmt.initializer);
        this.markInitialized(local);
        this.bindDeclaration(stmt.id, stmt.name, local);
        return;
      }
      case "block":
        this.beginScope();
        this.statements(stmt.body);
        this.endScope();
        return;
      case "if":
        this.expression(stmt.condition);
        this.statement(stmt.thenBranch);
        if (stmt.elseBranch !== null) this.statement(stmt.elseBranch);
        return;
      case "while":
        this.expression(stmt.condition);
        this.statement(stmt.body);
        return;
      case "for":
        this.beginScope();
        if (stmt.initializer !== null) this.statement(stmt.initializer);
        if (stmt.condition !== null) this.expression(stmt.condition);
        if (stmt.increment !== null) this.expression(stmt.increment);
        this.statement(stmt.body);
        this.endScope();
        return;
      case "function": {
        const local = this.declare(stmt.name, stmt.anchor);
        this.markInitialized(local);
        this.bindDeclaration(stmt.id, stmt.name, local);
        this.function(stmt);
        return;
      }
      case "return":
        if (this.fn.kind === "script") this.error(stmt.keyword, "return-at-top-level");
        if (stmt.value !== null) {
          if (this.fn.kind === "initializer") this.error(stmt.keyword, "return-value-from-initializer");
          this.expression(stmt.value);
        }
        return;
      case "class":
        this.classDeclaration(stmt);
        return;
      default:
        assertNever(stmt, "statement");
    }
  }

  private function(decl: FunctionStmt): void {
    const fn = new FunctionState(this.fn, decl.functionKind, decl.name);
    this.fn = fn;
    this.beginScope();
    const params: Local[] = [];
    for (const param of decl.params) {
      const local = this.declare(param.name, param.anchor) as Local;
      this.markInitialized(local);
      params.push(local);
    }
    this.statements(decl.body);
    this.fn = fn.enclosing as FunctionState;
    this.functions.set(decl, this.finishFunction(fn, params));
  }

  private classDeclaration(stmt: ClassStmt): void {
    const local = this.declare(stmt.name, stmt.anchor);
    this.markInitialized(local);
    this.bindDeclaration(stmt.id, stmt.name, local);
    const klass: ClassState = { enclosing: this.currentClass, hasSuperclass: false };
    this.currentClass = klass;
    const superclass = stmt.superclass;
    if (superclass !== null) {
      this.bindUse(superclass.id, superclass.name, superclass.anchor);
      if (superclass.name === stmt.name) this.error(superclass.anchor, "class-inherits-itself");
      this.beginScope();
      const superLocal = this.fn.addLocal("super");
      this.markInitialized(superLocal);
      this.bindLocal(stmt.id, superLocal, true);
      klass.hasSuperclass = true;
    }
    for (const method of stmt.methods) this.function(method);
    if (klass.hasSuperclass) this.endScope();
    this.currentClass = klass.enclosing;
  }

  // ---- expressions ----

  private expressions(exprs: readonly Expr[]): void {
    for (const e of exprs) this.expression(e);
  }

  private expression(expr: Expr): void {
    switch (expr.kind) {
      case "literal":
      case "error":
        return;
      case "variable":
        this.bindUse(expr.id, expr.name, expr.anchor);
        return;
      case "assign":
        this.bindUse(expr.id, expr.name, expr.anchor);
        this.expression(expr.value);
        return;
      case "unary":
        this.expression(expr.operand);
        return;
      case "binary":
      case "logical":
        this.expression(expr.left);
        this.expression(expr.right);
        return;
      case "call":
        this.expression(expr.callee);
        this.expressions(expr.args);
        return;
      case "get":
        this.expression(expr.object);
        return;
      case "set":
        this.expression(expr.object);
        this.expression(expr.value);
        return;
      case "invoke":
        this.expression(expr.object);
        this.expressions(expr.args);
        return;
      case "this":
        if (this.currentClass === null) this.error(expr.anchor, "this-outside-class");
        else this.bindUse(expr.id, "this", null);
        return;
      case "superGet":
      case "superInvoke":
        if (this.currentClass === null) this.error(expr.anchor, "super-outside-class");
        else if (!this.currentClass.hasSuperclass) this.error(expr.anchor, "super-without-superclass");
        this.bindUse(expr.id, "this", null, true);
        if (expr.kind === "superInvoke") this.expressions(expr.args);
        this.bindUse(expr.id, "super", null);
        return;
      case "array":
        this.expressions(expr.elements);
        return;
      case "indexGet":
        this.expression(expr.object);
        this.expression(expr.index);
        return;
      case "indexSet":
        this.expression(expr.object);
        this.expression(expr.index);
        this.expression(expr.value);
        return;
      default:
        assertNever(expr, "expression");
    }
  }
}
