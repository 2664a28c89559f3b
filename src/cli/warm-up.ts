/**
 * The work that warms up the worker bundle before the build saves V8's
 * code cache of it (scripts/make-worker-cache.cjs): compiling a small Lox
 * program touches the usual paths of the front end, the optimizer,
 * machine lowering and the encoder, and running a small Bagel program with
 * the JIT those of the runtime, the partial evaluator and the linker. V8
 * compiles the functions they use, and the cache then holds their
 * bytecode, so a program worker neither parses the bundle nor compiles
 * them again. Nothing it computes is kept: the cache holds the compiler's
 * code, never a compiled program.
 */
import { compile, findLanguage, runGuestAsync, StringOutput } from "../api.ts";
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

const GUEST_PROGRAM = `
fun add(a, b) { return a + b; }
var xs = [1, 2, 3];
var total = 0;
var i = 0;
while (i < len(xs)) { total = add(total, xs[i]); i = i + 1; }
if (total > 5 and total != 7) print "sum"; else print total;
`;

export async function warmUp(): Promise<void> {
  const front = compile(PROGRAM);
  if (front.diagnostics.length > 0) throw new Error(`internal error: the warm-up program does not compile: ${front.diagnostics[0]?.message}`);
  await compileProgram(front, { opt: "O2" });
  const bagel = findLanguage("warm-up.bagel");
  if (bagel === null) return;
  const errors: string[] = [];
  const code = await runGuestAsync(bagel, GUEST_PROGRAM, {
    engine: "wasm", jit: "eager", stdout: new StringOutput(), stderr: (text) => errors.push(text),
  });
  if (code !== 0) throw new Error(`internal error: the warm-up Bagel program failed: ${errors.join("")}`);
}
