/**
 * A Bagel program whose function `work` compiles to at least N bytecode
 * instructions (default 1000): the JIT-time workload of the Bagel bench
 * ("specialization plus Wasm compilation of a 1,000-instruction bytecode
 * function"). The body mixes what real functions do: local arithmetic,
 * comparisons, if/else, short loops, array reads and writes, global reads
 * and calls. Deterministic: the same N gives the same program.
 *
 * With a second argument K, K such functions with different constants
 * (`work`, `work1`, ...), called in turn, each C times (third argument):
 * the JIT's time on the later ones is its time once its own code is warm.
 * (The bench calls each twice and specializes at the second call, so each
 * is compiled alone: `--jit=auto --jit-threshold=1`.)
 *
 *   npx tsx experiments/compile-time/bagel-function.ts [N [K [C]]] > big.bagel
 */
import { compileBagel, operandCount } from "../../interpreters/bagel/frontend/index.ts";

/** One statement group of the body; `i` varies constants and variables. */
function statement(i: number): string {
  const v = `v${i % 6}`;
  const w = `v${(i + 3) % 6}`;
  switch (i % 6) {
    case 0: return `  ${v} = (${v} + ${w} * ${(i % 7) + 2}) % 1009;\n`;
    case 1: return `  if (${v} < ${w}) { ${v} = ${v} + ${i % 5}; } else { ${w} = ${w} - 1; }\n`;
    case 2: return `  cells[${i % 8}] = cells[${(i + 1) % 8}] + ${v};\n`;
    case 3: return `  ${v} = helper(${v}, ${i % 9}) + scale;\n`;
    case 4: return `  var k${i} = 0;\n  while (k${i} < 3) { ${v} = ${v} + k${i}; k${i} = k${i} + 1; }\n`;
    case 5: return `  if (${v} == ${i % 11} or ${w} > 500) ${v} = ${v} / 2; else ${v} = -${v} + ${w};\n`;
    default: throw new Error("unreachable");
  }
}

/** The function `name` of `statements` statement groups; `variant` shifts their constants. */
function workFunction(name: string, statements: number, variant: number): string {
  const body = Array.from({ length: statements }, (_, i) => statement(i + 7 * variant)).join("");
  return `fun ${name}(seed) {
  var cells = array(8, seed);
  var v0 = seed; var v1 = 1; var v2 = 2; var v3 = 3; var v4 = 4; var v5 = 5;
${body}  return v0 + v1 + v2 + v3 + v4 + v5 + cells[0];
}
`;
}

function program(statements: number, names: readonly string[], calls: number): string {
  const script = names.flatMap((name) => Array.from({ length: calls }, () => `print ${name}(7);\n`)).join("");
  return `// Generated: functions of many bytecode instructions each (JIT-time workload).
var scale = 3;
fun helper(a, b) {
  return a * 2 - b;
}
${names.map((name, variant) => workFunction(name, statements, variant)).join("")}${script}`;
}

/** The number of instructions (not code words) of the function `name` in `source`. */
export function workInstructions(source: string, name = "work"): number {
  const compiled = compileBagel(source);
  if (!compiled.ok) throw new Error(`internal error: the generated program does not compile: ${compiled.diagnostics[0]?.message}`);
  const fn = compiled.program.functions.find((f) => f.name === name);
  if (fn === undefined) throw new Error(`internal error: no function '${name}'`);
  let count = 0;
  for (let pc = 0; pc < fn.code.length; pc += 1 + operandCount(fn.code[pc] as number)) count++;
  return count;
}

/**
 * The smallest program of this shape whose functions `work`, `work1`, ...
 * (`count` of them, each with other constants) have at least
 * `instructions` instructions each; the script calls each `calls` times
 * in a row, one function after the other.
 */
export function generateBagelFunctions(instructions: number, count = 1, calls = 1): string {
  const names = Array.from({ length: count }, (_, i) => (i === 0 ? "work" : `work${i}`));
  let statements = 1;
  while (names.some((name) => workInstructions(program(statements, names, calls), name) < instructions)) statements++;
  return program(statements, names, calls);
}

/** The program with one such function, `work`. */
export function generateBagelFunction(instructions: number): string {
  return generateBagelFunctions(instructions, 1);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const n = Number(process.argv[2] ?? "1000");
  const count = Number(process.argv[3] ?? "1");
  const calls = Number(process.argv[4] ?? "1");
  if (![n, count, calls].every((x) => Number.isInteger(x) && x >= 1)) {
    process.stderr.write("usage: bagel-function.ts [INSTRUCTIONS [FUNCTIONS [CALLS]]]\n");
    process.exit(64);
  }
  process.stdout.write(generateBagelFunctions(n, count, calls));
}
