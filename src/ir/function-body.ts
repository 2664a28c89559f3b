/**
 * A function body: values, blocks and terminators in dense storage.
 *
 * Values live in parallel typed arrays indexed by value id (kind, type,
 * opcode, immediate, operand range, home block, span), operands in one
 * shared pool; blocks hold their parameter and instruction lists and a
 * terminator. Rare data (debug names, i64 constants, source spans) sits in
 * side tables. All storage is private: passes use the methods, so the
 * representation can change without touching them.
 *
 * Invariants kept by the methods: an instruction belongs to at most one
 * block list; operands are replaced only through `setArg`/`replaceAllUses`
 * style methods; an alias always points at a value that is not itself
 * removed (chains are followed by `resolve`).
 */
import { type Block, type BlockTarget, type SourceSpan, type Terminator, type Value, ValueKind } from "./entities.ts";
import { opInfo, type Opcode } from "./opcodes.ts";
import { Type } from "./types.ts";

const NO_BLOCK = -1;

function grow<T extends Uint8Array | Uint16Array | Int32Array | Float64Array>(a: T, need: number): T {
  if (need <= a.length) return a;
  const next = new (a.constructor as new (n: number) => T)(Math.max(need, a.length * 2, 16));
  next.set(a);
  return next;
}

export class FunctionBody {
  private kinds = new Uint8Array(32);
  private types = new Uint8Array(32);
  private opcodes = new Uint16Array(32);
  private imms = new Float64Array(32);
  private argStarts = new Int32Array(32);
  private argCounts = new Int32Array(32);
  private homes = new Int32Array(32);
  /** For aliases: the value stood for (kept apart from `homes`, which block moves reset). */
  private aliasTargets = new Int32Array(32);
  private spanIds = new Int32Array(32);
  private pool = new Int32Array(64);
  private poolSize = 0;
  private count = 0;

  private readonly params: Value[][] = [];
  private readonly insts: Value[][] = [];
  private readonly terms: Terminator[] = [];
  private readonly removedBlocks = new Set<Block>();
  /** `blocks()`, kept until a block is added or removed. */
  private liveBlocks: Block[] | null = null;

  private readonly names = new Map<Value, string>();
  private readonly spanTable: SourceSpan[] = [];
  private readonly spanIndex = new Map<string, number>();
  /** The same by span object: copying code keeps passing the same spans, so most lookups end here. */
  private readonly spanObjects = new Map<SourceSpan, number>();
  private readonly i64s: bigint[] = [];
  private readonly i64Indices = new Map<bigint, number>();

  /** The entry block is always block 0. */
  readonly entry = 0 as Block;

  // ---------------- values ----------------

  get valueCount(): number {
    return this.count;
  }

  private newValue(kind: ValueKind, type: Type): Value {
    const v = this.count++;
    if (v >= this.kinds.length) {
      const need = v + 1;
      this.kinds = grow(this.kinds, need);
      this.types = grow(this.types, need);
      this.opcodes = grow(this.opcodes, need);
      this.imms = grow(this.imms, need);
      this.argStarts = grow(this.argStarts, need);
      this.argCounts = grow(this.argCounts, need);
      this.homes = grow(this.homes, need);
      this.aliasTargets = grow(this.aliasTargets, need);
      this.spanIds = grow(this.spanIds, need);
    }
    this.kinds[v] = kind;
    this.types[v] = type;
    this.homes[v] = NO_BLOCK;
    this.spanIds[v] = -1;
    this.argCounts[v] = 0;
    return v as Value;
  }

  kind(v: Value): ValueKind {
    return this.kinds[v] as ValueKind;
  }
  type(v: Value): Type {
    return this.types[v] as Type;
  }
  setType(v: Value, t: Type): void {
    this.types[v] = t;
  }
  opcode(v: Value): Opcode {
    return this.opcodes[v] as Opcode;
  }
  imm(v: Value): number {
    return this.imms[v] as number;
  }
  setImm(v: Value, imm: number): void {
    this.imms[v] = imm;
  }
  /** The block an instruction or parameter belongs to (-1 if none). */
  home(v: Value): Block {
    return this.homes[v] as Block;
  }

  argCount(v: Value): number {
    return this.argCounts[v] as number;
  }
  arg(v: Value, i: number): Value {
    return this.pool[(this.argStarts[v] as number) + i] as Value;
  }
  args(v: Value): Value[] {
    const start = this.argStarts[v] as number;
    const out = new Array<Value>(this.argCounts[v] as number);
    for (let i = 0; i < out.length; i++) out[i] = this.pool[start + i] as Value;
    return out;
  }
  setArg(v: Value, i: number, to: Value): void {
    this.pool[(this.argStarts[v] as number) + i] = to;
  }

