/**
 * The reference tree-walking interpreter: executes a resolved AST directly.
 * It is the oracle every other engine is compared with, so it favours
 * plainness over cleverness; it is still reasonably fast because variables
 * are resolved to frame slots, cells and upvalues ahead of time
 * (`src/sema/resolution.ts`) instead of being looked up by name.
 *
 * Control flow: `exec` returns true when a `return` statement ran (the value
 * is in `returnValue`); runtime errors are thrown as `LoxRuntimeError` and
 * collect one trace frame per function they leave. Deep recursion ends in
 * the host's stack overflow, which the nearest call expression turns into
 * the Lox error "Stack overflow."; callers run this engine on a thread with
 * a large stack so that legitimate deep recursion works.
 */
import type { ClassStmt, Expr, FunctionStmt, Program, Stmt } from "../syntax/ast.ts";
import { BindingKind, type Resolution } from "../sema/index.ts";
import { isHostStackOverflow, LoxRuntimeError } from "../runtime/errors.ts";
import { RuntimeMessage } from "../runtime/messages.ts";
import { READONLY_ATTRIBUTE } from "../runtime/readonly-fields.ts";
import type { Output } from "../runtime/output.ts";
import { assertNever } from "../support/assert.ts";
import { createNatives } from "./natives.ts";
import { stringify } from "./stringify.ts";
import {
  Cell, isTruthy, LoxArray, LoxBoundMethod, LoxClass, LoxFunction, LoxInstance, LoxNative, type NativeCallContext,
  type Value,
} from "./values.ts";

/** Marks a global that has not been defined yet. */
const UNDEFINED: unique symbol = Symbol("undefined");
type GlobalSlot = Value | typeof UNDEFINED;

interface Frame {
  readonly slots: (Value | Cell)[];
  readonly upvalues: readonly Cell[];
}

export class TreeInterpreter {
  private readonly globals: GlobalSlot[];
  private returnValue: Value = null;
  private readonly kind: Uint8Array;
  private readonly index: Int32Array;
  private readonly extraKind: Uint8Array;
  private readonly extraIndex: Int32Array;

  constructor(
    private readonly program: Program,
    private readonly resolution: Resolution,
    private readonly output: Output,
    /** Annotations without effect (an ablation): a disabled @readonly enforces nothing. */
    private readonly disabledAnnotations: ReadonlySet<string> = new Set(),
  ) {
    this.kind = resolution.bindingKind;
    this.index = resolution.bindingIndex;
    this.extraKind = resolution.extraKind;
    this.extraIndex = resolution.extraIndex;
    this.globals = new Array<GlobalSlot>(resolution.globalNames.length).fill(UNDEFINED);
    const ids = new Map(resolution.globalNames.map((name, id) => [name, id]));
    for (const native of createNatives()) {
      const id = ids.get(native.name);
      if (id !== undefined) this.globals[id] = native;
    }
  }

  /** Runs the script; a runtime error is thrown as `LoxRuntimeError` with its full trace. */
  run(): void {
    const frame: Frame = { slots: new Array(this.resolution.script.slotCount).fill(null), upvalues: [] };
    try {
      for (const stmt of this.program.body) this.exec(stmt, frame);
    } catch (e) {
      const error = e instanceof LoxRuntimeError ? e
        : isHostStackOverflow(e) ? new LoxRuntimeError(RuntimeMessage.stackOverflow, 0)
        : null;
      if (error === null) throw e;
      error.leaveFrame(null);
      throw error;
    } finally {
      this.output.flush();
    }
  }

  // ---- statements ----

  private execBlock(body: readonly Stmt[], frame: Frame): boolean {
    for (let i = 0; i < body.length; i++) {
      if (this.exec(body[i] as Stmt, frame)) return true;
    }
    return false;
  }

  private exec(stmt: Stmt, frame: Frame): boolean {
    switch (stmt.kind) {
      case "expression":
        this.eval(stmt.expr, frame);
        return false;
      case "print":
        this.output.write(stringify(this.eval(stmt.expr, frame)) + "\n");
        return false;
      case "var":
        this.define(stmt.id, stmt.initializer === null ? null : this.eval(stmt.initializer, frame), frame);
        return false;
      case "block":
        return this.execBlock(stmt.body, frame);
      case "if":
        if (isTruthy(this.eval(stmt.condition, frame))) return this.exec(stmt.thenBranch, frame);
        return stmt.elseBranch !== null && this.exec(stmt.elseBranch, frame);
      case "while":
        while (isTruthy(this.eval(stmt.condition, frame))) {
          if (this.exec(stmt.body, frame)) return true;
        }
        return false;
      case "for":
        if (stmt.initializer !== null) this.exec(stmt.initializer, frame);
        while (stmt.condition === null || isTruthy(this.eval(stmt.condition, frame))) {
          if (this.exec(stmt.body, frame)) return true;
          if (stmt.increment !== null) this.eval(stmt.increment, frame);
        }
        return false;
      case "function":
        this.functionDeclaration(stmt, frame);
        return false;
      case "return":
        this.returnValue = stmt.value === null ? null : this.eval(stmt.value, frame);
        return true;
      case "class":
        this.classDeclaration(stmt, frame);
        return false;
      default:
        return assertNever(stmt, "statement");
    }
  }

