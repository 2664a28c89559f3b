/**
 * Random Bagel programs for property tests (fast-check). A program is
 * built from a sequence of choices (`fc.array(fc.nat())`): each decision
 * takes the next choice, and an exhausted sequence always takes option 0,
 * the simplest one, so fast-check shrinks a failing program by shortening
 * and lowering its choices (the choice-sequence technique of Hypothesis,
 * D. MacIver et al.).
 *
 * Every program compiles and terminates quickly: loops count a fresh
 * counter up to a small constant and never assign it in the body, functions
 * call only functions declared before them, and the one recursive function
 * (`rec`) recurses on a small, decreasing argument. Values are mostly
 * numbers; rare "wild" operands (strings, nil, booleans, arrays, an
 * undefined global), indices past the end, float indices, wrong argument
 * counts and pops from empty arrays make some programs end in a run-time
 * error. Arrays hold only numbers, so they never contain themselves.
 */
import fc from "fast-check";

export interface BagelProgramOptions {
  /** Most top-level functions besides `rec` (default 3). */
  readonly maxFunctions?: number;
  /** Most statements per block (default 4). */
  readonly maxStatements?: number;
  /** Percent of operands that are wild (default 3). */
  readonly wildPercent?: number;
}

/** Reads decisions from a choice sequence; exhausted, it always answers 0. */
class Chooser {
  private next = 0;
  constructor(private readonly choices: readonly number[]) {}
  pick(n: number): number {
    const c = this.choices[this.next++];
    return c === undefined ? 0 : c % n;
  }
  chance(percent: number): boolean {
    return this.pick(100) >= 100 - percent;
  }
}

interface FunctionInfo {
  readonly name: string;
  readonly arity: number;
}

interface Scope {
  /** Readable numeric variables. */
  readonly readable: string[];
  /** Variables statements may assign (not loop counters). */
  readonly assignable: string[];
}

class ProgramBuilder {
  private localCount = 0;

  constructor(private readonly c: Chooser, private readonly options: Required<BagelProgramOptions>) {}

  build(): string {
    const globals = ["g0", "g1"];
    const nFunctions = this.c.pick(this.options.maxFunctions + 1);
    const functions: FunctionInfo[] = [];
    const recLines: string[] = [];
    const withRec = this.c.chance(50);
    if (withRec) {
      const scope: Scope = { readable: ["n", ...globals], assignable: [] };
      recLines.push("fun rec(n) {", `  if (n < 1) return ${this.numeric(scope, [], 1)};`);
      recLines.push(`  return ${this.numeric(scope, [], 1)} + rec(n - 1);`, "}");
    }
    const fnLines: string[] = [];
    for (let i = 0; i < nFunctions; i++) {
      const arity = this.c.pick(3);
      const params = Array.from({ length: arity }, (_, k) => `p${k}`);
      const scope: Scope = { readable: [...params, ...globals], assignable: [...params, ...globals] };
      const callable = withRec ? [...functions, { name: "rec", arity: 1 }] : [...functions];
      fnLines.push(`fun f${i}(${params.join(", ")}) {`);
      this.block(scope, callable, 1, 1, fnLines);
      fnLines.push(`  return ${this.numeric(scope, callable, 2)};`, "}");
      functions.push({ name: `f${i}`, arity });
    }
    const main: string[] = [
      `var g0 = ${this.c.pick(10)};`,
      `var g1 = ${this.c.pick(10)};`,
      `var arr = [${Array.from({ length: 2 + this.c.pick(3) }, () => this.c.pick(10)).join(", ")}];`,
    ];
    const mainScope: Scope = { readable: [...globals], assignable: [...globals] };
    const callable = withRec ? [...functions, { name: "rec", arity: 1 }] : functions;
    const nMain = 1 + this.c.pick(this.options.maxStatements + 2);
    for (let i = 0; i < nMain; i++) this.statement(mainScope, callable, 2, 0, main);
    main.push("print arr;");
    return [...recLines, ...fnLines, ...main].join("\n") + "\n";
  }

  private block(scope: Scope, callable: readonly FunctionInfo[], depth: number, indent: number, out: string[]): void {
    const inner: Scope = { readable: [...scope.readable], assignable: [...scope.assignable] };
    const n = this.c.pick(this.options.maxStatements + 1);
    for (let i = 0; i < n; i++) this.statement(inner, callable, depth, indent, out);
  }

