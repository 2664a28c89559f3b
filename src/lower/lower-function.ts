/**
 * Lowers one Lox function (or the top-level script) from the resolved AST
 * to Lox-level SSA IR.
 *
 * Storage follows the resolver (`src/sema/resolution.ts`): an uncaptured
 * local is an SSA variable keyed by its frame slot (so it never touches the
 * heap); a captured local is an SSA variable holding its cell, created by
 * `lox.cell.new` when the declaration runs (fresh per loop iteration, as in
 * the reference); an upvalue is `lox.closure.cell` of the closure parameter;
 * a global is `lox.global.*`. Every instruction gets the span of the node
 * it implements, whose `line` is the line the reference reports errors at.
 *
 * Calling convention (module.ts): parameters (closure, receiver, args...);
 * initializers return their receiver.
 */
import {
  type Block, type BlockTarget, type ClassId, type FuncId, FunctionBuilder, type GlobalId, type IrFunction,
  type Module, Op, type Opcode, Type, type Value,
} from "../ir/index.ts";
import { BindingKind, type FunctionScope, type Resolution } from "../sema/index.ts";
import { type BinaryOp, type ClassStmt, type Expr, forEachChild, type FunctionStmt, type Node, type Stmt } from "../syntax/index.ts";
import { assertNever } from "../support/assert.ts";
import { SsaVariables } from "./ssa.ts";

/** What a function lowering needs from the whole-program lowering. */
export interface ProgramContext {
  readonly module: Module;
  readonly resolution: Resolution;
  funcId(decl: FunctionStmt): FuncId;
  classId(decl: ClassStmt): ClassId;
  globalId(resolverIndex: number): GlobalId;
}

const BINARY: Record<BinaryOp, Opcode> = {
  "+": Op.loxAdd, "-": Op.loxSub, "*": Op.loxMul, "/": Op.loxDiv, "%": Op.loxMod,
  "==": Op.loxEq, "!=": Op.loxNe, "<": Op.loxLt, "<=": Op.loxLe, ">": Op.loxGt, ">=": Op.loxGe,
};

interface Spanned {
  readonly line: number;
  readonly start: number;
  readonly end: number;
}

export class FunctionLowering {
  private readonly b: FunctionBuilder;
  private readonly ssa: SsaVariables;
  private closureParam!: Value;
  private receiverParam!: Value;
  /** The `@context(pc)` variable, if the function names one. */
  private readonly contextName: string | null;
  /** Slot of the context variable while lowering the dispatch loop (the outermost loop assigning it), else null. */
  private contextSlot: number | null = null;

  constructor(
    private readonly ctx: ProgramContext,
    private readonly fn: IrFunction,
    private readonly scope: FunctionScope,
    private readonly kind: "script" | FunctionStmt["functionKind"],
  ) {
    this.b = new FunctionBuilder(fn.body, ctx.module);
    this.ssa = new SsaVariables(fn.body);
    const context = fn.attributes.find((a) => a.name === "context")?.args[0];
    this.contextName = typeof context === "string" ? context : null;
  }

  /** Lowers a function body; parameters get their source names as debug names (tiering finds `@specialize` ones by them). */
  lower(params: readonly { readonly name?: string }[], body: readonly Stmt[], decl: Spanned): void {
    const entry = this.b.newBlock();
    this.b.switchTo(entry);
    this.ssa.seal(entry);
    this.closureParam = this.b.param(entry, Type.val);
    this.receiverParam = this.b.param(entry, Type.val);
    this.at(decl);
    // Slot 0 is `this` in methods; parameters take slots 1..n.
    if (this.kind === "method" || this.kind === "initializer") {
      this.ssa.write(0, entry, this.scope.thisCaptured ? this.b.inst(Op.loxCellNew, [this.receiverParam]) : this.receiverParam);
    }
    params.forEach((p, i) => {
      const arg = this.b.param(entry, Type.val);
      if (p.name !== undefined) this.fn.body.setName(arg, p.name);
      this.ssa.write(i + 1, entry, this.scope.paramCaptured[i] ? this.b.inst(Op.loxCellNew, [arg]) : arg);
    });
    for (const stmt of body) this.statement(stmt);
    if (!this.b.terminated) {
      this.at(decl);
      this.returnImplicit();
    }
    this.fn.body.resolveAllUses();
  }

  // ---- plumbing ----

  private at(node: Spanned): void {
    this.b.span = { line: node.line, start: node.start, end: node.end };
  }

  private emit(op: Opcode, args: readonly Value[], imm = 0): Value {
    return this.b.inst(op, args, imm);
  }

  private get block(): Block {
    return this.b.current;
  }

  private jump(to: Block, args: readonly Value[] = []): void {
    this.ssa.addEdge(this.block, to);
    this.b.jump(to, args);
  }

