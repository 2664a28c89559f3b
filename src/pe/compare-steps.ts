/**
 * Compare steps: blocks that only test one value against a number and
 * branch on the answer, as an interpreter's dispatch `if` chain does
 *
 *     block8:
 *         v51 = lox.eq v33, v14      ; v14 = lox.num 0, here or above
 *         v52 = lox.truthy v51
 *         br v52, block10, block11
 *
 * When the tested value (the opcode) is known, transcription goes straight
 * to the branch's target without evaluating the block's instructions one
 * by one; a constant opcode decides the whole chain that way. It is the
 * same answer the general path gives (`lox.eq` of two known values folds,
 * and a heap object or a virtual array is never a number), taken only
 * where the block's own values are read by nothing else, so skipping them
 * loses nothing. Found once per generic function (analyses.ts).
 */
import { type Block, type FunctionBody, type Module, Op, Type, type Value } from "../ir/index.ts";
import { constantOf, countUses } from "../passes/index.ts";

export interface CompareStep {
  /** The value compared. */
  readonly subject: Value;
  /** The number it is compared with. */
  readonly number: number;
  /** Where the branch goes when they are equal, and when not (targets without arguments). */
  readonly then: Block;
  readonly else: Block;
  /** Instructions the step stands for, plus its terminator (what transcribing it would charge). */
  readonly cost: number;
}

/** The compare steps of a function, by block. */
export function compareSteps(module: Module, body: FunctionBody): ReadonlyMap<Block, CompareStep> {
  const uses = countUses(body);
  const steps = new Map<Block, CompareStep>();
  for (const b of body.blocks()) {
    const step = stepOf(module, body, b, uses);
    if (step !== null) steps.set(b, step);
  }
  return steps;
}

function stepOf(module: Module, body: FunctionBody, b: Block, uses: Int32Array): CompareStep | null {
  const t = body.terminator(b);
  if (t.kind !== "br" || t.then.args.length > 0 || t.else.args.length > 0) return null;
  const insts = body.blockInsts(b);
  const n = insts.length;
  if (n < 2 || n > 3) return null;
  const [eq, truthy] = [insts[n - 2] as Value, insts[n - 1] as Value];
  if (body.opcode(eq) !== Op.loxEq || body.opcode(truthy) !== Op.loxTruthy) return null;
  if (body.arg(truthy, 0) !== eq || t.cond !== truthy || uses[eq] !== 1 || uses[truthy] !== 1) return null;
  const [a, c] = [body.arg(eq, 0), body.arg(eq, 1)];
  const numberOf = (v: Value): number | null => {
    const k = constantOf(module, body, v);
    return k !== null && k.type === Type.val && k.val.kind === "num" ? k.val.value : null;
  };
  let subject = a;
  let number = numberOf(c);
  if (number === null) {
    subject = c;
    number = numberOf(a);
  }
  if (number === null) return null;
  // A third instruction may only be the number itself, read by the comparison alone.
  if (n === 3) {
    const first = insts[0] as Value;
    if (first === subject || (first !== a && first !== c) || uses[first] !== 1) return null;
  }
  if (body.home(subject) === b) return null;
  return { subject, number, then: t.then.block, else: t.else.block, cost: n + 1 };
}
