/**
 * Translates one machine-level IR function into a binaryen function.
 *
 * An IR value with a type gets a Wasm local (parameters of the entry block
 * are the Wasm parameters) unless it is dead (not emitted), a constant
 * (emitted at each use) or has one use in its own block that it can be
 * folded into as an expression tree (all three from expression-trees.ts); an instruction
 * becomes `local.set` of its expression, a use `local.get`. Blocks become Relooper blocks
 * (A. Zakai, "Emscripten: an LLVM-to-JavaScript compiler", 2011), which
 * restructures arbitrary, even irreducible, control flow; block arguments
 * are copied into the target's parameter locals on the edge, through
 * temporaries when several are passed (a parallel copy). binaryen's
 * optimizer removes the redundant locals and copies at -O2.
 *
 * Assumes: the IR verifies and has no Lox-level instructions left.
 */
import {
  type Block, type BlockTarget, type FunctionBody, type IrFunction, type Module, Op, type Opcode, opInfo, Type, type Value,
  ValueKind,
} from "../ir/index.ts";
import type { Binaryen } from "./binaryen-loader.ts";
import { ExpressionTrees } from "./expression-trees.ts";

type BModule = InstanceType<Binaryen["Module"]>;
type Expr = number;

/** Names of module entities in the Wasm module. */
export interface WasmNames {
  func(id: number): string;
  readonly table: string;
  readonly ssp: string;
}

export function wasmType(b: Binaryen, t: Type): number {
  switch (t) {
    case Type.none: return b.none;
    case Type.i32: return b.i32;
    case Type.i64: case Type.val: return b.i64;
    case Type.f64: return b.f64;
    case Type.v128: return b.v128;
    default: throw new Error(`internal error: no Wasm type for IR type ${t}`);
  }
}

export class FunctionCodegen {
  private readonly locals = new Map<Value, number>();
  /** Wasm types of all locals, parameters first. */
  private readonly localTypes: number[];
  private readonly debug: [Expr, number][] = [];
  /** Expression trees of inlined instructions of the block being emitted, until their use. */
  private readonly pending = new Map<Value, Expr>();
  /** Branch conditions, built with their block's code (they may be inlined trees). */
  private readonly conditions = new Map<Block, Expr>();
  private readonly trees: ExpressionTrees;

  constructor(
    private readonly b: Binaryen,
    private readonly m: BModule,
    private readonly module: Module,
    private readonly fn: IrFunction,
    private readonly names: WasmNames,
  ) {
    this.localTypes = fn.params.map((t) => wasmType(b, t));
    this.trees = new ExpressionTrees(fn.body);
  }

  /** Adds the function to the binaryen module; returns debug locations (expression, line) to attach. */
  emit(): [Expr, number][] {
    const { b, m, fn } = this;
    const body = fn.body;
    body.blockParams(body.entry).forEach((p, i) => this.locals.set(p, i));
    const relooper = new b.Relooper(m);
    const rblocks = new Map<Block, number>();
    for (const blk of body.blocks()) rblocks.set(blk, relooper.addBlock(this.blockCode(blk)));
    for (const blk of body.blocks()) {
      const from = rblocks.get(blk) as number;
      const t = body.terminator(blk);
      switch (t.kind) {
        case "jump":
          relooper.addBranch(from, rblocks.get(t.target.block) as number, 0, this.copies(t.target));
          break;
        case "br": {
          relooper.addBranch(from, rblocks.get(t.then.block) as number, this.conditions.get(blk) as Expr, this.copies(t.then));
          // The Relooper takes one branch per (from, to): a second edge to the same block goes through a new empty block.
          let elseFrom = from;
          if (t.else.block === t.then.block) {
            elseFrom = relooper.addBlock(this.m.nop());
            relooper.addBranch(from, elseFrom, 0, 0);
          }
          relooper.addBranch(elseFrom, rblocks.get(t.else.block) as number, 0, this.copies(t.else));
          break;
        }
        case "switch":
          throw new Error("internal error: switch is not supported by the backend yet");
        case "return": case "unreachable": case "none":
          break;
      }
    }
    const labelHelper = this.newLocal(b.i32);
    const code = relooper.renderAndDispose(rblocks.get(body.entry) as number, labelHelper);
    const params = b.createType(fn.params.map((t) => wasmType(b, t)));
    const nParams = fn.params.length;
    const varTypes = this.localTypes.slice(nParams);
    m.addFunction(this.names.func(fn.id), params, wasmType(b, fn.result), varTypes, code);
    return this.debug;
  }

  private newLocal(type: number): number {
    this.localTypes.push(type);
    return this.localTypes.length - 1;
  }

