/**
 * gvn: global value numbering over the dominator tree with a scoped hash
 * table: the dominator-based value numbering of Briggs, Cooper & Simpson,
 * "Value Numbering", Software: Practice and Experience 27(6), 1997 (see
 * also Click, "Global Code Motion / Global Value Numbering", PLDI 1995,
 * without the code motion).
 *
 * Blocks are visited in dominator-tree preorder (`ControlFlow`). An
 * instruction is keyed by opcode, immediate, result type and operands
 * (after resolving aliases); if an instruction with the same key was seen
 * in a dominating position (earlier in the block, or in a dominating
 * block), the later one becomes an alias of it and leaves its block.
 * Otherwise it is entered in the table of the current scope, which is
 * dropped when the walk leaves the block's subtree.
 *
 * Only instructions whose effects are pure (`isMergeable`) take part:
 * constants, `lox.not`/`lox.eq`/`lox.ne`/`lox.truthy`, `lox.closure.cell`,
 * pure machine ops; and `call.lox.pure`, calls of a function proven pure
 * that reads no heap, whose second call on the same operands can only give
 * the first one's result (an error it raises, the first raised already).
 * Anything else that may throw, read, write, allocate or call is never
 * merged, so no runtime error moves or disappears. The operands
 * of commutative ops are put in a canonical order. `-0` and `0` immediates
 * are different keys. Unreachable blocks are not visited. Aliases are
 * resolved before the pass returns.
 */
import { type Block, ControlFlow, type FunctionBody, isMergeable, Op, type Opcode, opInfo, Type, type Value } from "../ir/index.ts";
import type { Pass } from "./pass.ts";

const COMMUTATIVE: ReadonlySet<Opcode> = new Set([
  Op.loxEq, Op.loxNe,
  Op.i32Add, Op.i32Mul, Op.i32And, Op.i32Or, Op.i32Xor, Op.i32Eq, Op.i32Ne,
  Op.i64Add, Op.i64Mul, Op.i64And, Op.i64Or, Op.i64Xor, Op.i64Eq, Op.i64Ne,
]);

function immKey(imm: number): string {
  return Object.is(imm, -0) ? "-0" : String(imm);
}

function keyOf(body: FunctionBody, v: Value, resolve: (v: Value) => Value): string {
  const op = body.opcode(v);
  const args: Value[] = [];
  for (let i = 0; i < body.argCount(v); i++) args.push(resolve(body.arg(v, i)));
  if (COMMUTATIVE.has(op) && args.length === 2 && (args[0] as number) > (args[1] as number)) args.reverse();
  return `${op}:${immKey(body.imm(v))}:${body.type(v)}:${args.join(",")}`;
}

export function numberValues(body: FunctionBody): boolean {
  const cfg = new ControlFlow(body);
  const table = new Map<string, Value>();
  let changed = false;
  // Explicit stack for the preorder walk: a block to enter, or the keys to drop on leaving one.
  const stack: ({ enter: Block } | { leave: string[] })[] = [{ enter: body.entry }];
  while (stack.length > 0) {
    const item = stack.pop() as { enter: Block } | { leave: string[] };
    if ("leave" in item) {
      for (const k of item.leave) table.delete(k);
      continue;
    }
    const b = item.enter;
    const added: string[] = [];
    const merged: [Value, Value][] = [];
    const local = new Map<Value, Value>();
    const resolve = (x: Value): Value => local.get(x) ?? body.resolve(x);
    for (const v of body.blockInsts(b)) {
      const op = body.opcode(v);
      if ((op !== Op.callLoxPure && !isMergeable(opInfo(op).effects)) || body.type(v) === Type.none) continue;
      const key = keyOf(body, v, resolve);
      const seen = table.get(key);
      if (seen === undefined) {
        table.set(key, v);
        added.push(key);
      } else {
        merged.push([v, seen]);
        local.set(v, seen);
      }
    }
    if (merged.length > 0) {
      const gone = new Set(merged.map(([v]) => v));
      body.setBlockInsts(b, body.blockInsts(b).filter((v) => !gone.has(v)));
      for (const [v, to] of merged) body.setAlias(v, to);
      changed = true;
    }
    stack.push({ leave: added });
    const children = cfg.children(b);
    for (let i = children.length - 1; i >= 0; i--) stack.push({ enter: children[i] as Block });
  }
  if (changed) body.resolveAllUses();
  return changed;
}

export const gvnPass: Pass = {
  name: "gvn",
  description: "merge identical pure instructions where one dominates the other (global value numbering)",
  run: (_module, fn) => numberValues(fn.body),
};
