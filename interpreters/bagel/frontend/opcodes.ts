/**
 * The Bagel bytecode: opcode numbers, their inline operand counts and
 * their effect on the operand stack. Code is a flat array of numbers, each
 * opcode followed by its operands; jump targets are absolute code indices.
 * The numbers here are the ones interpreter.lox and the JavaScript twin
 * dispatch on; changing one means changing both.
 */

export const Op = {
  constant: 0, // k: push constants[k]
  nil: 1,
  true: 2,
  false: 3,
  pop: 4,
  dup: 5,
  getLocal: 6, // slot
  setLocal: 7, // slot: store the top, leave it on the stack
  getGlobal: 8, // g: error if the global is not defined
  setGlobal: 9, // g: store the top, leave it; error if not defined
  defineGlobal: 10, // g: pop into the global
  add: 11, // numbers, or two strings (concatenation)
  subtract: 12,
  multiply: 13,
  divide: 14,
  modulo: 15,
  negate: 16,
  not: 17,
  equal: 18,
  notEqual: 19,
  less: 20,
  lessEqual: 21,
  greater: 22,
  greaterEqual: 23,
  jump: 24, // target
  jumpIfFalse: 25, // target: pops the condition
  arrayLiteral: 26, // n: pop n values into a new array
  getIndex: 27, // array index -> element
  setIndex: 28, // array index value -> value
  print: 29,
  call: 30, // f argc: call functions[f] with argc popped arguments
  return: 31, // pop the result and return it
  len: 32,
  push: 33,
  popLast: 34,
  newArray: 35, // size fill -> array(size, fill)
  str: 36,
  floor: 37,
} as const;
export type Op = (typeof Op)[keyof typeof Op];

export const OP_NAMES: readonly string[] = Object.keys(Op);

/** Number of inline operands after each opcode. */
export function operandCount(op: number): number {
  switch (op) {
    case Op.constant: case Op.getLocal: case Op.setLocal: case Op.getGlobal: case Op.setGlobal: case Op.defineGlobal:
    case Op.jump: case Op.jumpIfFalse: case Op.arrayLiteral:
      return 1;
    case Op.call:
      return 2;
    default:
      return 0;
  }
}
