/**
 * The abstract program model that fast-check generates and shrinks. It is
 * deliberately scope-free: a variable, callee, field or array is an index
 * (`i`) that the renderer (render-*.ts) maps, modulo what is in scope and
 * has the right type at that point, to a concrete name, falling back to a
 * literal or to nothing when there is no candidate. So any shrunk model
 * still renders to a well-scoped program.
 *
 * Expressions carry their static type (`typeOf`); where a slot needs
 * another type, the renderer coerces (`e == "a" and 1 or 2`, `e > 3`, ...).
 * `wild` nodes are the only intended source of runtime errors: the renderer
 * turns them into mixed-type expressions that always fail when evaluated.
 */

export type ValType = "num" | "str" | "bool";
export const VAL_TYPES: readonly ValType[] = ["num", "str", "bool"];

export type ArithOp = "+" | "-" | "*";
export type CmpOp = "<" | "<=" | ">" | ">=";

export type Expr =
  /** A literal of type t; v indexes the renderer's literal table. */
  | { readonly k: "lit"; readonly t: ValType; readonly v: number }
  /** A variable of type t in scope. */
  | { readonly k: "ref"; readonly t: ValType; readonly i: number }
  | { readonly k: "neg"; readonly e: Expr }
  | { readonly k: "arith"; readonly op: ArithOp; readonly l: Expr; readonly r: Expr }
  /** Division or remainder by the nonzero literal d (`%` is dialect; standard renders `/`). */
  | { readonly k: "div"; readonly op: "/" | "%"; readonly l: Expr; readonly d: number }
  | { readonly k: "concat"; readonly l: Expr; readonly r: Expr }
  | { readonly k: "cmp"; readonly op: CmpOp; readonly l: Expr; readonly r: Expr }
  | { readonly k: "eq"; readonly op: "==" | "!="; readonly l: Expr; readonly r: Expr }
  | { readonly k: "not"; readonly e: Expr }
  | { readonly k: "logic"; readonly op: "and" | "or"; readonly t: ValType; readonly l: Expr; readonly r: Expr }
  /** A call of something in scope returning t (function, closure, bound method, method, field). */
  | { readonly k: "call"; readonly t: ValType; readonly i: number; readonly args: readonly number[] }
  /** A field of type t of an instance (variable, `this`, or a fresh `C(...)`). */
  | { readonly k: "prop"; readonly t: ValType; readonly i: number }
  /** Dialect: a native returning t, chosen by n; x is a number, y anything. */
  | { readonly k: "native"; readonly t: ValType; readonly n: number; readonly x: Expr; readonly y: Expr }
  /** Dialect: an element of an array of t, at a safe index derived from idx. */
  | { readonly k: "elem"; readonly t: ValType; readonly i: number; readonly idx: Expr }
  /** A deliberate runtime error built from e (form chosen by w). */
  | { readonly k: "wild"; readonly t: ValType; readonly w: number; readonly e: Expr };

export function typeOf(e: Expr): ValType {
  switch (e.k) {
    case "lit":
    case "ref":
    case "logic":
    case "call":
    case "prop":
    case "native":
    case "elem":
    case "wild":
      return e.t;
    case "neg":
    case "arith":
    case "div":
      return "num";
    case "concat":
      return "str";
    case "cmp":
    case "eq":
    case "not":
      return "bool";
  }
}

/** A function: parameters, body, and the value it returns at the end. */
export interface Fn {
  readonly params: readonly ValType[];
  readonly body: readonly Stmt[];
  readonly ret: Expr;
}

/** A method; `override` picks an inherited method to override (same signature). */
export interface Method extends Fn {
  readonly override: number | null;
  readonly superCall: boolean;
}

/** `init`: one parameter per field, an optional field holding a closure, more statements. */
export interface Init {
  readonly fields: readonly ValType[];
  readonly fnField: Fn | null;
  readonly body: readonly Stmt[];
}

export interface ClassBody {
  readonly init: Init | null;
  readonly methods: readonly Method[];
}

export type Stmt =
  /** `var x = init;` (`var x;` when init is null); shadow reuses an outer local's name. */
  | { readonly k: "var"; readonly shadow: number | null; readonly init: Expr | null }
  | { readonly k: "assign"; readonly i: number; readonly e: Expr }
  | { readonly k: "print"; readonly e: Expr }
  /** Prints a function, class, instance, array or nil variable (or compares two). */
  | { readonly k: "printObj"; readonly i: number; readonly j: number | null }
  | { readonly k: "if"; readonly cond: Expr; readonly then: readonly Stmt[]; readonly else: readonly Stmt[] | null }
  /** A while loop of at most n iterations, counted by a fresh variable; cond may end it sooner. */
  | { readonly k: "while"; readonly n: number; readonly cond: Expr | null; readonly body: readonly Stmt[] }
  | { readonly k: "for"; readonly n: number; readonly down: boolean; readonly body: readonly Stmt[] }
  | { readonly k: "block"; readonly body: readonly Stmt[] }
  /** A function declaration, optionally called right away (argument seeds). */
  | { readonly k: "fun"; readonly fn: Fn; readonly callNow: readonly number[] | null }
  /** A recursive function: first parameter n counts down from at most depth; fn.ret combines with the recursive call. */
  | { readonly k: "rec"; readonly depth: number; readonly fn: Fn; readonly base: Expr; readonly callNow: readonly number[] }
  /** A function returning a closure that captures and mutates a local of type t; called `calls` times. */
  | { readonly k: "factory"; readonly t: ValType; readonly fn: Fn; readonly calls: number }
  /** A for loop whose body declares a variable and a closure capturing it and the loop variable, called after the loop. */
  | { readonly k: "loopClosure"; readonly n: number; readonly init: Expr; readonly body: readonly Stmt[] }
  /** A class (subclass of a class in scope picked by sup), and optionally a subclass of it right after. */
  | { readonly k: "class"; readonly sup: number | null; readonly body: ClassBody; readonly sub: ClassBody | null }
  /** `var o = C(args);` */
  | { readonly k: "new"; readonly i: number; readonly args: readonly number[] }
  /** Assigns a field of an instance (or `this`). */
  | { readonly k: "setField"; readonly i: number; readonly e: Expr }
  /** `var b = o.m;`, a bound method, optionally called right away. */
  | { readonly k: "bind"; readonly i: number; readonly callNow: boolean }
  /** A call as a statement (of anything callable in scope, whatever it returns). */
  | { readonly k: "call"; readonly i: number; readonly args: readonly number[] }
  /** `return e;` inside functions (an early return); rendered as `print` at top level. */
  | { readonly k: "return"; readonly e: Expr }
  /** Dialect: `var a = [..]` / `array(n, v)` / `freeze([..])`, chosen by form. */
  | { readonly k: "array"; readonly form: number; readonly elems: readonly Expr[] }
  | { readonly k: "arraySet"; readonly i: number; readonly idx: Expr; readonly e: Expr }
  | { readonly k: "push"; readonly i: number; readonly e: Expr }
  | { readonly k: "pop"; readonly i: number }
  /** Dialect: a loop over (at most 8 of) an array's elements. */
  | { readonly k: "arrayLoop"; readonly i: number; readonly body: readonly Stmt[] };

export type Program = readonly Stmt[];
