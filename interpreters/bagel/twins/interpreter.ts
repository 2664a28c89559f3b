/**
 * The Bagel bytecode interpreter written directly in JavaScript (the
 * "twin" of interpreter.lox): the same opcodes, checks, error messages and
 * call-depth limit, run on the same compiled program. It is the baseline a
 * language author would otherwise write, and the oracle the property tests
 * compare the Lox interpreter with.
 *
 * Values: numbers, strings (byte strings), booleans, null for nil, and JS
 * arrays; printing follows Lox (`%g` numbers, `[a, b]` arrays).
 */
import type { BytecodeFunction, BytecodeProgram } from "../frontend/index.ts";
import { formatNumber } from "../../../src/runtime/number-format.ts";

export type BagelValue = number | string | boolean | null | BagelValue[];

/** A Bagel run-time error: the message and the Bagel line. */
export class BagelRuntimeError {
  constructor(readonly message: string, readonly line: number) {}
}

const MAX_DEPTH = 1000;
const UNDEFINED: unique symbol = Symbol("undefined global");

export function stringify(v: BagelValue): string {
  if (v === null) return "nil";
  if (typeof v === "number") return formatNumber(v);
  if (typeof v === "string") return v;
  if (typeof v === "boolean") return v ? "true" : "false";
  return "[" + v.map(stringify).join(", ") + "]";
}

const isIndex = (v: BagelValue): v is number => typeof v === "number" && Math.floor(v) === v;