  private branch(cond: Value, then: BlockTarget, otherwise: BlockTarget): void {
    this.ssa.addEdge(this.block, then.block);
    this.ssa.addEdge(this.block, otherwise.block);
    this.b.br(cond, then, otherwise);
  }

  /** Continues in a fresh block after a `return` (dead code still gets lowered, then removed). */
  private startDeadBlock(): void {
    const dead = this.b.newBlock();
    this.ssa.seal(dead);
    this.b.switchTo(dead);
  }

  private returnImplicit(): void {
    this.b.ret(this.kind === "initializer" ? this.receiverParam : this.emit(Op.loxNil, []));
  }

  private truthy(v: Value): Value {
    return this.emit(Op.loxTruthy, [v]);
  }

  // ---- variables ----

  /** Reads the variable bound at a node (`extra`: the node's second binding). */
  private read(nodeId: number, node: Spanned, extra = false): Value {
    const r = this.ctx.resolution;
    const kind = extra ? r.extraKind[nodeId] : r.bindingKind[nodeId];
    const index = (extra ? r.extraIndex[nodeId] : r.bindingIndex[nodeId]) as number;
    this.at(node);
    switch (kind) {
      case BindingKind.Local: return this.ssa.read(index, this.block);
      case BindingKind.Cell: return this.emit(Op.loxCellGet, [this.ssa.read(index, this.block)]);
      case BindingKind.Upvalue: return this.emit(Op.loxCellGet, [this.upvalueCell(index)]);
      case BindingKind.Global: return this.emit(Op.loxGlobalGet, [], this.ctx.globalId(index));
      default: throw new Error(`internal error: node ${nodeId} has no binding`);
    }
  }

  /** Assigns to an existing variable. */
  private assign(nodeId: number, value: Value, node: Spanned): void {
    const r = this.ctx.resolution;
    const index = r.bindingIndex[nodeId] as number;
    this.at(node);
    switch (r.bindingKind[nodeId]) {
      case BindingKind.Local:
        this.ssa.write(index, this.block, value);
        if (index === this.contextSlot) this.emit(Op.peContextUpdate, [value]);
        return;
      case BindingKind.Cell: this.emit(Op.loxCellSet, [this.ssa.read(index, this.block), value]); return;
      case BindingKind.Upvalue: this.emit(Op.loxCellSet, [this.upvalueCell(index), value]); return;
      case BindingKind.Global: this.emit(Op.loxGlobalSet, [value], this.ctx.globalId(index)); return;
      default: throw new Error(`internal error: node ${nodeId} has no binding`);
    }
  }

  /** Declares a variable (var, fun, class) with its first value. */
  private define(nodeId: number, value: Value, node: Spanned, extra = false): void {
    const r = this.ctx.resolution;
    const kind = extra ? r.extraKind[nodeId] : r.bindingKind[nodeId];
    const index = (extra ? r.extraIndex[nodeId] : r.bindingIndex[nodeId]) as number;
    this.at(node);
    switch (kind) {
      case BindingKind.Local: this.ssa.write(index, this.block, value); return;
      case BindingKind.Cell: this.ssa.write(index, this.block, this.emit(Op.loxCellNew, [value])); return;
      case BindingKind.Global: this.emit(Op.loxGlobalDefine, [value], this.ctx.globalId(index)); return;
      default: throw new Error(`internal error: declaration ${nodeId} has no storage`);
    }
  }

  private upvalueCell(index: number): Value {
    return this.emit(Op.loxClosureCell, [this.closureParam], index);
  }

  /** `lox.closure` for a nested function, capturing the cells its upvalues name. */
  private closure(decl: FunctionStmt): Value {
    const scope = this.ctx.resolution.functions.get(decl);
    if (scope === undefined) throw new Error(`internal error: function '${decl.name}' was not resolved`);
    this.at(decl);
    const cells = scope.upvalues.map((u) => (u.fromEnclosingSlot ? this.ssa.read(u.index, this.block) : this.upvalueCell(u.index)));
    this.at(decl);
    return this.emit(Op.loxClosure, cells, this.ctx.funcId(decl));
  }

  // ---- statements ----

