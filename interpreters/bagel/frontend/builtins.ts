/**
 * Bagel's builtin functions: each is called by name with a fixed number
 * of arguments and compiles to its own opcode (no call frame). Their names
 * cannot be used for user functions.
 */
import { Op } from "./opcodes.ts";

export interface Builtin {
  readonly arity: number;
  readonly op: Op;
}

export const BUILTINS: ReadonlyMap<string, Builtin> = new Map<string, Builtin>([
  ["len", { arity: 1, op: Op.len }],
  ["push", { arity: 2, op: Op.push }],
  ["pop", { arity: 1, op: Op.popLast }],
  ["array", { arity: 2, op: Op.newArray }],
  ["str", { arity: 1, op: Op.str }],
  ["floor", { arity: 1, op: Op.floor }],
]);
