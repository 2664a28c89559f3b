/**
 * The work that warms up the worker bundle before the build saves V8's
 * code cache of it (scripts/make-worker-cache.cjs): compiling a small
 * program that touches the usual paths of the front end, the optimizer,
 * machine lowering and the encoder makes V8 compile those functions, and
 * the cache then holds their bytecode, so a program worker neither parses
 * the bundle nor compiles them again. Nothing it computes is kept: the
 * cache holds the compiler's code, never a compiled program.
 */
import { compile } from "../api.ts";
import { compileProgram } from "../jit/compile.ts";

const PROGRAM = `
class Shape {
  init(name) { this.name = name; this.sides = 0; }
  describe() { return this.name + " with " + toString(this.sides) + " sides"; }
}
class Square < Shape {
  init() { super.init("square"); this.sides = 4; }
  area(side) { return side * side; }
}
fun counter() {
  var count = 0;
  fun next() { count = count + 1; return count; }
  return next;
}
var next = counter();
var total = 0;
var items = array(10, nil);
for (var i = 0; i < 10; i = i + 1) {
  items[i] = Square();
  if (i > 5 and i != 7 or i == 2) total = total + items[i].area(i) - next();
  while (total > 100) total = total / 2;
}
print items[3].describe();
print total;
`;

export async function warmUp(): Promise<void> {
  const front = compile(PROGRAM);
  if (front.diagnostics.length > 0) throw new Error(`internal error: the warm-up program does not compile: ${front.diagnostics[0]?.message}`);
  await compileProgram(front, { opt: "O2" });
}