  private statement(stmt: Stmt): void {
    switch (stmt.kind) {
      case "expression":
        this.expression(stmt.expr);
        return;
      case "print": {
        const v = this.expression(stmt.expr);
        this.at(stmt);
        this.emit(Op.loxPrint, [v]);
        return;
      }
      case "var": {
        let value: Value;
        if (stmt.initializer !== null) value = this.expression(stmt.initializer);
        else {
          this.at(stmt);
          value = this.emit(Op.loxNil, []);
        }
        this.define(stmt.id, value, stmt);
        return;
      }
      case "block":
        for (const s of stmt.body) this.statement(s);
        return;
      case "if": {
        const cond = this.truthy(this.expression(stmt.condition));
        const thenBlock = this.b.newBlock();
        const elseBlock = this.b.newBlock();
        const join = this.b.newBlock();
        this.branch(cond, { block: thenBlock, args: [] }, { block: elseBlock, args: [] });
        this.ssa.seal(thenBlock);
        this.ssa.seal(elseBlock);
        this.b.switchTo(thenBlock);
        this.statement(stmt.thenBranch);
        if (!this.b.terminated) this.jump(join);
        this.b.switchTo(elseBlock);
        if (stmt.elseBranch !== null) this.statement(stmt.elseBranch);
        if (!this.b.terminated) this.jump(join);
        this.ssa.seal(join);
        this.b.switchTo(join);
        return;
      }
      case "while":
        this.loop(stmt.condition, stmt.body, null);
        return;
      case "for":
        if (stmt.initializer !== null) this.statement(stmt.initializer);
        this.loop(stmt.condition, stmt.body, stmt.increment);
        return;
      case "function":
        this.functionDeclaration(stmt);
        return;
      case "return": {
        if (this.kind === "initializer") {
          this.at(stmt);
          this.b.ret(this.receiverParam);
        } else {
          const v = stmt.value === null ? (this.at(stmt), this.emit(Op.loxNil, [])) : this.expression(stmt.value);
          this.at(stmt);
          this.b.ret(v);
        }
        this.startDeadBlock();
        return;
      }
      case "class":
        this.classDeclaration(stmt);
        return;
      default:
        assertNever(stmt, "statement");
    }
  }

  /**
   * A local function that refers to itself captures its own variable, so its
   * cell is created (holding nil) before the closure and filled after.
   */
  private functionDeclaration(decl: FunctionStmt): void {
    const r = this.ctx.resolution;
    if (r.bindingKind[decl.id] !== BindingKind.Cell) {
      this.define(decl.id, this.closure(decl), decl);
      return;
    }
    this.at(decl);
    const cell = this.emit(Op.loxCellNew, [this.emit(Op.loxNil, [])]);
    this.ssa.write(r.bindingIndex[decl.id] as number, this.block, cell);
    const closure = this.closure(decl);
    this.at(decl);
    this.emit(Op.loxCellSet, [cell, closure]);
  }

  /**
   * The slot of the context variable if `body` is the function's dispatch
   * loop: no dispatch loop is open yet and the loop assigns the variable
   * (which the annotation's check guarantees for some loop).
   */
  private dispatchLoopSlot(parts: readonly (Stmt | Expr | null)[]): number | null {
    if (this.contextName === null || this.contextSlot !== null) return null;
    const r = this.ctx.resolution;
    let slot: number | null = null;
    const visit = (node: Node): void => {
      if (node.kind === "function" || node.kind === "class") return;
      if (node.kind === "assign" && node.name === this.contextName && r.bindingKind[node.id] === BindingKind.Local) {
        slot ??= r.bindingIndex[node.id] as number;
      }
      forEachChild(node, visit);
    };
    for (const part of parts) if (part !== null) visit(part);
    return slot;
  }

  /**
   * A loop. The dispatch loop of an `@context(pc)` function is bracketed by
   * the partial evaluator's intrinsics (DESIGN.md §6): `pe.context.push` of
   * the variable's value before it, `pe.context.update` after every
   * assignment to it inside, `pe.context.pop` at the exit.
   */
  private loop(condition: Expr | null, body: Stmt, increment: Expr | null): void {
    const header = this.b.newBlock();
    const bodyBlock = this.b.newBlock();
    const exit = this.b.newBlock();
    const contextSlot = this.dispatchLoopSlot([condition, body, increment]);
    if (contextSlot !== null) {
      this.emit(Op.peContextPush, [this.ssa.read(contextSlot, this.block)]);
      this.contextSlot = contextSlot;
    }
    this.jump(header);
    this.b.switchTo(header);
    if (condition !== null) {
      const cond = this.truthy(this.expression(condition));
      this.branch(cond, { block: bodyBlock, args: [] }, { block: exit, args: [] });
    } else {
      this.jump(bodyBlock);
    }
    this.ssa.seal(bodyBlock);
    this.b.switchTo(bodyBlock);
    this.statement(body);
    if (!this.b.terminated) {
      if (increment !== null) this.expression(increment);
      this.jump(header);
    }
    this.ssa.seal(header);
    this.ssa.seal(exit);
    this.b.switchTo(exit);
    if (contextSlot !== null) {
      this.contextSlot = null;
      this.emit(Op.peContextPop, []);
    }
  }

