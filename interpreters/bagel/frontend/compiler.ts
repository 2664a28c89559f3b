/**
 * Resolves names and compiles Bagel statements to bytecode functions.
 *
 * Name resolution: functions live in their own namespace, are all declared
 * at top level and may be called before their declaration (calls are
 * resolved to a function index at compile time; the arity is checked when
 * the call runs). Builtins compile to opcodes. Variables resolve to the
 * innermost local (block scoped; a function sees only its own locals), and
 * otherwise to a global slot: top-level `var` defines globals, and using a
 * global that was never defined is a run-time error, as in Lox.
 */
import type { Expr, Stmt } from "./ast.ts";
import { BUILTINS } from "./builtins.ts";
import type { BytecodeFunction, BytecodeProgram } from "./bytecode.ts";
import { type BagelDiagnostic, diagnosticAt } from "./diagnostics.ts";
import { FunctionBuilder } from "./function-builder.ts";
import { Op } from "./opcodes.ts";
import type { Token } from "./tokens.ts";
import { assertNever } from "../../../src/support/assert.ts";

export interface CompileResult {
  readonly program: BytecodeProgram;
  readonly diagnostics: readonly BagelDiagnostic[];
}

type FunctionDecl = Extract<Stmt, { kind: "function" }>;

const BINARY_OPS: ReadonlyMap<string, Op> = new Map<string, Op>([
  ["+", Op.add], ["-", Op.subtract], ["*", Op.multiply], ["/", Op.divide], ["%", Op.modulo],
  ["==", Op.equal], ["!=", Op.notEqual], ["<", Op.less], ["<=", Op.lessEqual], [">", Op.greater], [">=", Op.greaterEqual],
]);

/** `endLine` is the last line of the source (the line of main's implicit return). */
export function compileStatements(statements: readonly Stmt[], endLine: number): CompileResult {
  return new Compiler().compileProgram(statements, endLine);
}

class Compiler {
  private readonly diagnostics: BagelDiagnostic[] = [];
  private readonly functionIndex = new Map<string, number>();
  private readonly globalIndex = new Map<string, number>();
  private readonly globalNames: string[] = [];
  /** The function being compiled; top level is the main function. */
  private fn = new FunctionBuilder("script", 0);
  private inFunction = false;

  compileProgram(statements: readonly Stmt[], endLine: number): CompileResult {
    const decls: FunctionDecl[] = [];
    for (const stmt of statements) {
      if (stmt.kind !== "function") continue;
      const name = stmt.name.lexeme;
      if (BUILTINS.has(name)) this.error(stmt.name, `Can't redefine the builtin '${name}'.`);
      else if (this.functionIndex.has(name)) this.error(stmt.name, "Already a function with this name.");
      else this.functionIndex.set(name, decls.length + 1);
      decls.push(stmt);
    }
    for (const stmt of statements) if (stmt.kind !== "function") this.statement(stmt);
    this.fn.emit(endLine, Op.nil);
    this.fn.emit(endLine, Op.return);
    const functions: BytecodeFunction[] = [this.fn.finish()];
    for (const decl of decls) functions.push(this.compileFunction(decl));
    return { program: { functions, globalNames: this.globalNames }, diagnostics: this.diagnostics };
  }

  private compileFunction(decl: FunctionDecl): BytecodeFunction {
    this.fn = new FunctionBuilder(decl.name.lexeme, decl.params.length);
    this.inFunction = true;
    this.fn.beginScope();
    for (const param of decl.params) {
      const local = this.fn.declareLocal(param.lexeme);
      if (local === null) this.error(param, "Already a variable with this name in this scope.");
      else local.initialized = true;
    }
    for (const stmt of decl.body) this.statement(stmt);
    this.fn.emit(decl.end.line, Op.nil);
    this.fn.emit(decl.end.line, Op.return);
    return this.fn.finish();
  }

  private statement(stmt: Stmt): void {
    switch (stmt.kind) {
      case "expression":
        this.expression(stmt.expr);
        this.fn.emit(stmt.end.line, Op.pop);
        return;
      case "print":
        this.expression(stmt.expr);
        this.fn.emit(stmt.keyword.line, Op.print);
        return;
      case "var":
        this.varStatement(stmt);
        return;
      case "block":
        this.fn.beginScope();
        for (const s of stmt.statements) this.statement(s);
        this.fn.endScope();
        return;
      case "if": {
        this.expression(stmt.condition);
        const toElse = this.fn.emitJump(stmt.keyword.line, Op.jumpIfFalse);
        this.statement(stmt.then);
        if (stmt.otherwise === null) {
          this.fn.patchJump(toElse);
          return;
        }
        const toEnd = this.fn.emitJump(stmt.keyword.line, Op.jump);
        this.fn.patchJump(toElse);
        this.statement(stmt.otherwise);
        this.fn.patchJump(toEnd);
        return;
      }
      case "while": {
        const start = this.fn.position;
        this.expression(stmt.condition);
        const exit = this.fn.emitJump(stmt.keyword.line, Op.jumpIfFalse);
        this.statement(stmt.body);
        this.fn.emit(stmt.keyword.line, Op.jump, start);
        this.fn.patchJump(exit);
        return;
      }
      case "return":
        if (!this.inFunction) this.error(stmt.keyword, "Can't return from top-level code.");
        if (stmt.value === null) this.fn.emit(stmt.keyword.line, Op.nil);
        else this.expression(stmt.value);
        this.fn.emit(stmt.keyword.line, Op.return);
        return;
      case "function":
        // Only at top level, where compileProgram takes it; the parser rejects any other.
        return;
      default:
        assertNever(stmt, "statement");
    }
  }

