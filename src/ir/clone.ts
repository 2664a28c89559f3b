/**
 * Copying a function body's blocks and values into a body: a whole copy
 * (`cloneBody`: the entry stays block 0, fresh value ids, spans and names
 * kept; used to make versions of a function, passes/monomorphize.ts), or a
 * copy into another function in place of a call (`copyBlocksInto`, which
 * inlining builds on: passes/inline-helpers.ts). Aliases are resolved in
 * the copy. Instructions are created first and their operands pointed at
 * the copies once every copy exists, since in block order a use may
 * precede its definition.
 */
import type { Block, BlockTarget, SourceSpan, Terminator, Value } from "./entities.ts";
import { FunctionBody } from "./function-body.ts";
import { opInfo } from "./opcodes.ts";

export interface CopyOptions {
  /** What the source's entry parameters become (default: parameters of the copied entry block). */
  readonly entryArgs?: readonly Value[];
  /** The span every copied instruction takes (default: its own). */
  readonly span?: SourceSpan | null;
  /** Whether copies keep their source names (default: yes). */
  readonly names?: boolean;
  /** What a `return` becomes (default: a `return` of the copied value). */
  readonly onReturn?: (value: Value | null) => Terminator;
}

/** Copies every block of `src` into `dest` (new blocks, the entry's first); returns the block map. */
export function copyBlocksInto(src: FunctionBody, dest: FunctionBody, options: CopyOptions = {}): Map<Block, Block> {
  const blockMap = new Map<Block, Block>();
  blockMap.set(src.entry, dest.addBlock());
  for (const b of src.blocks()) if (b !== src.entry) blockMap.set(b, dest.addBlock());
  const valueMap = new Map<Value, Value>();
  const copyName = (from: Value, to: Value): void => {
    if (options.names === false) return;
    const name = src.name(from);
    if (name !== undefined) dest.setName(to, name);
  };
  for (const b of src.blocks()) {
    src.blockParams(b).forEach((p, i) => {
      const given = b === src.entry ? options.entryArgs?.[i] : undefined;
      const copy = given ?? dest.addParam(blockMap.get(b) as Block, src.type(p));
      if (given === undefined) copyName(p, copy);
      valueMap.set(p, copy);
    });
  }
  for (const b of src.blocks()) {
    const list: Value[] = [];
    for (const v of src.blockInsts(b)) {
      const op = src.opcode(v);
      const imm = opInfo(op).imm === "i64" ? dest.i64Index(src.i64Constant(src.imm(v))) : src.imm(v);
      const copy = dest.createInst(op, src.args(v), imm, src.type(v));
      const span = options.span === undefined ? src.span(v) : options.span;
      if (span !== null) dest.setSpan(copy, span);
      copyName(v, copy);
      valueMap.set(v, copy);
      list.push(copy);
    }
    dest.setBlockInsts(blockMap.get(b) as Block, list);
  }
  const mapped = (v: Value): Value => {
    const m = valueMap.get(src.resolve(v));
    if (m === undefined) throw new Error(`internal error: copying a body: v${v} has no definition`);
    return m;
  };
  for (const b of src.blocks()) {
    for (const copy of dest.blockInsts(blockMap.get(b) as Block)) {
      for (let i = 0; i < dest.argCount(copy); i++) dest.setArg(copy, i, mapped(dest.arg(copy, i)));
    }
  }
  const target = (t: BlockTarget): BlockTarget => ({ block: blockMap.get(t.block) as Block, args: t.args.map(mapped) });
  const onReturn = options.onReturn ?? ((value: Value | null): Terminator => ({ kind: "return", value }));
  for (const b of src.blocks()) {
    const t = src.terminator(b);
    let out: Terminator;
    switch (t.kind) {
      case "jump": out = { kind: "jump", target: target(t.target) }; break;
      case "br": out = { kind: "br", cond: mapped(t.cond), then: target(t.then), else: target(t.else) }; break;
      case "switch": out = { kind: "switch", value: mapped(t.value), targets: t.targets.map(target), default: target(t.default) }; break;
      case "return": out = onReturn(t.value === null ? null : mapped(t.value)); break;
      case "unreachable": case "none": out = { kind: "unreachable" }; break;
    }
    dest.setTerminator(blockMap.get(b) as Block, out);
  }
  return blockMap;
}

/** A copy of a whole body (its entry is block 0 of the copy). */
export function cloneBody(src: FunctionBody): FunctionBody {
  const body = new FunctionBody();
  copyBlocksInto(src, body);
  return body;
}
