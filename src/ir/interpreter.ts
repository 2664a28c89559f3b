/**
 * The IR interpreter: executes a module's functions directly, for both
 * levels of ops. It is an oracle, used to run programs (`--engine=ir`) and
 * to check that optimized and unoptimized IR agree; it favours simplicity
 * over speed, but decodes each body once into flat arrays.
 *
 * Machine-level ops are evaluated here from the opcode table (`apply`),
 * with loads and stores on the host's memory. Lox-level ops are the host's
 * business (`InterpreterHost.lox`): their semantics need the heap and the
 * runtime, which live outside src/ir. Values are opaque JavaScript values:
 * i32 and f64 are numbers, i64 is a bigint, val is whatever the host uses.
 *
 * Errors: when an exception leaves a function, the host may rewrite it
 * (`unwind`), given the function and the source line of the instruction
 * that was executing; that is how runtime errors get their trace.
 */
import type { Block, FuncId, Value } from "./entities.ts";
import type { FunctionBody } from "./function-body.ts";
import type { IrFunction, Module } from "./module.ts";
import { isContextOp, Op, OPCODES, type Opcode, type OpcodeInfo, type Raw } from "./opcodes.ts";

export interface InterpreterHost {
  /** Evaluates a Lox-level instruction; `line` is its source line (0 if unknown). */
  lox(op: Opcode, args: unknown[], imm: number, line: number): unknown;
  /** Linear memory for machine-level loads and stores. */
  memory(): DataView;
  /** Calls an imported (host) function. */
  callImport(fn: IrFunction, args: unknown[]): unknown;
  /** Grows memory by `pages` of 64 KiB; returns the old size in pages or -1. */
  growMemory(pages: number): number;
  /** The shadow stack pointer (machine-level code keeps GC roots below it). */
  shadowSp: number;
  /**
   * Called as an exception leaves `fn`, with the instruction that was
   * executing there (its opcode and source line); returns what to rethrow.
   */
  unwind(error: unknown, fn: IrFunction, op: Opcode, line: number): unknown;
}

/** Thrown when a run exceeds its instruction budget. */
export class FuelExhausted extends Error {
  constructor() {
    super("instruction budget exhausted");
  }
}

/** A Wasm-style trap (integer division by zero, unreachable). */
export class Trap extends Error {}

interface DecodedInst {
  readonly value: Value;
  readonly op: Opcode;
  readonly info: OpcodeInfo;
  readonly args: Int32Array;
  readonly imm: number;
  readonly line: number;
}

interface DecodedTarget {
  readonly block: Block;
  readonly args: Int32Array;
  readonly params: Int32Array;
}

type DecodedTerm =
  | { readonly kind: "jump"; readonly target: DecodedTarget }
  | { readonly kind: "br"; readonly cond: Value; readonly then: DecodedTarget; readonly else: DecodedTarget }
  | { readonly kind: "switch"; readonly value: Value; readonly targets: readonly DecodedTarget[]; readonly default: DecodedTarget }
  | { readonly kind: "return"; readonly value: Value | null }
  | { readonly kind: "unreachable" };

interface DecodedBlock {
  readonly insts: readonly DecodedInst[];
  readonly term: DecodedTerm;
}

interface Decoded {
  readonly blocks: (DecodedBlock | undefined)[];
  readonly entryParams: Int32Array;
  readonly valueCount: number;
}