  private varStatement(stmt: Extract<Stmt, { kind: "var" }>): void {
    const line = stmt.name.line;
    if (!this.inFunction && this.fn.scopeDepth === 0) {
      if (stmt.init === null) this.fn.emit(line, Op.nil);
      else this.expression(stmt.init);
      this.fn.emit(line, Op.defineGlobal, this.global(stmt.name.lexeme));
      return;
    }
    const local = this.fn.declareLocal(stmt.name.lexeme);
    if (local === null) {
      this.error(stmt.name, "Already a variable with this name in this scope.");
      return;
    }
    if (stmt.init === null) this.fn.emit(line, Op.nil);
    else this.expression(stmt.init);
    local.initialized = true;
    this.fn.emit(line, Op.setLocal, local.slot);
    this.fn.emit(line, Op.pop);
  }

  private expression(expr: Expr): void {
    switch (expr.kind) {
      case "literal": {
        const line = expr.token.line;
        if (expr.value === null) this.fn.emit(line, Op.nil);
        else if (expr.value === true) this.fn.emit(line, Op.true);
        else if (expr.value === false) this.fn.emit(line, Op.false);
        else this.fn.emit(line, Op.constant, this.fn.constant(expr.value));
        return;
      }
      case "variable": {
        const local = this.fn.resolveLocal(expr.name.lexeme);
        if (local !== null && !local.initialized) this.error(expr.name, "Can't read local variable in its own initializer.");
        if (local !== null) this.fn.emit(expr.name.line, Op.getLocal, local.slot);
        else this.fn.emit(expr.name.line, Op.getGlobal, this.global(expr.name.lexeme));
        return;
      }
      case "assign": {
        this.expression(expr.value);
        const local = this.fn.resolveLocal(expr.name.lexeme);
        if (local !== null) this.fn.emit(expr.name.line, Op.setLocal, local.slot);
        else this.fn.emit(expr.name.line, Op.setGlobal, this.global(expr.name.lexeme));
        return;
      }
      case "unary":
        this.expression(expr.operand);
        this.fn.emit(expr.op.line, expr.op.lexeme === "-" ? Op.negate : Op.not);
        return;
      case "binary": {
        this.expression(expr.left);
        this.expression(expr.right);
        const op = BINARY_OPS.get(expr.op.lexeme);
        if (op === undefined) throw new Error(`internal error: binary operator ${expr.op.lexeme}`);
        this.fn.emit(expr.op.line, op);
        return;
      }
      case "logical": {
        // and: left, dup, jumpIfFalse end, pop, right.  or: left, dup, jumpIfFalse next, jump end, next: pop, right.
        const line = expr.op.line;
        this.expression(expr.left);
        this.fn.emit(line, Op.dup);
        if (expr.op.lexeme === "and") {
          const end = this.fn.emitJump(line, Op.jumpIfFalse);
          this.fn.emit(line, Op.pop);
          this.expression(expr.right);
          this.fn.patchJump(end);
        } else {
          const next = this.fn.emitJump(line, Op.jumpIfFalse);
          const end = this.fn.emitJump(line, Op.jump);
          this.fn.patchJump(next);
          this.fn.emit(line, Op.pop);
          this.expression(expr.right);
          this.fn.patchJump(end);
        }
        return;
      }
      case "call":
        this.call(expr);
        return;
      case "arrayLiteral":
        for (const e of expr.elements) this.expression(e);
        this.fn.emit(expr.bracket.line, Op.arrayLiteral, expr.elements.length);
        return;
      case "index":
        this.expression(expr.target);
        this.expression(expr.index);
        this.fn.emit(expr.bracket.line, Op.getIndex);
        return;
      case "setIndex":
        this.expression(expr.target);
        this.expression(expr.index);
        this.expression(expr.value);
        this.fn.emit(expr.bracket.line, Op.setIndex);
        return;
      default:
        assertNever(expr, "expression");
    }
  }

  private call(expr: Extract<Expr, { kind: "call" }>): void {
    const name = expr.callee.lexeme;
    const line = expr.callee.line;
    const builtin = BUILTINS.get(name);
    if (builtin !== undefined) {
      if (expr.args.length !== builtin.arity) {
        this.error(expr.callee, `Expected ${builtin.arity} arguments but got ${expr.args.length}.`);
      }
      for (const a of expr.args) this.expression(a);
      if (expr.args.length === builtin.arity) this.fn.emit(line, builtin.op);
      return;
    }
    const index = this.functionIndex.get(name);
    if (index === undefined) this.error(expr.callee, `Undefined function '${name}'.`);
    for (const a of expr.args) this.expression(a);
    this.fn.emit(line, Op.call, index ?? 0, expr.args.length);
  }

  private global(name: string): number {
    let index = this.globalIndex.get(name);
    if (index === undefined) {
      index = this.globalNames.length;
      this.globalNames.push(name);
      this.globalIndex.set(name, index);
    }
    return index;
  }

  private error(token: Token, message: string): void {
    this.diagnostics.push(diagnosticAt(token, message));
  }
}
