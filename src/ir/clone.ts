/**
 * A copy of a function body: same blocks (the entry stays block 0), same
 * instructions with their spans and names, fresh value ids. Aliases are
 * resolved in the copy. Used to make versions of a function
 * (passes/monomorphize.ts).
 */
import type { Block, BlockTarget, Terminator, Value } from "./entities.ts";
import { FunctionBody } from "./function-body.ts";
import { opInfo } from "./opcodes.ts";

export function cloneBody(src: FunctionBody): FunctionBody {
  const body = new FunctionBody();
  const blockMap = new Map<Block, Block>();
  blockMap.set(src.entry, body.addBlock()); // a new body's first block is its entry
  for (const b of src.blocks()) if (b !== src.entry) blockMap.set(b, body.addBlock());
  const valueMap = new Map<Value, Value>();
  const copyName = (from: Value, to: Value): void => {
    const name = src.name(from);
    if (name !== undefined) body.setName(to, name);
  };
  for (const b of src.blocks()) {
    for (const p of src.blockParams(b)) {
      const copy = body.addParam(blockMap.get(b) as Block, src.type(p));
      copyName(p, copy);
      valueMap.set(p, copy);
    }
  }
  // Instructions first, operands once every copy exists (a use may precede its definition in block order).
  for (const b of src.blocks()) {
    const list: Value[] = [];
    for (const v of src.blockInsts(b)) {
      const op = src.opcode(v);
      const imm = opInfo(op).imm === "i64" ? body.i64Index(src.i64Constant(src.imm(v))) : src.imm(v);
      const copy = body.createInst(op, src.args(v), imm, src.type(v));
      const span = src.span(v);
      if (span !== null) body.setSpan(copy, span);
      copyName(v, copy);
      valueMap.set(v, copy);
      list.push(copy);
    }
    body.setBlockInsts(blockMap.get(b) as Block, list);
  }
  const mapped = (v: Value): Value => {
    const m = valueMap.get(src.resolve(v));
    if (m === undefined) throw new Error(`internal error: cloning a body: v${v} has no definition`);
    return m;
  };
  for (const b of src.blocks()) {
    for (const copy of body.blockInsts(blockMap.get(b) as Block)) {
      for (let i = 0; i < body.argCount(copy); i++) body.setArg(copy, i, mapped(body.arg(copy, i)));
    }
  }
  const target = (t: BlockTarget): BlockTarget => ({ block: blockMap.get(t.block) as Block, args: t.args.map(mapped) });
  for (const b of src.blocks()) {
    const t = src.terminator(b);
    let out: Terminator;
    switch (t.kind) {
      case "jump": out = { kind: "jump", target: target(t.target) }; break;
      case "br": out = { kind: "br", cond: mapped(t.cond), then: target(t.then), else: target(t.else) }; break;
      case "switch": out = { kind: "switch", value: mapped(t.value), targets: t.targets.map(target), default: target(t.default) }; break;
      case "return": out = { kind: "return", value: t.value === null ? null : mapped(t.value) }; break;
      case "unreachable": case "none": out = t; break;
    }
    body.setTerminator(blockMap.get(b) as Block, out);
  }
  return body;
}