  private local(v: Value): number {
    let index = this.locals.get(v);
    if (index === undefined) {
      index = this.newLocal(wasmType(this.b, this.fn.body.type(v)));
      this.locals.set(v, index);
    }
    return index;
  }

  /** A use of `v`: its expression tree if it was inlined here, else a `local.get`. */
  private get(v: Value): Expr {
    if (this.trees.rematerialized(v)) return this.inst(this.fn.body, v);
    const tree = this.pending.get(v);
    if (tree !== undefined) {
      this.pending.delete(v);
      return tree;
    }
    return this.m.local.get(this.local(v), wasmType(this.b, this.fn.body.type(v)));
  }

  /** The parallel copy of branch arguments into the target's parameters. */
  private copies(t: BlockTarget): Expr {
    const m = this.m;
    const params = this.fn.body.blockParams(t.block);
    if (params.length === 0) return 0;
    if (params.length === 1) return m.local.set(this.local(params[0] as Value), this.get(t.args[0] as Value));
    const temps = t.args.map((a) => {
      const tmp = this.newLocal(wasmType(this.b, this.fn.body.type(a)));
      return [tmp, m.local.set(tmp, this.get(a))] as const;
    });
    const sets = params.map((p, i) => m.local.set(this.local(p), m.local.get((temps[i] as readonly [number, Expr])[0], wasmType(this.b, this.fn.body.type(p)))));
    return m.block(null, [...temps.map((t2) => t2[1]), ...sets]);
  }

  private blockCode(blk: Block): Expr {
    const { m } = this;
    const body = this.fn.body;
    const list: Expr[] = [];
    const inline = this.trees.foldable(blk);
    this.pending.clear();
    for (const v of body.blockInsts(blk)) {
      if (body.kind(v) !== ValueKind.inst || this.trees.live[v] !== 1 || this.trees.rematerialized(v)) continue;
      const expr = this.inst(body, v);
      const line = body.span(v)?.line ?? 0;
      if (line > 0) this.debug.push([expr, line]);
      if (inline.has(v)) this.pending.set(v, expr);
      else list.push(body.type(v) === Type.none ? expr : m.local.set(this.local(v), expr));
    }
    const t = body.terminator(blk);
    if (t.kind === "return") list.push(m.return(t.value === null ? undefined : this.get(t.value)));
    else if (t.kind === "unreachable") list.push(m.unreachable());
    else if (t.kind === "br") this.conditions.set(blk, this.get(t.cond));
    return list.length === 0 ? m.nop() : list.length === 1 ? (list[0] as Expr) : m.block(null, list);
  }

  private inst(body: FunctionBody, v: Value): Expr {
    const { b, m } = this;
    const op = body.opcode(v);
    const args = body.args(v).map((a) => this.get(a));
    const [x, y, z] = args as [Expr, Expr, Expr];
    const imm = body.imm(v);
    switch (op) {
      case Op.i32Const: return m.i32.const(imm);
      case Op.f64Const: return m.f64.const(imm);
      case Op.i64Const: case Op.valConst: return m.i64.const(body.i64Constant(imm));
      case Op.valBits: case Op.valFromBits: return x;
      case Op.select: return m.select(x, y, z);
      case Op.i32Load: return m.i32.load(imm, 4, x);
      case Op.i32Load8U: return m.i32.load8_u(imm, 1, x);
      case Op.i32Load16U: return m.i32.load16_u(imm, 2, x);
      case Op.i64Load: return m.i64.load(imm, 8, x);
      case Op.f64Load: return m.f64.load(imm, 8, x);
      case Op.i32Store: return m.i32.store(imm, 4, x, y);
      case Op.i32Store8: return m.i32.store8(imm, 1, x, y);
      case Op.i32Store16: return m.i32.store16(imm, 2, x, y);
      case Op.i64Store: return m.i64.store(imm, 8, x, y);
      case Op.f64Store: return m.f64.store(imm, 8, x, y);
      case Op.memorySize: return m.memory.size();
      case Op.memoryGrow: return m.memory.grow(x);
      case Op.memoryFill: return m.memory.fill(x, y, z);
      case Op.shadowSpGet: return m.global.get(this.names.ssp, b.i32);
      case Op.shadowSpSet: return m.global.set(this.names.ssp, x);
      case Op.call: {
        const callee = this.module.func(imm as never);
        return m.call(this.names.func(callee.id), args, wasmType(b, callee.result));
      }
      case Op.callLox: case Op.callLoxPure: {
        const [index, ...rest] = args as [Expr, ...Expr[]];
        const params = b.createType(rest.map(() => b.i64));
        return m.call_indirect(this.names.table, index, rest, params, b.i64);
      }
      default: {
        const unary = UNARY(b, m).get(op);
        if (unary !== undefined) return unary(x);
        const binary = BINARY(m).get(op);
        if (binary !== undefined) return binary(x, y);
        throw new Error(`internal error: the backend cannot emit ${opInfo(op).name} (lower Lox-level code first)`);
      }
    }
  }
}

