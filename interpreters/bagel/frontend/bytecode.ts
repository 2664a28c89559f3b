/**
 * Compiled Bagel: a program is a list of bytecode functions (index 0 is
 * the implicit main function holding the top-level statements) and the
 * names of its global variables. Everything is plain data (numbers and
 * strings) so that the loader can write it out as Lox and the JavaScript
 * twin can run it directly.
 */

export type Constant = number | string;

export interface BytecodeFunction {
  readonly name: string;
  readonly arity: number;
  /** Local slots, parameters first. */
  readonly nlocals: number;
  /** The deepest the operand stack gets. */
  readonly maxStack: number;
  /** Opcodes with their operands inline (see opcodes.ts). */
  readonly code: readonly number[];
  readonly constants: readonly Constant[];
  /** The source line of each code index. */
  readonly lines: readonly number[];
}

export interface BytecodeProgram {
  readonly functions: readonly BytecodeFunction[];
  readonly globalNames: readonly string[];
}

/** Index of the implicit main function. */
export const MAIN_FUNCTION = 0;
