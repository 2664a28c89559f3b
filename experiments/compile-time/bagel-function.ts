/**
 * A Bagel program whose function `work` compiles to at least N bytecode
 * instructions (default 1000): the JIT-time workload of the Bagel bench
 * ("specialization plus Wasm compilation of a 1,000-instruction bytecode
 * function"). The body mixes what real functions do: local arithmetic,
 * comparisons, if/else, short loops, array reads and writes, global reads
 * and calls. Deterministic: the same N gives the same program.
 *
 *   npx tsx experiments/compile-time/bagel-function.ts [N] > big.bagel
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

function program(statements: number): string {
  const body = Array.from({ length: statements }, (_, i) => statement(i)).join("");
  return `// Generated: a function of many bytecode instructions (JIT-time workload).
var scale = 3;
fun helper(a, b) {
  return a * 2 - b;
}
fun work(seed) {
  var cells = array(8, seed);
  var v0 = seed; var v1 = 1; var v2 = 2; var v3 = 3; var v4 = 4; var v5 = 5;
${body}  return v0 + v1 + v2 + v3 + v4 + v5 + cells[0];
}
print work(7);
`;
}

/** The number of instructions (not code words) of `work` in `source`. */
export function workInstructions(source: string): number {
  const compiled = compileBagel(source);
  if (!compiled.ok) throw new Error(`internal error: the generated program does not compile: ${compiled.diagnostics[0]?.message}`);
  const fn = compiled.program.functions.find((f) => f.name === "work");
  if (fn === undefined) throw new Error("internal error: no function 'work'");
  let count = 0;
  for (let pc = 0; pc < fn.code.length; pc += 1 + operandCount(fn.code[pc] as number)) count++;
  return count;
}

/** The smallest program of this shape whose `work` has at least `instructions` instructions. */
export function generateBagelFunction(instructions: number): string {
  let statements = 1;
  while (workInstructions(program(statements)) < instructions) statements++;
  return program(statements);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const n = Number(process.argv[2] ?? "1000");
  if (!Number.isInteger(n) || n < 1) {
    process.stderr.write("usage: bagel-function.ts [INSTRUCTIONS]\n");
    process.exit(64);
  }
  process.stdout.write(generateBagelFunction(n));
}