function decode(body: FunctionBody): Decoded {
  const blocks: (DecodedBlock | undefined)[] = new Array(body.blockCount);
  const target = (t: { block: Block; args: readonly Value[] }): DecodedTarget => ({
    block: t.block,
    args: Int32Array.from(t.args),
    params: Int32Array.from(body.blockParams(t.block)),
  });
  for (const b of body.blocks()) {
    const insts = body.blockInsts(b).filter((v) => !isContextOp(body.opcode(v))).map((v): DecodedInst => {
      const op = body.opcode(v);
      const info = OPCODES[op] as OpcodeInfo;
      const imm = op === Op.i64Const || op === Op.valConst ? 0 : body.imm(v);
      return { value: v, op, info, args: Int32Array.from(body.args(v)), imm, line: body.span(v)?.line ?? 0 };
    });
    const t = body.terminator(b);
    let term: DecodedTerm;
    switch (t.kind) {
      case "jump": term = { kind: "jump", target: target(t.target) }; break;
      case "br": term = { kind: "br", cond: t.cond, then: target(t.then), else: target(t.else) }; break;
      case "switch": term = { kind: "switch", value: t.value, targets: t.targets.map(target), default: target(t.default) }; break;
      case "return": term = { kind: "return", value: t.value }; break;
      default: term = { kind: "unreachable" }; break;
    }
    blocks[b] = { insts, term };
  }
  return { blocks, entryParams: Int32Array.from(body.blockParams(body.entry)), valueCount: body.valueCount };
}

export class IrInterpreter {
  private readonly decoded = new WeakMap<FunctionBody, Decoded>();
  /** Remaining instruction budget (blocks executed count toward it). */
  fuel: number;
  /**
   * Chooses the function that really runs for a call of `fn` with `args`
   * (a tiering policy installs specialized code this way); null runs `fn`.
   */
  redirect: ((fn: IrFunction, args: readonly unknown[]) => IrFunction) | null = null;

  constructor(readonly module: Module, private readonly host: InterpreterHost, fuel = Infinity) {
    this.fuel = fuel;
  }

  private decodedBody(body: FunctionBody): Decoded {
    let d = this.decoded.get(body);
    if (d === undefined) {
      d = decode(body);
      this.decoded.set(body, d);
    }
    return d;
  }

  call(id: FuncId, args: readonly unknown[]): unknown {
    const fn = this.module.func(id);
    if (fn.kind === "import") return this.host.callImport(fn, [...args]);
    return this.run(fn, args);
  }

  run(called: IrFunction, args: readonly unknown[]): unknown {
    const fn = this.redirect === null ? called : this.redirect(called, args);
    const code = this.decodedBody(fn.body);
    const regs: unknown[] = new Array(code.valueCount);
    for (let i = 0; i < code.entryParams.length; i++) regs[code.entryParams[i] as number] = args[i];
    let block = code.blocks[fn.body.entry] as DecodedBlock;
    let line = 0;
    let op = Op.loxNil;
    try {
      for (;;) {
        if (--this.fuel < 0) throw new FuelExhausted();
        const insts = block.insts;
        for (let i = 0; i < insts.length; i++) {
          const inst = insts[i] as DecodedInst;
          line = inst.line;
          op = inst.op;
          regs[inst.value] = this.exec(inst, regs, fn.body);
        }
        const term = block.term;
        let next: DecodedTarget;
        switch (term.kind) {
          case "return":
            return term.value === null ? undefined : regs[term.value];
          case "jump":
            next = term.target;
            break;
          case "br":
            next = (regs[term.cond] as number) !== 0 ? term.then : term.else;
            break;
          case "switch": {
            const k = regs[term.value] as number;
            next = k >= 0 && k < term.targets.length ? (term.targets[k] as DecodedTarget) : term.default;
            break;
          }
          case "unreachable":
            throw new Trap("unreachable executed");
        }
        // Parallel assignment of block arguments.
        const n = next.args.length;
        if (n === 1) regs[next.params[0] as number] = regs[next.args[0] as number];
        else if (n > 1) {
          const values = new Array<unknown>(n);
          for (let i = 0; i < n; i++) values[i] = regs[next.args[i] as number];
          for (let i = 0; i < n; i++) regs[next.params[i] as number] = values[i];
        }
        block = code.blocks[next.block] as DecodedBlock;
      }
    } catch (e) {
      throw this.host.unwind(e, fn, op, line);
    }
  }