  /** Stores a declared variable (node `id` declares it). */
  private define(id: number, value: Value, frame: Frame): void {
    switch (this.kind[id]) {
      case BindingKind.Global: this.globals[this.index[id] as number] = value; return;
      case BindingKind.Local: frame.slots[this.index[id] as number] = value; return;
      case BindingKind.Cell: frame.slots[this.index[id] as number] = new Cell(value); return;
      default: throw new Error(`internal error: declaration node ${id} has no storage`);
    }
  }

  /**
   * A local function that refers to itself captures its own variable, so the
   * variable's cell must exist before the closure is made (the reference
   * gets this from capturing the stack slot before storing the closure).
   */
  private functionDeclaration(decl: FunctionStmt, frame: Frame): void {
    if (this.kind[decl.id] === BindingKind.Cell) {
      const cell = new Cell(null);
      frame.slots[this.index[decl.id] as number] = cell;
      cell.value = this.closure(decl, frame);
    } else {
      this.define(decl.id, this.closure(decl, frame), frame);
    }
  }

  private closure(decl: FunctionStmt, frame: Frame): LoxFunction {
    const scope = this.resolution.functions.get(decl);
    if (scope === undefined) throw new Error(`internal error: function '${decl.name}' was not resolved`);
    const upvalues = scope.upvalues.map((u) => (u.fromEnclosingSlot ? frame.slots[u.index] : frame.upvalues[u.index]) as Cell);
    return new LoxFunction(decl, scope, upvalues);
  }

  private classDeclaration(stmt: ClassStmt, frame: Frame): void {
    const methods = new Map<string, LoxFunction>();
    const readonlyFields = new Set<string>();
    for (const a of stmt.annotations) {
      if (a.name !== READONLY_ATTRIBUTE || this.disabledAnnotations.has(a.name)) continue;
      for (const arg of a.args) if (arg.kind === "name") readonlyFields.add(arg.name);
    }
    const klass = new LoxClass(stmt.name, methods, readonlyFields);
    this.define(stmt.id, klass, frame);
    if (stmt.superclass !== null) {
      const superclass = this.eval(stmt.superclass, frame);
      if (!(superclass instanceof LoxClass)) throw new LoxRuntimeError(RuntimeMessage.superclassMustBeClass, stmt.superclass.line);
      const slot = this.extraIndex[stmt.id] as number;
      frame.slots[slot] = this.extraKind[stmt.id] === BindingKind.Cell ? new Cell(superclass) : superclass;
      for (const [name, method] of superclass.methods) methods.set(name, method);
      for (const name of superclass.readonlyFields) readonlyFields.add(name);
    }
    for (const method of stmt.methods) methods.set(method.name, this.closure(method, frame));
  }

  // ---- expressions ----

  private read(kind: number, index: number, frame: Frame, expr: Expr & { name?: string }): Value {
    switch (kind) {
      case BindingKind.Local: return frame.slots[index] as Value;
      case BindingKind.Cell: return (frame.slots[index] as Cell).value;
      case BindingKind.Upvalue: return (frame.upvalues[index] as Cell).value;
      case BindingKind.Global: {
        const v = this.globals[index] as GlobalSlot;
        if (v === UNDEFINED) throw new LoxRuntimeError(RuntimeMessage.undefinedVariable(expr.name ?? "?"), expr.line);
        return v;
      }
      default: throw new Error(`internal error: node ${expr.id} is not bound`);
    }
  }

