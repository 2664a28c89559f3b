/**
 * Run-time values of the reference tree-walking engine.
 *
 * Numbers, booleans and strings are JavaScript primitives (a Lox string is a
 * byte string: one UTF-16 unit per byte), nil is `null`; everything else is
 * one of the classes below. These are deliberately plain: this engine is the
 * oracle the compiled engines are checked against.
 */
import type { FunctionStmt } from "../syntax/ast.ts";
import type { FunctionScope } from "../sema/index.ts";

export type Value = number | boolean | string | null | LoxObject;
export type LoxObject = LoxFunction | LoxNative | LoxClass | LoxInstance | LoxBoundMethod | LoxArray;

/** A captured variable (the reference's closed upvalue). */
export class Cell {
  constructor(public value: Value) {}
}

export class LoxFunction {
  constructor(
    readonly decl: FunctionStmt,
    readonly scope: FunctionScope,
    readonly upvalues: readonly Cell[],
  ) {}
  get name(): string {
    return this.decl.name;
  }
  get arity(): number {
    return this.decl.params.length;
  }
}

export type NativeImpl = (args: Value[], call: NativeCallContext) => Value;

/** What a native may ask of the engine. */
export interface NativeCallContext {
  /** Raises a Lox runtime error at the call site. */
  fail(message: string): never;
}

export class LoxNative {
  constructor(readonly name: string, readonly arity: number, readonly impl: NativeImpl) {}
}

export class LoxClass {
  constructor(
    readonly name: string,
    readonly methods: Map<string, LoxFunction>,
    /** Fields its instances may assign only while being constructed (`@readonly`, own and inherited). */
    readonly readonlyFields: Set<string> = new Set(),
  ) {}
  initializer(): LoxFunction | undefined {
    return this.methods.get("init");
  }
}

export class LoxInstance {
  readonly fields = new Map<string, Value>();
  /** The class call that made this instance has returned. */
  constructed = false;
  constructor(readonly klass: LoxClass) {}
}

export class LoxBoundMethod {
  constructor(readonly receiver: Value, readonly method: LoxFunction) {}
}

export class LoxArray {
  frozen = false;
  constructor(readonly elements: Value[]) {}
}

export function isTruthy(v: Value): boolean {
  return v !== null && v !== false;
}