  private exec(inst: DecodedInst, regs: unknown[], body: FunctionBody): unknown {
    const { info, args } = inst;
    if (info.level === "lox") {
      const values = new Array<unknown>(args.length);
      for (let i = 0; i < args.length; i++) values[i] = regs[args[i] as number];
      return this.host.lox(inst.op, values, inst.imm, inst.line);
    }
    const a = regs[args[0] as number] as Raw;
    const b = regs[args[1] as number] as Raw;
    if (info.apply !== undefined) return info.apply(a, b, regs[args[2] as number] as Raw);
    switch (inst.op) {
      case Op.i32Const:
      case Op.f64Const:
        return inst.imm;
      case Op.i64Const:
      case Op.valConst:
        return body.i64Constant(body.imm(inst.value));
      case Op.i32DivS: case Op.i32DivU: case Op.i32RemS: case Op.i32RemU:
        return this.division(inst.op, a as number, b as number);
      case Op.select:
        return (a as number) !== 0 ? regs[args[1] as number] : regs[args[2] as number];
      case Op.valBits: case Op.valFromBits:
        // Machine-level code keeps vals as their 64 bits (bigints): these are identities.
        return a;
      case Op.call: {
        const values = new Array<unknown>(args.length);
        for (let i = 0; i < args.length; i++) values[i] = regs[args[i] as number];
        return this.call(inst.imm as FuncId, values);
      }
      case Op.callLox: case Op.callLoxPure: {
        const values = new Array<unknown>(args.length - 1);
        for (let i = 1; i < args.length; i++) values[i - 1] = regs[args[i] as number];
        return this.call(a as number as FuncId, values);
      }
      case Op.memorySize:
        return this.host.memory().byteLength / 65536;
      case Op.memoryFill:
        new Uint8Array(this.host.memory().buffer).fill((b as number) & 0xff, (a as number) >>> 0, ((a as number) >>> 0) + ((regs[args[2] as number] as number) >>> 0));
        return undefined;
      case Op.shadowSpGet:
        return this.host.shadowSp;
      case Op.shadowSpSet:
        this.host.shadowSp = a as number;
        return undefined;
      case Op.memoryGrow:
        return this.host.growMemory(a as number);
      default:
        return this.memoryOp(inst, a as number, regs[args[1] as number]);
    }
  }

  private division(op: Opcode, a: number, b: number): number {
    if (b === 0) throw new Trap("integer divide by zero");
    switch (op) {
      case Op.i32DivS:
        if (a === -2147483648 && b === -1) throw new Trap("integer overflow");
        return (a / b) | 0;
      case Op.i32DivU: return ((a >>> 0) / (b >>> 0)) | 0;
      case Op.i32RemS: return a % b | 0;
      default: return ((a >>> 0) % (b >>> 0)) | 0;
    }
  }

  private memoryOp(inst: DecodedInst, addr: number, value: unknown): unknown {
    const m = this.host.memory();
    const at = (addr >>> 0) + inst.imm;
    switch (inst.op) {
      case Op.i32Load: return m.getInt32(at, true);
      case Op.i32Load8U: return m.getUint8(at);
      case Op.i32Load16U: return m.getUint16(at, true);
      case Op.i64Load: return m.getBigInt64(at, true);
      case Op.f64Load: return m.getFloat64(at, true);
      case Op.i32Store: m.setInt32(at, value as number, true); return undefined;
      case Op.i32Store8: m.setUint8(at, (value as number) & 0xff); return undefined;
      case Op.i32Store16: m.setUint16(at, (value as number) & 0xffff, true); return undefined;
      case Op.i64Store: m.setBigInt64(at, value as bigint, true); return undefined;
      case Op.f64Store: m.setFloat64(at, value as number, true); return undefined;
      default: throw new Error(`internal error: the interpreter has no rule for ${inst.info.name}`);
    }
  }
}
