/**
 * An IR module: the functions of one program (or of one run-time
 * specialization), with the module-level tables their immediates refer to:
 * symbols (string constants and field/method names, interned), globals
 * (Lox's late-bound top-level variables, by name), and class descriptors.
 *
 * Lox-level functions share one calling convention: parameters are
 * (closure, receiver, arg1, ..., argN) of type val, result val. So a Lox
 * function of arity N has N + 2 parameters.
 */
import type { ClassId, FuncId, GlobalId, SymbolId } from "./entities.ts";
import { FunctionBody } from "./function-body.ts";
import type { Type } from "./types.ts";

/** An annotation carried from the source (`@specialize(code)`) as a function or class attribute. */
export interface Attribute {
  readonly name: string;
  readonly args: readonly (string | number)[];
}

/**
 * What a function is: a Lox function (Lox calling convention, callable
 * through a closure, so it has a slot in the function table), a helper of
 * the runtime library (machine-level, called directly), or an import (a
 * host function with no body).
 */
export type FunctionKind = "lox" | "helper" | "import";

export interface IrFunction {
  readonly id: FuncId;
  readonly kind: FunctionKind;
  /** Source name (`script` for the top level); not unique. */
  readonly name: string;
  readonly params: readonly Type[];
  readonly result: Type;
  /** Replaced (never mutated) by passes that change what a function is, e.g. a dispatch stub. */
  attributes: readonly Attribute[];
  /** Source line of the declaration (0 if none). */
  readonly line: number;
  body: FunctionBody;
}

export interface ClassDecl {
  readonly id: ClassId;
  readonly name: string;
  readonly attributes: readonly Attribute[];
}

/** Number of leading parameters of every Lox-level function: the closure and the receiver. */
export const LOX_IMPLICIT_PARAMS = 2;

export class Module {
  private readonly symbolTexts: string[] = [];
  private readonly symbolIds = new Map<string, SymbolId>();
  private readonly globalNames: string[] = [];
  private readonly globalIds = new Map<string, GlobalId>();
  readonly functions: IrFunction[] = [];
  readonly classes: ClassDecl[] = [];
  /** The top-level script function, once lowered. */
  entry: FuncId | null = null;
  /**
   * The module whose functions the table slots of `call.lox` name: this
   * one, unless it is code linked into a running program (a batch of
   * specialized code), whose slots are the program's function ids.
   */
  slotOwner: Module = this;

  symbol(text: string): SymbolId {
    let id = this.symbolIds.get(text);
    if (id === undefined) {
      id = this.symbolTexts.length as SymbolId;
      this.symbolTexts.push(text);
      this.symbolIds.set(text, id);
    }
    return id;
  }
  symbolText(id: SymbolId): string {
    const text = this.symbolTexts[id];
    if (text === undefined) throw new Error(`internal error: unknown symbol ${id}`);
    return text;
  }
  get symbolCount(): number {
    return this.symbolTexts.length;
  }

  global(name: string): GlobalId {
    let id = this.globalIds.get(name);
    if (id === undefined) {
      id = this.globalNames.length as GlobalId;
      this.globalNames.push(name);
      this.globalIds.set(name, id);
    }
    return id;
  }
  findGlobal(name: string): GlobalId | undefined {
    return this.globalIds.get(name);
  }
  globalName(id: GlobalId): string {
    const name = this.globalNames[id];
    if (name === undefined) throw new Error(`internal error: unknown global ${id}`);
    return name;
  }
  get globalCount(): number {
    return this.globalNames.length;
  }

  addFunction(
    name: string, params: readonly Type[], result: Type, attributes: readonly Attribute[] = [], line = 0,
    kind: FunctionKind = "lox",
  ): IrFunction {
    const fn: IrFunction = { id: this.functions.length as FuncId, kind, name, params, result, attributes, line, body: new FunctionBody() };
    this.functions.push(fn);
    return fn;
  }

  /** Finds a helper or import by name (names of those are unique in a module). */
  findFunction(name: string, kind: FunctionKind): IrFunction | undefined {
    return this.functions.find((f) => f.kind === kind && f.name === name);
  }
  /** The Lox function in table slot `slot`, if there is one. */
  slotFunction(slot: number): IrFunction | null {
    const fn = this.slotOwner.functions[slot];
    return fn !== undefined && fn.kind === "lox" ? fn : null;
  }
  func(id: FuncId): IrFunction {
    const fn = this.functions[id];
    if (fn === undefined) throw new Error(`internal error: unknown function f${id}`);
    return fn;
  }

  addClass(name: string, attributes: readonly Attribute[] = []): ClassDecl {
    const decl: ClassDecl = { id: this.classes.length as ClassId, name, attributes };
    this.classes.push(decl);
    return decl;
  }
  classDecl(id: ClassId): ClassDecl {
    const decl = this.classes[id];
    if (decl === undefined) throw new Error(`internal error: unknown class c${id}`);
    return decl;
  }
}
