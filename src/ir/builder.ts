/**
 * A builder for function bodies: a current block, instruction helpers that
 * fill in result types from the opcode table, and terminator helpers.
 * Lowering and the runtime's IR-written services use it; it never checks
 * more than it must (the verifier does that).
 */
import type { Block, BlockTarget, FuncId, SourceSpan, Value } from "./entities.ts";
import type { FunctionBody } from "./function-body.ts";
import type { Module } from "./module.ts";
import { Op, opInfo, type Opcode } from "./opcodes.ts";
import { Type } from "./types.ts";

export class FunctionBuilder {
  private block: Block | null = null;
  /** Span given to instructions created from now on. */
  span: SourceSpan | null = null;

  constructor(readonly body: FunctionBody, readonly module: Module) {}

  get current(): Block {
    if (this.block === null) throw new Error("internal error: no current block");
    return this.block;
  }

  /** Whether the current block already has a terminator (code after it is unreachable). */
  get terminated(): boolean {
    return this.block === null || this.body.terminator(this.block).kind !== "none";
  }

  newBlock(): Block {
    return this.body.addBlock();
  }

  switchTo(b: Block): void {
    this.block = b;
  }

  param(b: Block, type: Type): Value {
    return this.body.addParam(b, type);
  }

  /** Appends an instruction to the current block. */
  inst(op: Opcode, args: readonly Value[] = [], imm = 0, type?: Type): Value {
    const v = this.body.createInst(op, args, imm, type);
    if (this.span !== null) this.body.setSpan(v, this.span);
    this.body.appendInst(this.current, v);
    return v;
  }

  i32(value: number): Value {
    return this.inst(Op.i32Const, [], value | 0);
  }
  f64(value: number): Value {
    return this.inst(Op.f64Const, [], value);
  }
  i64(value: bigint): Value {
    return this.inst(Op.i64Const, [], this.body.i64Index(BigInt.asIntN(64, value)));
  }
  num(value: number): Value {
    return this.inst(Op.loxNum, [], value);
  }
  str(text: string): Value {
    return this.inst(Op.loxStr, [], this.module.symbol(text));
  }
  call(fn: FuncId, args: readonly Value[]): Value {
    const callee = this.module.func(fn);
    return this.inst(Op.call, args, fn, callee.result);
  }

  jump(target: Block, args: readonly Value[] = []): void {
    this.body.setTerminator(this.current, { kind: "jump", target: { block: target, args } });
  }
  br(cond: Value, then: BlockTarget | Block, otherwise: BlockTarget | Block): void {
    const t = (x: BlockTarget | Block): BlockTarget => (typeof x === "number" ? { block: x, args: [] } : x);
    this.body.setTerminator(this.current, { kind: "br", cond, then: t(then), else: t(otherwise) });
  }
  ret(value: Value | null): void {
    this.body.setTerminator(this.current, { kind: "return", value });
  }
  unreachable(): void {
    this.body.setTerminator(this.current, { kind: "unreachable" });
  }

  /** The result type an instruction of `op` would get. */
  static resultType(op: Opcode): Type {
    const r = opInfo(op).result;
    return r === "dynamic" ? Type.none : r;
  }
}
