/**
 * The loader: writes a compiled Bagel program as Lox statements that,
 * appended to interpreter.lox, build its BagelFunction objects (code,
 * constants and lines in frozen arrays), define the globals the interpreter
 * reads (once each: the partial evaluator reads globals that are never
 * reassigned) and call the entry function. The result is an ordinary Lox program.
 *
 * Code and lines, the long arrays, are written as strings of
 * comma-separated numbers that the interpreter's `decodeNumbers` turns into
 * frozen arrays, and each function is built by a Lox function of its own:
 * the Lox program stays small whatever the size of the Bagel program (an
 * array literal costs compiled code per element).
 *
 * Bagel strings have no escapes and cannot contain `"`, so a string
 * constant is written as a Lox string literal unchanged. Numbers are
 * written in Lox's literal syntax (digits, optional fraction); constants
 * are never negative (the front end compiles `-x` to negate).
 */
import type { BytecodeFunction, BytecodeProgram, Constant } from "./bytecode.ts";

/** `n` as a Lox number literal that reads back as the same double. */
export function loxNumberLiteral(n: number): string {
  if (!Number.isFinite(n) || n < 0) throw new Error(`internal error: constant ${n} has no Lox literal`);
  if (Number.isInteger(n)) return BigInt(n).toString();
  const plain = String(n);
  if (!plain.includes("e")) return plain;
  // Tiny fractions: enough fixed-point digits for the shortest round trip.
  for (let digits = 1; digits <= 100; digits++) {
    const text = n.toFixed(digits);
    if (Number(text) === n) return text;
  }
  return n.toFixed(100);
}

function constantLiteral(c: Constant): string {
  return typeof c === "number" ? loxNumberLiteral(c) : `"${c}"`;
}

function frozen(items: readonly string[]): string {
  return `freeze([${items.join(", ")}])`;
}

function numbers(items: readonly number[]): string {
  // decodeNumbers reads digits only.
  if (!items.every((n) => Number.isSafeInteger(n) && n >= 0)) throw new Error("internal error: code and lines must be whole numbers, never negative");
  return `decodeNumbers("${items.join(",")}")`;
}

function functionLoader(fn: BytecodeFunction, index: number): string {
  const fields = [
    `"${fn.name}"`, String(fn.arity), String(fn.nlocals), String(fn.maxStack),
    numbers(fn.code), frozen(fn.constants.map(constantLiteral)), numbers(fn.lines),
  ];
  return `fun loadFunction${index}() {
  return BagelFunction(${fields.join(", ")});
}`;
}

/** The Lox text that loads `program` into interpreter.lox and calls `entry` (a function of no arguments). */
export function loxProgramText(program: BytecodeProgram, entry: string): string {
  const names = program.globalNames.map((n) => `"${n}"`);
  return [
    "",
    "// The compiled Bagel program.",
    ...program.functions.map(functionLoader),
    `var functions = freeze([${program.functions.map((_, i) => `loadFunction${i}()`).join(", ")}]);`,
    `var globalNames = ${frozen(names)};`,
    `var globals = array(${program.globalNames.length}, undefinedGlobal);`,
    `${entry}();`,
    "",
  ].join("\n");
}
