/**
 * A readable listing of a bytecode function, one instruction per line:
 * `index line opcode operands` (constants shown by value). For tests and
 * debugging; nothing parses it back.
 */
import type { BytecodeFunction } from "./bytecode.ts";
import { Op, OP_NAMES, operandCount } from "./opcodes.ts";

export function disassemble(fn: BytecodeFunction): string {
  const rows = [`fun ${fn.name}/${fn.arity} locals=${fn.nlocals} stack=${fn.maxStack}`];
  let pc = 0;
  while (pc < fn.code.length) {
    const op = fn.code[pc] as number;
    const operands = fn.code.slice(pc + 1, pc + 1 + operandCount(op));
    let text = `${OP_NAMES[op] ?? `?${op}`}${operands.length > 0 ? " " + operands.join(" ") : ""}`;
    if (op === Op.constant) text += ` (${JSON.stringify(fn.constants[operands[0] as number])})`;
    rows.push(`${String(pc).padStart(4)} ${String(fn.lines[pc]).padStart(4)} ${text}`);
    pc += 1 + operandCount(op);
  }
  return rows.join("\n") + "\n";
}