  private storeArgs(v: Value, args: readonly Value[]): void {
    this.pool = grow(this.pool, this.poolSize + args.length);
    this.argStarts[v] = this.poolSize;
    this.argCounts[v] = args.length;
    for (let i = 0; i < args.length; i++) this.pool[this.poolSize + i] = args[i] as number;
    this.poolSize += args.length;
  }

  /** A new instruction, not yet placed in a block. */
  createInst(op: Opcode, args: readonly Value[], imm = 0, type?: Type): Value {
    const info = opInfo(op);
    const result = type ?? (info.result === "dynamic" ? Type.none : info.result);
    const v = this.newValue(ValueKind.inst, result);
    this.opcodes[v] = op;
    this.imms[v] = imm;
    this.storeArgs(v, args);
    return v;
  }

  /** Rewrites an instruction in place (same value id, so uses stay valid). */
  rewriteInst(v: Value, op: Opcode, args: readonly Value[], imm = 0, type?: Type): void {
    const info = opInfo(op);
    this.kinds[v] = ValueKind.inst;
    this.opcodes[v] = op;
    this.imms[v] = imm;
    this.types[v] = type ?? (info.result === "dynamic" ? this.types[v] as Type : info.result);
    if (args.length <= (this.argCounts[v] as number)) {
      const start = this.argStarts[v] as number;
      for (let i = 0; i < args.length; i++) this.pool[start + i] = args[i] as number;
      this.argCounts[v] = args.length;
    } else {
      this.storeArgs(v, args);
    }
  }

  createPlaceholder(type: Type): Value {
    return this.newValue(ValueKind.placeholder, type);
  }

  /**
   * Makes `v` stand for `to` (its uses will be redirected by `resolve`). An
   * instruction made an alias should also leave its block's list; the order
   * of the two steps does not matter.
   */
  setAlias(v: Value, to: Value): void {
    this.kinds[v] = ValueKind.alias;
    this.aliasTargets[v] = to;
    this.argCounts[v] = 0;
  }

  /** Follows alias chains to the value that is really meant. */
  resolve(v: Value): Value {
    let r = v;
    while (this.kinds[r] === ValueKind.alias) r = this.aliasTargets[r] as Value;
    return r;
  }

  // ---------------- spans and names (side tables) ----------------

  setSpan(v: Value, span: SourceSpan): void {
    let id = this.spanObjects.get(span);
    if (id === undefined) {
      const key = `${span.line}:${span.start}:${span.end}`;
      id = this.spanIndex.get(key);
      if (id === undefined) {
        id = this.spanTable.length;
        this.spanTable.push(span);
        this.spanIndex.set(key, id);
      }
      this.spanObjects.set(span, id);
    }
    this.spanIds[v] = id;
  }
  span(v: Value): SourceSpan | null {
    const id = this.spanIds[v] as number;
    return id < 0 ? null : (this.spanTable[id] as SourceSpan);
  }
  copySpan(from: Value, to: Value): void {
    this.spanIds[to] = this.spanIds[from] as number;
  }
  setName(v: Value, name: string): void {
    this.names.set(v, name);
  }
  name(v: Value): string | undefined {
    return this.names.get(v);
  }
  /** Interns an i64 constant; the result is the immediate of an `i64.const`. */
  i64Index(value: bigint): number {
    let i = this.i64Indices.get(value);
    if (i === undefined) {
      i = this.i64s.length;
      this.i64s.push(value);
      this.i64Indices.set(value, i);
    }
    return i;
  }
  i64Constant(index: number): bigint {
    return this.i64s[index] as bigint;
  }

  // ---------------- blocks ----------------

  get blockCount(): number {
    return this.params.length;
  }

  addBlock(): Block {
    const b = this.params.length as Block;
    this.liveBlocks = null;
    this.params.push([]);
    this.insts.push([]);
    this.terms.push({ kind: "none" });
    return b;
  }

  /** Blocks in id order, skipping removed ones (a fresh array: callers may change it). */
  blocks(): Block[] {
    if (this.liveBlocks === null) {
      const out: Block[] = [];
      for (let b = 0; b < this.params.length; b++) if (!this.removedBlocks.has(b as Block)) out.push(b as Block);
      this.liveBlocks = out;
    }
    return this.liveBlocks.slice();
  }

  isRemoved(b: Block): boolean {
    return this.removedBlocks.has(b);
  }

  /** Removes a block (its values become homeless). The entry cannot be removed. */
  removeBlock(b: Block): void {
    if (b === this.entry) throw new Error("internal error: removing the entry block");
    for (const v of this.insts[b] as Value[]) this.homes[v] = NO_BLOCK;
    for (const v of this.params[b] as Value[]) this.homes[v] = NO_BLOCK;
    this.insts[b] = [];
    this.params[b] = [];
    this.terms[b] = { kind: "unreachable" };
    this.removedBlocks.add(b);
    this.liveBlocks = null;
  }