  private classDeclaration(stmt: ClassStmt): void {
    this.at(stmt);
    const klass = this.emit(Op.loxClass, [], this.ctx.classId(stmt));
    this.define(stmt.id, klass, stmt);
    if (stmt.superclass !== null) {
      const superclass = this.read(stmt.superclass.id, stmt.superclass);
      this.at(stmt.superclass);
      this.emit(Op.loxInherit, [klass, superclass]);
      this.define(stmt.id, superclass, stmt.superclass, true);
    }
    for (const method of stmt.methods) {
      const closure = this.closure(method);
      this.at(method);
      this.emit(Op.loxMethod, [klass, closure], this.ctx.module.symbol(method.name));
    }
  }

  // ---- expressions ----

  private expressions(exprs: readonly Expr[]): Value[] {
    return exprs.map((e) => this.expression(e));
  }

  private expression(expr: Expr): Value {
    switch (expr.kind) {
      case "literal":
        this.at(expr);
        if (expr.value === null) return this.emit(Op.loxNil, []);
        if (expr.value === true) return this.emit(Op.loxTrue, []);
        if (expr.value === false) return this.emit(Op.loxFalse, []);
        if (typeof expr.value === "number") return this.b.num(expr.value);
        return this.b.str(expr.value);
      case "variable":
        return this.read(expr.id, expr);
      case "assign": {
        const value = this.expression(expr.value);
        this.assign(expr.id, value, expr);
        return value;
      }
      case "unary": {
        const operand = this.expression(expr.operand);
        this.at(expr);
        return this.emit(expr.op === "-" ? Op.loxNeg : Op.loxNot, [operand]);
      }
      case "binary": {
        const left = this.expression(expr.left);
        const right = this.expression(expr.right);
        this.at(expr);
        return this.emit(BINARY[expr.op], [left, right]);
      }
      case "logical":
        return this.logical(expr.op, expr.left, expr.right, expr);
      case "call": {
        const callee = this.expression(expr.callee);
        const args = this.expressions(expr.args);
        this.at(expr);
        return this.emit(Op.loxCall, [callee, ...args]);
      }
      case "get": {
        const object = this.expression(expr.object);
        this.at(expr);
        return this.emit(Op.loxGet, [object], this.ctx.module.symbol(expr.name));
      }
      case "set": {
        const object = this.expression(expr.object);
        const value = this.expression(expr.value);
        this.at(expr);
        this.emit(Op.loxSet, [object, value], this.ctx.module.symbol(expr.name));
        return value;
      }
      case "invoke": {
        const object = this.expression(expr.object);
        const args = this.expressions(expr.args);
        this.at(expr);
        return this.emit(Op.loxInvoke, [object, ...args], this.ctx.module.symbol(expr.name));
      }
      case "this":
        return this.read(expr.id, expr);
      case "superGet": {
        const receiver = this.read(expr.id, expr, true);
        const superclass = this.read(expr.id, expr);
        this.at(expr);
        return this.emit(Op.loxSuperGet, [receiver, superclass], this.ctx.module.symbol(expr.name));
      }
      case "superInvoke": {
        const receiver = this.read(expr.id, expr, true);
        const args = this.expressions(expr.args);
        const superclass = this.read(expr.id, expr);
        this.at(expr);
        return this.emit(Op.loxSuperInvoke, [receiver, superclass, ...args], this.ctx.module.symbol(expr.name));
      }
      case "array": {
        const elements = this.expressions(expr.elements);
        this.at(expr);
        return this.emit(Op.loxArray, elements);
      }
      case "indexGet": {
        const object = this.expression(expr.object);
        const index = this.expression(expr.index);
        this.at(expr);
        return this.emit(Op.loxIndexGet, [object, index]);
      }
      case "indexSet": {
        const object = this.expression(expr.object);
        const index = this.expression(expr.index);
        const value = this.expression(expr.value);
        this.at(expr);
        this.emit(Op.loxIndexSet, [object, index, value]);
        return value;
      }
      case "error":
        throw new Error("internal error: lowering a program with syntax errors");
      default:
        return assertNever(expr, "expression");
    }
  }

  /** `a and b` / `a or b`: the left value decides, without evaluating the right when it can. */
  private logical(op: "and" | "or", left: Expr, right: Expr, node: Spanned): Value {
    const l = this.expression(left);
    this.at(node);
    const cond = this.truthy(l);
    const rhs = this.b.newBlock();
    const join = this.b.newBlock();
    const result = this.b.param(join, Type.val);
    if (op === "and") this.branch(cond, { block: rhs, args: [] }, { block: join, args: [l] });
    else this.branch(cond, { block: join, args: [l] }, { block: rhs, args: [] });
    this.ssa.seal(rhs);
    this.b.switchTo(rhs);
    const r = this.expression(right);
    this.jump(join, [r]);
    this.ssa.seal(join);
    this.b.switchTo(join);
    return result;
  }
}