type BinaryFn = (a: Expr, b: Expr) => Expr;
type UnaryFn = (a: Expr) => Expr;

const binaryCache = new WeakMap<object, Map<Opcode, BinaryFn>>();
const unaryCache = new WeakMap<object, Map<Opcode, UnaryFn>>();

function BINARY(m: BModule): Map<Opcode, BinaryFn> {
  let table = binaryCache.get(m);
  if (table !== undefined) return table;
  const i32 = m.i32;
  const i64 = m.i64;
  const f64 = m.f64;
  table = new Map<Opcode, BinaryFn>([
    [Op.i32Add, i32.add], [Op.i32Sub, i32.sub], [Op.i32Mul, i32.mul], [Op.i32And, i32.and], [Op.i32Or, i32.or],
    [Op.i32Xor, i32.xor], [Op.i32Shl, i32.shl], [Op.i32ShrS, i32.shr_s], [Op.i32ShrU, i32.shr_u],
    [Op.i32DivS, i32.div_s], [Op.i32DivU, i32.div_u], [Op.i32RemS, i32.rem_s], [Op.i32RemU, i32.rem_u],
    [Op.i32Eq, i32.eq], [Op.i32Ne, i32.ne], [Op.i32LtS, i32.lt_s], [Op.i32LtU, i32.lt_u], [Op.i32LeS, i32.le_s],
    [Op.i32LeU, i32.le_u], [Op.i32GtS, i32.gt_s], [Op.i32GtU, i32.gt_u], [Op.i32GeS, i32.ge_s], [Op.i32GeU, i32.ge_u],
    [Op.i64Add, i64.add], [Op.i64Sub, i64.sub], [Op.i64Mul, i64.mul], [Op.i64And, i64.and], [Op.i64Or, i64.or],
    [Op.i64Xor, i64.xor], [Op.i64Shl, i64.shl], [Op.i64ShrS, i64.shr_s], [Op.i64ShrU, i64.shr_u],
    [Op.i64Eq, i64.eq], [Op.i64Ne, i64.ne], [Op.i64LtU, i64.lt_u], [Op.i64GeU, i64.ge_u],
    [Op.f64Add, f64.add], [Op.f64Sub, f64.sub], [Op.f64Mul, f64.mul], [Op.f64Div, f64.div], [Op.f64Min, f64.min],
    [Op.f64Max, f64.max], [Op.f64Eq, f64.eq], [Op.f64Ne, f64.ne], [Op.f64Lt, f64.lt], [Op.f64Le, f64.le],
    [Op.f64Gt, f64.gt], [Op.f64Ge, f64.ge],
  ].map(([op, f]) => [op as Opcode, (f as BinaryFn).bind(null)] as const));
  binaryCache.set(m, table);
  return table;
}

function UNARY(_b: Binaryen, m: BModule): Map<Opcode, UnaryFn> {
  let table = unaryCache.get(m);
  if (table !== undefined) return table;
  table = new Map<Opcode, UnaryFn>([
    [Op.i32Eqz, m.i32.eqz], [Op.i64Eqz, m.i64.eqz],
    [Op.f64Neg, m.f64.neg], [Op.f64Abs, m.f64.abs], [Op.f64Floor, m.f64.floor], [Op.f64Ceil, m.f64.ceil],
    [Op.f64Trunc, m.f64.trunc], [Op.f64Nearest, m.f64.nearest], [Op.f64Sqrt, m.f64.sqrt],
    [Op.i32WrapI64, m.i32.wrap], [Op.i64ExtendI32S, m.i64.extend_s], [Op.i64ExtendI32U, m.i64.extend_u],
    [Op.f64ConvertI32S, m.f64.convert_s.i32], [Op.f64ConvertI32U, m.f64.convert_u.i32],
    [Op.i32TruncSatF64S, m.i32.trunc_s_sat.f64], [Op.i64ReinterpretF64, m.i64.reinterpret],
    [Op.f64ReinterpretI64, m.f64.reinterpret],
  ].map(([op, f]) => [op as Opcode, (f as UnaryFn).bind(null)] as const));
  unaryCache.set(m, table);
  return table;
}