  private eval(expr: Expr, frame: Frame): Value {
    switch (expr.kind) {
      case "variable":
        return this.read(this.kind[expr.id] as number, this.index[expr.id] as number, frame, expr);
      case "literal":
        return expr.value;
      case "binary":
        return this.binary(expr.op, this.eval(expr.left, frame), this.eval(expr.right, frame), expr.line);
      case "call": {
        const callee = this.eval(expr.callee, frame);
        const args = this.evalArgs(expr.args, frame);
        try {
          return this.callValue(callee, args, expr.line);
        } catch (e) {
          throw this.unwindAt(e, expr.line);
        }
      }
      case "get": {
        const object = this.eval(expr.object, frame);
        if (!(object instanceof LoxInstance)) throw new LoxRuntimeError(RuntimeMessage.onlyInstancesHaveProperties, expr.line);
        const field = object.fields.get(expr.name);
        if (field !== undefined) return field;
        const method = object.klass.methods.get(expr.name);
        if (method === undefined) throw new LoxRuntimeError(RuntimeMessage.undefinedProperty(expr.name), expr.line);
        return new LoxBoundMethod(object, method);
      }
      case "invoke": {
        const object = this.eval(expr.object, frame);
        const args = this.evalArgs(expr.args, frame);
        const line = expr.line;
        if (!(object instanceof LoxInstance)) throw new LoxRuntimeError(RuntimeMessage.onlyInstancesHaveMethods, line);
        const field = object.fields.get(expr.name);
        try {
          if (field !== undefined) return this.callValue(field, args, line);
          const method = object.klass.methods.get(expr.name);
          if (method === undefined) throw new LoxRuntimeError(RuntimeMessage.undefinedProperty(expr.name), line);
          return this.callFunction(method, args, object, line);
        } catch (e) {
          throw this.unwindAt(e, line);
        }
      }
      case "assign": {
        const value = this.eval(expr.value, frame);
        const index = this.index[expr.id] as number;
        switch (this.kind[expr.id]) {
          case BindingKind.Local: frame.slots[index] = value; break;
          case BindingKind.Cell: (frame.slots[index] as Cell).value = value; break;
          case BindingKind.Upvalue: (frame.upvalues[index] as Cell).value = value; break;
          case BindingKind.Global:
            if (this.globals[index] === UNDEFINED) throw new LoxRuntimeError(RuntimeMessage.undefinedVariable(expr.name), expr.line);
            this.globals[index] = value;
            break;
          default: throw new Error(`internal error: node ${expr.id} is not bound`);
        }
        return value;
      }
      case "this":
        return this.read(this.kind[expr.id] as number, this.index[expr.id] as number, frame, expr);
      case "logical": {
        const left = this.eval(expr.left, frame);
        if (expr.op === "or" ? isTruthy(left) : !isTruthy(left)) return left;
        return this.eval(expr.right, frame);
      }
      case "unary": {
        const v = this.eval(expr.operand, frame);
        if (expr.op === "!") return !isTruthy(v);
        if (typeof v !== "number") throw new LoxRuntimeError(RuntimeMessage.operandNumber, expr.line);
        return -v;
      }
      case "set": {
        const object = this.eval(expr.object, frame);
        const value = this.eval(expr.value, frame);
        if (!(object instanceof LoxInstance)) throw new LoxRuntimeError(RuntimeMessage.onlyInstancesHaveFields, expr.line);
        if (object.constructed && object.klass.readonlyFields.has(expr.name)) {
          throw new LoxRuntimeError(RuntimeMessage.readonlyField(expr.name), expr.line);
        }
        object.fields.set(expr.name, value);
        return value;
      }
      case "indexGet": {
        const object = this.eval(expr.object, frame);
        const index = this.eval(expr.index, frame);
        const array = this.checkIndex(object, index, expr.line);
        return array.elements[index as number] as Value;
      }
      case "indexSet": {
        const object = this.eval(expr.object, frame);
        const index = this.eval(expr.index, frame);
        const value = this.eval(expr.value, frame);
        const array = this.checkIndex(object, index, expr.line);
        if (array.frozen) throw new LoxRuntimeError(RuntimeMessage.frozenArray, expr.line);
        array.elements[index as number] = value;
        return value;
      }
      case "array":
        return new LoxArray(this.evalArgs(expr.elements, frame));
      case "superInvoke": {
        const receiver = this.read(this.extraKind[expr.id] as number, this.extraIndex[expr.id] as number, frame, expr);
        const args = this.evalArgs(expr.args, frame);
        const superclass = this.read(this.kind[expr.id] as number, this.index[expr.id] as number, frame, expr) as LoxClass;
        const method = superclass.methods.get(expr.name);
        if (method === undefined) throw new LoxRuntimeError(RuntimeMessage.undefinedProperty(expr.name), expr.line);
        try {
          return this.callFunction(method, args, receiver, expr.line);
        } catch (e) {
          throw this.unwindAt(e, expr.line);
        }
      }
      case "superGet": {
        const receiver = this.read(this.extraKind[expr.id] as number, this.extraIndex[expr.id] as number, frame, expr);
        const superclass = this.read(this.kind[expr.id] as number, this.index[expr.id] as number, frame, expr) as LoxClass;
        const method = superclass.methods.get(expr.name);
        if (method === undefined) throw new LoxRuntimeError(RuntimeMessage.undefinedProperty(expr.name), expr.line);
        return new LoxBoundMethod(receiver, method);
      }
      case "error":
        throw new Error("internal error: executing a program with syntax errors");
      default:
        return assertNever(expr, "expression");
    }
  }

