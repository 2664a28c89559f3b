/**
 * Emits the code of one bytecode function: opcodes with inline operands, a
 * line per code index, a deduplicated constant pool, the operand-stack
 * depth (tracked from each opcode's stack effect, so `maxStack` is an upper
 * bound of the real depth), and block-scoped local slots (a slot is reused
 * once its block ends; `nlocals` is the most ever live at once).
 */
import type { BytecodeFunction, Constant } from "./bytecode.ts";
import { Op } from "./opcodes.ts";

/** Stack effect of opcodes whose effect does not depend on an operand. */
function stackEffect(op: Op, operand: number): number {
  switch (op) {
    case Op.constant: case Op.nil: case Op.true: case Op.false: case Op.dup: case Op.getLocal: case Op.getGlobal:
      return 1;
    case Op.pop: case Op.defineGlobal: case Op.jumpIfFalse: case Op.print: case Op.return: case Op.getIndex:
    case Op.push: case Op.newArray:
    case Op.add: case Op.subtract: case Op.multiply: case Op.divide: case Op.modulo:
    case Op.equal: case Op.notEqual: case Op.less: case Op.lessEqual: case Op.greater: case Op.greaterEqual:
      return -1;
    case Op.setIndex:
      return -2;
    case Op.setLocal: case Op.setGlobal: case Op.negate: case Op.not: case Op.jump: case Op.len: case Op.popLast:
    case Op.str: case Op.floor:
      return 0;
    case Op.arrayLiteral:
      return 1 - operand;
    case Op.call:
      return 1 - operand;
  }
}

export interface LocalVariable {
  readonly slot: number;
  initialized: boolean;
}

export class FunctionBuilder {
  private readonly code: number[] = [];
  private readonly lines: number[] = [];
  private readonly constants: Constant[] = [];
  private readonly constantIndex = new Map<string, number>();
  private depth = 0;
  private maxDepth = 0;
  private readonly scopes: Map<string, LocalVariable>[] = [];
  private liveLocals = 0;
  private maxLocals = 0;

  constructor(readonly name: string, readonly arity: number) {}

  /** Emits `op` with its operands; for `call`, the stack effect uses the second operand (argc). */
  emit(line: number, op: Op, ...operands: number[]): number {
    const at = this.code.length;
    this.code.push(op, ...operands);
    for (let i = 0; i <= operands.length; i++) this.lines.push(line);
    this.depth += stackEffect(op, op === Op.call ? (operands[1] ?? 0) : (operands[0] ?? 0));
    this.maxDepth = Math.max(this.maxDepth, this.depth);
    return at;
  }

  /** Emits a jump with a placeholder target; returns the index of the operand to patch. */
  emitJump(line: number, op: typeof Op.jump | typeof Op.jumpIfFalse): number {
    return this.emit(line, op, -1) + 1;
  }

  /** Makes the jump whose operand is at `operandAt` go to the next instruction. */
  patchJump(operandAt: number): void {
    this.code[operandAt] = this.code.length;
  }

  get position(): number {
    return this.code.length;
  }

  constant(value: Constant): number {
    const key = `${typeof value}:${String(value)}`;
    let index = this.constantIndex.get(key);
    if (index === undefined) {
      index = this.constants.length;
      this.constants.push(value);
      this.constantIndex.set(key, index);
    }
    return index;
  }

  get scopeDepth(): number {
    return this.scopes.length;
  }

  beginScope(): void {
    this.scopes.push(new Map());
  }

  endScope(): void {
    const scope = this.scopes.pop();
    if (scope !== undefined) this.liveLocals -= scope.size;
  }

  /** Declares a local in the innermost scope; null if the name is already declared there. */
  declareLocal(name: string): LocalVariable | null {
    const scope = this.scopes[this.scopes.length - 1];
    if (scope === undefined || scope.has(name)) return null;
    const local: LocalVariable = { slot: this.liveLocals++, initialized: false };
    this.maxLocals = Math.max(this.maxLocals, this.liveLocals);
    scope.set(name, local);
    return local;
  }

  resolveLocal(name: string): LocalVariable | null {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const local = this.scopes[i]?.get(name);
      if (local !== undefined) return local;
    }
    return null;
  }

  finish(): BytecodeFunction {
    return {
      name: this.name, arity: this.arity, nlocals: this.maxLocals, maxStack: this.maxDepth,
      code: this.code, constants: this.constants, lines: this.lines,
    };
  }
}
