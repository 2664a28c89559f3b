/**
 * A structured way to write machine-level IR by hand: straight-line
 * instruction helpers plus `if` forms that create the blocks and joins.
 * The runtime library (src/runtime/wasm-lib) is written with it; lowering
 * Lox code uses the plain builder.
 */
import { FunctionBuilder } from "./builder.ts";
import type { FuncId, Value } from "./entities.ts";
import type { IrFunction, Module } from "./module.ts";
import { Op, type Opcode } from "./opcodes.ts";
import { Type } from "./types.ts";

export class Emitter {
  readonly b: FunctionBuilder;
  readonly params: readonly Value[];

  constructor(readonly module: Module, readonly fn: IrFunction) {
    this.b = new FunctionBuilder(fn.body, module);
    const entry = this.b.newBlock();
    this.b.switchTo(entry);
    this.params = fn.params.map((t) => this.b.param(entry, t));
  }

  param(i: number): Value {
    const v = this.params[i];
    if (v === undefined) throw new Error(`internal error: ${this.fn.name} has no parameter ${i}`);
    return v;
  }

  op(op: Opcode, ...args: Value[]): Value {
    return this.b.inst(op, args);
  }
  opImm(op: Opcode, imm: number, ...args: Value[]): Value {
    return this.b.inst(op, args, imm);
  }

  i32(n: number): Value {
    return this.b.i32(n);
  }
  i64(n: bigint): Value {
    return this.b.i64(n);
  }
  f64(n: number): Value {
    return this.b.f64(n);
  }
  /** A boxed value from its bits. */
  val(bits: bigint): Value {
    return this.b.inst(Op.valConst, [], this.fn.body.i64Index(BigInt.asIntN(64, bits)));
  }

  call(fn: FuncId | IrFunction, ...args: Value[]): Value {
    const id = typeof fn === "number" ? fn : fn.id;
    return this.b.call(id, args);
  }

  load32(addr: Value, offset = 0): Value {
    return this.b.inst(Op.i32Load, [addr], offset);
  }
  load8(addr: Value, offset = 0): Value {
    return this.b.inst(Op.i32Load8U, [addr], offset);
  }
  load64(addr: Value, offset = 0): Value {
    return this.b.inst(Op.i64Load, [addr], offset);
  }
  store32(addr: Value, value: Value, offset = 0): void {
    this.b.inst(Op.i32Store, [addr, value], offset);
  }
  store64(addr: Value, value: Value, offset = 0): void {
    this.b.inst(Op.i64Store, [addr, value], offset);
  }

  /** Runs `then` when `cond` (i32) is non-zero; `then` may return. */
  if(cond: Value, then: () => void): void {
    const thenBlock = this.b.newBlock();
    const join = this.b.newBlock();
    this.b.br(cond, thenBlock, join);
    this.b.switchTo(thenBlock);
    then();
    if (!this.b.terminated) this.b.jump(join);
    this.b.switchTo(join);
  }

  ifElse(cond: Value, then: () => void, otherwise: () => void): void {
    const thenBlock = this.b.newBlock();
    const elseBlock = this.b.newBlock();
    const join = this.b.newBlock();
    this.b.br(cond, thenBlock, elseBlock);
    this.b.switchTo(thenBlock);
    then();
    if (!this.b.terminated) this.b.jump(join);
    this.b.switchTo(elseBlock);
    otherwise();
    if (!this.b.terminated) this.b.jump(join);
    this.b.switchTo(join);
  }

  /** `cond ? then() : otherwise()`, each arm computing a value of `type`. */
  choose(cond: Value, type: Type, then: () => Value, otherwise: () => Value): Value {
    const thenBlock = this.b.newBlock();
    const elseBlock = this.b.newBlock();
    const join = this.b.newBlock();
    const result = this.b.param(join, type);
    this.b.br(cond, thenBlock, elseBlock);
    this.b.switchTo(thenBlock);
    this.b.jump(join, [then()]);
    this.b.switchTo(elseBlock);
    this.b.jump(join, [otherwise()]);
    this.b.switchTo(join);
    return result;
  }

  select(cond: Value, a: Value, b: Value): Value {
    return this.b.inst(Op.select, [cond, a, b], 0, this.fn.body.type(a));
  }

  ret(value: Value | null = null): void {
    this.b.ret(value);
  }

  unreachable(): void {
    this.b.unreachable();
  }

  /** Whether the current block has ended (code after it would be dead). */
  get done(): boolean {
    return this.b.terminated;
  }

  /** Ends the function with `unreachable` if the last block has no terminator. */
  finish(): void {
    if (!this.b.terminated) this.b.unreachable();
  }
}