  addParam(b: Block, type: Type): Value {
    const v = this.newValue(ValueKind.param, type);
    this.homes[v] = b;
    (this.params[b] as Value[]).push(v);
    return v;
  }
  blockParams(b: Block): readonly Value[] {
    return this.params[b] as Value[];
  }
  /** Turns a placeholder into a parameter of `b` (used by the text parser to keep value ids). */
  adoptAsParam(b: Block, v: Value, type: Type): void {
    this.kinds[v] = ValueKind.param;
    this.types[v] = type;
    this.homes[v] = b;
    (this.params[b] as Value[]).push(v);
  }

  /** Removes every parameter of `b` and returns them, in order; callers fix the branch arguments. */
  removeParams(b: Block): Value[] {
    const params = this.params[b] as Value[];
    this.params[b] = [];
    for (const v of params) this.homes[v] = NO_BLOCK;
    return params;
  }

  /** Removes parameter `index` of `b`; callers fix the branch arguments. */
  removeParam(b: Block, index: number): Value {
    const [v] = (this.params[b] as Value[]).splice(index, 1);
    this.homes[v as Value] = NO_BLOCK;
    return v as Value;
  }

  blockInsts(b: Block): readonly Value[] {
    return this.insts[b] as Value[];
  }
  appendInst(b: Block, v: Value): void {
    this.homes[v] = b;
    (this.insts[b] as Value[]).push(v);
  }
  /** Replaces the whole instruction list of a block. */
  setBlockInsts(b: Block, list: readonly Value[]): void {
    for (const v of this.insts[b] as Value[]) if (this.homes[v] === b) this.homes[v] = NO_BLOCK;
    for (const v of list) this.homes[v] = b;
    this.insts[b] = [...list];
  }

  terminator(b: Block): Terminator {
    return this.terms[b] as Terminator;
  }
  setTerminator(b: Block, t: Terminator): void {
    this.terms[b] = t;
  }

  /** Successor targets of a block, in terminator order. */
  targets(b: Block): readonly BlockTarget[] {
    const t = this.terms[b] as Terminator;
    switch (t.kind) {
      case "jump": return [t.target];
      case "br": return [t.then, t.else];
      case "switch": return [...t.targets, t.default];
      default: return [];
    }
  }
  successors(b: Block): Block[] {
    return this.targets(b).map((t) => t.block);
  }

  /** Values a terminator reads (condition, return value, branch arguments). */
  terminatorUses(b: Block): Value[] {
    const t = this.terms[b] as Terminator;
    const uses: Value[] = [];
    switch (t.kind) {
      case "br": uses.push(t.cond); break;
      case "switch": uses.push(t.value); break;
      case "return": if (t.value !== null) uses.push(t.value); break;
      default: break;
    }
    for (const target of this.targets(b)) uses.push(...target.args);
    return uses;
  }

  /** Rewrites every value a terminator reads through `f`. */
  mapTerminatorValues(b: Block, f: (v: Value) => Value): void {
    const t = this.terms[b] as Terminator;
    const mapTarget = (x: BlockTarget): BlockTarget => ({ block: x.block, args: x.args.map(f) });
    switch (t.kind) {
      case "jump": this.terms[b] = { kind: "jump", target: mapTarget(t.target) }; return;
      case "br": this.terms[b] = { kind: "br", cond: f(t.cond), then: mapTarget(t.then), else: mapTarget(t.else) }; return;
      case "switch":
        this.terms[b] = { kind: "switch", value: f(t.value), targets: t.targets.map(mapTarget), default: mapTarget(t.default) };
        return;
      case "return": this.terms[b] = { kind: "return", value: t.value === null ? null : f(t.value) }; return;
      default: return;
    }
  }

  /** Rewrites every branch target of a block through `f`. */
  mapTargets(b: Block, f: (t: BlockTarget) => BlockTarget): void {
    const t = this.terms[b] as Terminator;
    switch (t.kind) {
      case "jump": this.terms[b] = { kind: "jump", target: f(t.target) }; return;
      case "br": this.terms[b] = { kind: "br", cond: t.cond, then: f(t.then), else: f(t.else) }; return;
      case "switch": this.terms[b] = { kind: "switch", value: t.value, targets: t.targets.map(f), default: f(t.default) }; return;
      default: return;
    }
  }

  /** Redirects every operand and terminator use through `resolve` (removes alias uses). */
  resolveAllUses(): void {
    for (const b of this.blocks()) {
      for (const v of this.insts[b] as Value[]) {
        const n = this.argCounts[v] as number;
        const start = this.argStarts[v] as number;
        for (let i = 0; i < n; i++) {
          const a = this.pool[start + i] as Value;
          if (this.kinds[a] === ValueKind.alias) this.pool[start + i] = this.resolve(a);
        }
      }
      if (this.terminatorUses(b).some((v) => this.kinds[v] === ValueKind.alias)) this.mapTerminatorValues(b, (v) => this.resolve(v));
    }
  }
}