  private evalArgs(exprs: readonly Expr[], frame: Frame): Value[] {
    const values = new Array<Value>(exprs.length);
    for (let i = 0; i < exprs.length; i++) values[i] = this.eval(exprs[i] as Expr, frame);
    return values;
  }

  private checkIndex(object: Value, index: Value, line: number): LoxArray {
    if (!(object instanceof LoxArray)) throw new LoxRuntimeError(RuntimeMessage.onlyArraysIndexed, line);
    if (typeof index !== "number" || !Number.isInteger(index)) throw new LoxRuntimeError(RuntimeMessage.indexNotInteger, line);
    if (index < 0 || index >= object.elements.length) {
      throw new LoxRuntimeError(RuntimeMessage.indexOutOfBounds(index, object.elements.length), line);
    }
    return object;
  }

  private binary(op: string, a: Value, b: Value, line: number): Value {
    switch (op) {
      case "+":
        if (typeof a === "number" && typeof b === "number") return a + b;
        if (typeof a === "string" && typeof b === "string") return a + b;
        throw new LoxRuntimeError(RuntimeMessage.operandsNumbersOrStrings, line);
      case "==": return a === b;
      case "!=": return a !== b;
      default: break;
    }
    if (typeof a !== "number" || typeof b !== "number") throw new LoxRuntimeError(RuntimeMessage.operandsNumbers, line);
    switch (op) {
      case "-": return a - b;
      case "*": return a * b;
      case "/": return a / b;
      case "%": return a % b;
      case "<": return a < b;
      case "<=": return a <= b;
      case ">": return a > b;
      case ">=": return a >= b;
      default: throw new Error(`internal error: unknown binary operator ${op}`);
    }
  }

  // ---- calls ----

  /**
   * An exception leaving the call operation of a call expression on `line`:
   * a runtime error continues unwinding from this line of the caller, and
   * host stack exhaustion becomes "Stack overflow." here.
   */
  private unwindAt(e: unknown, line: number): unknown {
    if (e instanceof LoxRuntimeError) {
      e.line = line;
      return e;
    }
    if (isHostStackOverflow(e)) return new LoxRuntimeError(RuntimeMessage.stackOverflow, line);
    return e;
  }

  private callValue(callee: Value, args: Value[], line: number): Value {
    if (callee instanceof LoxFunction) return this.callFunction(callee, args, null, line);
    if (callee instanceof LoxBoundMethod) return this.callFunction(callee.method, args, callee.receiver, line);
    if (callee instanceof LoxClass) {
      const instance = new LoxInstance(callee);
      const init = callee.initializer();
      if (init !== undefined) this.callFunction(init, args, instance, line);
      else if (args.length !== 0) throw new LoxRuntimeError(RuntimeMessage.arity(0, args.length), line);
      instance.constructed = true;
      return instance;
    }
    if (callee instanceof LoxNative) return this.callNative(callee, args, line);
    throw new LoxRuntimeError(RuntimeMessage.canOnlyCall, line);
  }

  private callNative(native: LoxNative, args: Value[], line: number): Value {
    if (args.length !== native.arity) throw new LoxRuntimeError(RuntimeMessage.arity(native.arity, args.length), line);
    const context: NativeCallContext = {
      fail(message: string): never {
        throw new LoxRuntimeError(message, line);
      },
    };
    return native.impl(args, context);
  }

  private callFunction(fn: LoxFunction, args: Value[], receiver: Value, line: number): Value {
    const { decl, scope } = fn;
    if (args.length !== decl.params.length) throw new LoxRuntimeError(RuntimeMessage.arity(decl.params.length, args.length), line);
    const slots = new Array<Value | Cell>(scope.slotCount);
    slots[0] = scope.thisCaptured ? new Cell(receiver) : receiver;
    const captured = scope.paramCaptured;
    for (let i = 0; i < args.length; i++) {
      const arg = args[i] as Value;
      slots[i + 1] = captured[i] ? new Cell(arg) : arg;
    }
    const frame: Frame = { slots, upvalues: fn.upvalues };
    let returned: boolean;
    try {
      returned = this.execBlock(decl.body, frame);
    } catch (e) {
      if (e instanceof LoxRuntimeError) e.leaveFrame(decl.name);
      throw e;
    }
    if (decl.functionKind === "initializer") return receiver;
    if (!returned) return null;
    const value = this.returnValue;
    this.returnValue = null;
    return value;
  }
}
