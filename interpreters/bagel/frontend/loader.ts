/**
 * The loader: writes a compiled Bagel program as Lox statements that,
 * appended to interpreter.lox, build its BagelFunction objects (code,
 * constants and lines in frozen arrays), set the interpreter's globals and
 * call the entry function. The result is an ordinary Lox program.
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

function functionLiteral(fn: BytecodeFunction): string {
  const fields = [
    `"${fn.name}"`, String(fn.arity), String(fn.nlocals), String(fn.maxStack),
    frozen(fn.code.map(String)), frozen(fn.constants.map(constantLiteral)), frozen(fn.lines.map(String)),
  ];
  return `  BagelFunction(${fields.join(", ")})`;
}

/** The Lox text that loads `program` into interpreter.lox and calls `entry` (a function of no arguments). */
export function loxProgramText(program: BytecodeProgram, entry: string): string {
  const names = program.globalNames.map((n) => `"${n}"`);
  return [
    "",
    "// The compiled Bagel program.",
    `functions = freeze([\n${program.functions.map(functionLiteral).join(",\n")}\n]);`,
    `globalNames = ${frozen(names)};`,
    `globals = array(${program.globalNames.length}, undefinedGlobal);`,
    `${entry}();`,
    "",
  ].join("\n");
}
