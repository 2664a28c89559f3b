/**
 * Writes a realistic Lox program of about N lines (default 1000) for
 * compile-time measurements: classes with fields and methods, functions
 * with loops, branches, closures and recursion, and a driver that calls
 * them. Deterministic: the same N gives the same program.
 *
 *   npx tsx experiments/compile-time/generate.ts [N] > program.lox
 */

function unit(i: number): string {
  return `class Shape${i} {
  init(w, h) {
    this.w = w;
    this.h = h;
    this.tag = "shape${i}";
  }
  area() { return this.w * this.h + ${i % 7}; }
  scale(k) {
    this.w = this.w * k;
    this.h = this.h * k;
    return this;
  }
}

class Square${i} < Shape${i} {
  init(s) { super.init(s, s); }
  area() { return super.area() - ${i % 3}; }
}

fun series${i}(n) {
  var total = 0;
  var sign = 1;
  for (var k = 0; k < n; k = k + 1) {
    if (k % 3 == 0) {
      total = total + sign * k;
    } else if (k % 3 == 1) {
      total = total - k / 2;
    } else {
      total = total + ${i};
    }
    sign = -sign;
  }
  return total;
}

fun counter${i}(start) {
  var count = start;
  fun step(by) {
    count = count + by;
    return count;
  }
  return step;
}

fun fib${i}(n) {
  if (n < 2) return n;
  return fib${i}(n - 1) + fib${i}(n - 2);
}

fun collect${i}(n) {
  var items = [];
  var i = 0;
  while (i < n) {
    push(items, i * ${(i % 5) + 1});
    i = i + 1;
  }
  var sum = 0;
  for (var j = 0; j < len(items); j = j + 1) sum = sum + items[j];
  return sum;
}

fun describe${i}(x) {
  if (x == nil) return "nothing";
  if (x and x > 10) return "big " + toString(x);
  return "small " + toString(x);
}
`;
}

const UNIT_LINES = unit(0).split("\n").length - 1;

export function generate(lines: number): string {
  const units = Math.max(1, Math.round((lines - 12) / (UNIT_LINES + 4)));
  const parts: string[] = [];
  for (let i = 0; i < units; i++) parts.push(unit(i));
  parts.push("var checksum = 0;");
  for (let i = 0; i < units; i++) {
    parts.push(
      `checksum = checksum + Square${i}(${i + 2}).scale(2).area() + series${i}(${10 + i}) + counter${i}(${i})(3);`,
      `checksum = checksum + fib${i}(${(i % 10) + 5}) + collect${i}(${(i % 4) + 3});`,
      `print describe${i}(checksum % 100);`,
    );
  }
  parts.push("print checksum;");
  return parts.join("\n") + "\n";
}

if (process.argv[1]?.endsWith("generate.ts")) {
  process.stdout.write(generate(Number(process.argv[2] ?? 1000)));
}