/** Runs `program`, writing each printed line to `write`; throws `BagelRuntimeError`. */
export function runProgram(program: BytecodeProgram, write: (text: string) => void): void {
  const globals: (BagelValue | typeof UNDEFINED)[] = program.globalNames.map(() => UNDEFINED);
  let depth = 0;

  function execute(fn: BytecodeFunction, args: BagelValue[]): BagelValue {
    const code = fn.code;
    const constants = fn.constants;
    const stack: BagelValue[] = new Array<BagelValue>(fn.maxStack).fill(null);
    const locals: BagelValue[] = new Array<BagelValue>(fn.nlocals).fill(null);
    for (let i = 0; i < fn.arity; i++) locals[i] = args[i] as BagelValue;
    let sp = 0;
    let pc = 0;
    const fail = (message: string): never => {
      throw new BagelRuntimeError(message, fn.lines[pc] as number);
    };
    const numbers = (): [number, number] => {
      const a = stack[sp - 2] as BagelValue;
      const b = stack[sp - 1] as BagelValue;
      if (typeof a !== "number" || typeof b !== "number") return fail("Operands must be numbers.");
      sp--;
      return [a, b];
    };
    const arrayIndex = (target: BagelValue, index: BagelValue): [BagelValue[], number] => {
      if (!Array.isArray(target)) return fail("Can only index arrays.");
      if (!isIndex(index)) return fail("Index must be an integer.");
      if (index < 0 || index >= target.length) return fail("Index out of range.");
      return [target, index];
    };
    for (;;) {
      const op = code[pc] as number;
      switch (op) {
        case 0: stack[sp++] = constants[code[pc + 1] as number] as BagelValue; pc += 2; break;
        case 1: stack[sp++] = null; pc++; break;
        case 2: stack[sp++] = true; pc++; break;
        case 3: stack[sp++] = false; pc++; break;
        case 4: sp--; pc++; break;
        case 5: stack[sp] = stack[sp - 1] as BagelValue; sp++; pc++; break;
        case 6: stack[sp++] = locals[code[pc + 1] as number] as BagelValue; pc += 2; break;
        case 7: locals[code[pc + 1] as number] = stack[sp - 1] as BagelValue; pc += 2; break;
        case 8: {
          const value = globals[code[pc + 1] as number];
          if (value === UNDEFINED || value === undefined) return fail(`Undefined variable '${program.globalNames[code[pc + 1] as number]}'.`);
          stack[sp++] = value;
          pc += 2;
          break;
        }
        case 9:
          if (globals[code[pc + 1] as number] === UNDEFINED) return fail(`Undefined variable '${program.globalNames[code[pc + 1] as number]}'.`);
          globals[code[pc + 1] as number] = stack[sp - 1] as BagelValue;
          pc += 2;
          break;
        case 10: globals[code[pc + 1] as number] = stack[--sp] as BagelValue; pc += 2; break;
        case 11: {
          const a = stack[sp - 2] as BagelValue;
          const b = stack[sp - 1] as BagelValue;
          if (typeof a === "number" && typeof b === "number") stack[sp - 2] = a + b;
          else if (typeof a === "string" && typeof b === "string") stack[sp - 2] = a + b;
          else return fail("Operands must be two numbers or two strings.");
          sp--;
          pc++;
          break;
        }
        case 12: { const [a, b] = numbers(); stack[sp - 1] = a - b; pc++; break; }
        case 13: { const [a, b] = numbers(); stack[sp - 1] = a * b; pc++; break; }
        case 14: { const [a, b] = numbers(); stack[sp - 1] = a / b; pc++; break; }
        case 15: { const [a, b] = numbers(); stack[sp - 1] = a % b; pc++; break; }
        case 16: {
          const v = stack[sp - 1] as BagelValue;
          if (typeof v !== "number") return fail("Operand must be a number.");
          stack[sp - 1] = -v;
          pc++;
          break;
        }
        case 17: { const v = stack[sp - 1] as BagelValue; stack[sp - 1] = v === null || v === false; pc++; break; }
        case 18: stack[sp - 2] = stack[sp - 2] === stack[sp - 1]; sp--; pc++; break;
        case 19: stack[sp - 2] = stack[sp - 2] !== stack[sp - 1]; sp--; pc++; break;
        case 20: { const [a, b] = numbers(); stack[sp - 1] = a < b; pc++; break; }
        case 21: { const [a, b] = numbers(); stack[sp - 1] = a <= b; pc++; break; }
        case 22: { const [a, b] = numbers(); stack[sp - 1] = a > b; pc++; break; }
        case 23: { const [a, b] = numbers(); stack[sp - 1] = a >= b; pc++; break; }
        case 24: pc = code[pc + 1] as number; break;
        case 25: {
          const v = stack[--sp] as BagelValue;
          pc = v === null || v === false ? (code[pc + 1] as number) : pc + 2;
          break;
        }
        case 26: {
          const n = code[pc + 1] as number;
          sp -= n;
          stack[sp++] = stack.slice(sp - 1, sp - 1 + n);
          pc += 2;
          break;
        }
        case 27: {
          const [target, index] = arrayIndex(stack[sp - 2] as BagelValue, stack[sp - 1] as BagelValue);
          stack[sp - 2] = target[index] as BagelValue;
          sp--;
          pc++;
          break;
        }
        case 28: {
          const value = stack[sp - 1] as BagelValue;
          const [target, index] = arrayIndex(stack[sp - 3] as BagelValue, stack[sp - 2] as BagelValue);
          target[index] = value;
          stack[sp - 3] = value;
          sp -= 2;
          pc++;
          break;
        }
        case 29: write(stringify(stack[--sp] as BagelValue) + "\n"); pc++; break;
        case 30: {
          const callee = program.functions[code[pc + 1] as number] as BytecodeFunction;
          const argc = code[pc + 2] as number;
          if (argc !== callee.arity) return fail(`Expected ${callee.arity} arguments but got ${argc}.`);
          if (depth >= MAX_DEPTH) return fail("Stack overflow.");
          sp -= argc;
          const callArgs = stack.slice(sp, sp + argc);
          depth++;
          const result = execute(callee, callArgs);
          depth--;
          stack[sp++] = result;
          pc += 3;
          break;
        }
        case 31: return stack[sp - 1] as BagelValue;
        case 32: {
          const v = stack[sp - 1] as BagelValue;
          if (typeof v !== "string" && !Array.isArray(v)) return fail("len() expects a string or an array.");
          stack[sp - 1] = v.length;
          pc++;
          break;
        }
        case 33: {
          const target = stack[sp - 2] as BagelValue;
          if (!Array.isArray(target)) return fail("push() expects an array.");
          target.push(stack[sp - 1] as BagelValue);
          stack[sp - 2] = null;
          sp--;
          pc++;
          break;
        }
        case 34: {
          const target = stack[sp - 1] as BagelValue;
          if (!Array.isArray(target)) return fail("pop() expects an array.");
          if (target.length === 0) return fail("Can't pop an empty array.");
          stack[sp - 1] = target.pop() as BagelValue;
          pc++;
          break;
        }
        case 35: {
          const size = stack[sp - 2] as BagelValue;
          if (!isIndex(size) || size < 0) return fail("array() expects a non-negative integer size.");
          stack[sp - 2] = new Array<BagelValue>(size).fill(stack[sp - 1] as BagelValue);
          sp--;
          pc++;
          break;
        }
        case 36: {
          const v = stack[sp - 1] as BagelValue;
          if (typeof v !== "number") return fail("str() expects a number.");
          stack[sp - 1] = formatNumber(v);
          pc++;
          break;
        }
        case 37: {
          const v = stack[sp - 1] as BagelValue;
          if (typeof v !== "number") return fail("floor() expects a number.");
          stack[sp - 1] = Math.floor(v);
          pc++;
          break;
        }
        default:
          return fail(`Unknown opcode ${op}.`);
      }
    }
  }

  const main = program.functions[0];
  if (main !== undefined) execute(main, []);
}
