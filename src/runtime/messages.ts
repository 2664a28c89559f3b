/**
 * The catalogue of Lox runtime error messages, shared by every engine so
 * that tree, IR and Wasm runs fail with identical text. Standard Lox
 * messages are the reference C implementation's, verbatim.
 */

export const RuntimeMessage = {
  operandsNumbers: "Operands must be numbers.",
  operandNumber: "Operand must be a number.",
  operandsNumbersOrStrings: "Operands must be two numbers or two strings.",
  undefinedVariable: (name: string) => `Undefined variable '${name}'.`,
  undefinedProperty: (name: string) => `Undefined property '${name}'.`,
  onlyInstancesHaveProperties: "Only instances have properties.",
  onlyInstancesHaveFields: "Only instances have fields.",
  onlyInstancesHaveMethods: "Only instances have methods.",
  canOnlyCall: "Can only call functions and classes.",
  arity: (expected: number, got: number) => `Expected ${expected} arguments but got ${got}.`,
  superclassMustBeClass: "Superclass must be a class.",
  stackOverflow: "Stack overflow.",
  outOfMemory: "Out of memory.",
  // Dialect extensions.
  onlyArraysIndexed: "Only arrays can be indexed.",
  indexNotInteger: "Array index must be an integer.",
  indexOutOfBounds: (index: number, length: number) => `Array index ${index} is out of bounds for length ${length}.`,
  stringIndexOutOfBounds: (index: number, length: number) => `String index ${index} is out of bounds for length ${length}.`,
  frozenArray: "Can't modify a frozen array.",
  popEmpty: "Can't pop from an empty array.",
  readonlyField: (name: string) => `Can't assign to readonly field '${name}'.`,
  nativeArgument: (native: string, position: number, expected: string) =>
    `Argument ${position} of '${native}' must be ${expected}.`,
} as const;