  private statement(scope: Scope, callable: readonly FunctionInfo[], depth: number, indent: number, out: string[]): void {
    const pad = "  ".repeat(indent);
    const kind = this.c.pick(depth > 0 ? 10 : 7);
    switch (kind) {
      case 0:
        out.push(`${pad}print ${this.numeric(scope, callable, 2)};`);
        return;
      case 1: {
        const name = `v${this.localCount++}`;
        out.push(`${pad}var ${name} = ${this.numeric(scope, callable, 2)};`);
        scope.readable.push(name);
        scope.assignable.push(name);
        return;
      }
      case 2: {
        const target = scope.assignable[this.c.pick(Math.max(1, scope.assignable.length))];
        if (target === undefined) {
          out.push(`${pad}print ${this.condition(scope, callable, 1)};`);
          return;
        }
        out.push(`${pad}${target} = ${this.numeric(scope, callable, 2)};`);
        return;
      }
      case 3:
        out.push(`${pad}arr[${this.index(scope, callable)}] = ${this.numeric(scope, callable, 1)};`);
        return;
      case 4:
        if (this.c.chance(70)) out.push(`${pad}push(arr, ${this.numeric(scope, callable, 1)});`);
        else out.push(`${pad}print pop(arr);`);
        return;
      case 5:
        out.push(`${pad}print "n=" + str(${this.numeric(scope, callable, 1)});`);
        return;
      case 6:
        out.push(`${pad}print ${this.condition(scope, callable, 2)};`);
        return;
      case 7: {
        out.push(`${pad}if (${this.condition(scope, callable, 2)}) {`);
        this.block(scope, callable, depth - 1, indent + 1, out);
        if (this.c.chance(50)) {
          out.push(`${pad}} else {`);
          this.block(scope, callable, depth - 1, indent + 1, out);
        }
        out.push(`${pad}}`);
        return;
      }
      case 8: {
        const counter = `i${this.localCount++}`;
        out.push(`${pad}for (var ${counter} = 0; ${counter} < ${1 + this.c.pick(3)}; ${counter} = ${counter} + 1) {`);
        this.block({ readable: [...scope.readable, counter], assignable: [...scope.assignable] }, callable, depth - 1, indent + 1, out);
        out.push(`${pad}}`);
        return;
      }
      default: {
        const counter = `w${this.localCount++}`;
        out.push(`${pad}var ${counter} = 0;`);
        out.push(`${pad}while (${counter} < ${1 + this.c.pick(3)}) {`);
        this.block({ readable: [...scope.readable, counter], assignable: [...scope.assignable] }, callable, depth - 1, indent + 1, out);
        out.push(`${pad}  ${counter} = ${counter} + 1;`, `${pad}}`);
        return;
      }
    }
  }

  private index(scope: Scope, callable: readonly FunctionInfo[]): string {
    if (this.c.chance(5)) return `${this.c.pick(4)}.5`;
    if (this.c.chance(20)) return `floor(${this.numeric(scope, callable, 0)}) % 3`;
    return String(this.c.chance(10) ? 2 + this.c.pick(4) : this.c.pick(2));
  }

  private wild(): string {
    return ["nil", "true", '"s"', "[1, 2]", "undef", 'str(1) + "x"'][this.c.pick(6)] as string;
  }

  private numeric(scope: Scope, callable: readonly FunctionInfo[], depth: number): string {
    if (this.c.chance(this.options.wildPercent)) return this.wild();
    const kind = this.c.pick(depth > 0 ? 11 : 3);
    switch (kind) {
      case 0:
        return String(this.c.pick(10));
      case 1: {
        const name = scope.readable[this.c.pick(Math.max(1, scope.readable.length))];
        return name ?? String(this.c.pick(10));
      }
      case 2:
        return `${this.c.pick(10)}.${1 + this.c.pick(9)}`;
      case 3:
      case 4: {
        const op = ["+", "-", "*", "/", "%"][this.c.pick(5)] as string;
        return `(${this.numeric(scope, callable, depth - 1)} ${op} ${this.numeric(scope, callable, depth - 1)})`;
      }
      case 5:
        return `-${this.numeric(scope, callable, depth - 1)}`;
      case 6:
        return `arr[${this.index(scope, callable)}]`;
      case 7: {
        const f = callable[this.c.pick(Math.max(1, callable.length))];
        if (f === undefined) return `len(arr)`;
        const argc = this.c.chance(4) ? f.arity + 1 : f.arity;
        const args = f.name === "rec" ? [String(this.c.pick(6))] : Array.from({ length: argc }, () => this.numeric(scope, callable, depth - 1));
        return `${f.name}(${args.join(", ")})`;
      }
      case 8:
        return "len(arr)";
      case 9:
        return `floor(${this.numeric(scope, callable, depth - 1)} / 2)`;
      default:
        return `len(array(${this.c.pick(4)}, 0))`;
    }
  }

  private condition(scope: Scope, callable: readonly FunctionInfo[], depth: number): string {
    const kind = this.c.pick(depth > 0 ? 5 : 2);
    switch (kind) {
      case 0:
      case 1: {
        const op = ["<", "<=", ">", ">=", "==", "!="][this.c.pick(6)] as string;
        return `${this.numeric(scope, callable, 1)} ${op} ${this.numeric(scope, callable, 1)}`;
      }
      case 2:
        return `!(${this.condition(scope, callable, depth - 1)})`;
      case 3:
        return `(${this.condition(scope, callable, depth - 1)}) and (${this.condition(scope, callable, depth - 1)})`;
      default:
        return `(${this.condition(scope, callable, depth - 1)}) or (${this.numeric(scope, callable, 0)})`;
    }
  }
}

/** Builds the program that a choice sequence describes (deterministic). */
export function bagelProgramFromChoices(choices: readonly number[], options: BagelProgramOptions = {}): string {
  const full: Required<BagelProgramOptions> = {
    maxFunctions: options.maxFunctions ?? 3,
    maxStatements: options.maxStatements ?? 4,
    wildPercent: options.wildPercent ?? 3,
  };
  return new ProgramBuilder(new Chooser(choices), full).build();
}

/** Random Bagel programs (source text) that compile and terminate quickly. */
export function bagelProgram(options: BagelProgramOptions = {}): fc.Arbitrary<string> {
  return fc.array(fc.nat({ max: 0xffff }), { maxLength: 1000, size: "max" }).map((choices) => bagelProgramFromChoices(choices, options));
}
