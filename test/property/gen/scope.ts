/**
 * The renderer's state: lexical scopes with the static type of every
 * variable, the function being rendered (its frame), and the budgets that
 * keep generated programs small, fast and acceptable to the reference C
 * implementation:
 *
 * - work: an upper bound on statements executed per call of a function (per
 *   run for the script). Loops multiply (`mult`), calls add the callee's
 *   bound; a call that does not fit is replaced by a fallback value.
 * - depth: the deepest call chain a call of the function can start. Kept
 *   at most MAX_DEPTH (clox allows 64 frames).
 * - consts: an overestimate of the constants in the function's chunk
 *   (literals, global names, property names); clox allows 256. Statements
 *   stop being added to a chunk past CONST_LIMIT.
 *
 * Assumes names are fresh (`v12`, `f3`, ...) except for deliberate local
 * shadowing, and that globals are never redeclared.
 */
import type { ValType } from "./model.ts";

export interface Sig {
  readonly params: readonly ValType[];
  readonly rt: ValType;
  readonly work: number;
  readonly depth: number;
  /** Recursive functions: the first argument must be a literal from 0 to this. */
  readonly maxN: number | null;
}

export interface Member {
  readonly name: string;
  readonly sig: Sig;
}

export interface ClassInfo {
  readonly name: string;
  readonly sup: ClassInfo | null;
  /** The constructor's signature (own or inherited init; arity 0 and free without one). */
  ctor: Sig;
  /** Whether the class has or inherits an `init`. */
  hasInit: boolean;
  /** The method whose body is being rendered (not callable through `this` meanwhile). */
  rendering: string | null;
  readonly fields: { readonly name: string; readonly t: ValType }[];
  readonly fnFields: Member[];
  /** Own and inherited methods, overrides in place of what they override. */
  readonly methods: Member[];
  /** Methods called through `this` somewhere: no subclass may override them. */
  readonly dispatched: Set<string>;
  complete: boolean;
}

export type VarTy =
  | { readonly k: "val"; readonly t: ValType }
  | { readonly k: "nil" }
  /** Something printable only (a closure factory, a not-yet-assigned slot). */
  | { readonly k: "opaque" }
  /** A function value; sig is null while its body is being rendered. */
  | { readonly k: "fun"; readonly sig: Sig | null }
  | { readonly k: "class"; readonly cls: ClassInfo }
  | { readonly k: "inst"; readonly cls: ClassInfo }
  | { readonly k: "arr"; readonly t: ValType; readonly frozen: boolean };

export interface Var {
  readonly name: string;
  ty: VarTy;
  /** Never assigned by generated statements (loop counters, recursion depth, functions, classes). */
  readonly fixed: boolean;
  /** Known small (loop counters, recursion depth): a constant for growth analysis. */
  readonly bounded: boolean;
  readonly global: boolean;
}

export type FrameKind = "script" | "fun" | "method" | "init";

export interface Frame {
  readonly kind: FrameKind;
  /** What `return e;` must return (null: script, init). */
  readonly rt: ValType | null;
  /** The class whose `this` is visible here, and its superclass for `super`. */
  readonly cls: ClassInfo | null;
  readonly sup: ClassInfo | null;
  /** Frames this function occupies on its own (1, or depth + 1 when recursive). */
  readonly base: number;
  readonly budget: number;
  work: number;
  maxCallee: number;
  consts: number;
}

export const MAX_DEPTH = 36;
export const CONST_LIMIT = 140;
export const LOOP_CAP = 400;
export const SCRIPT_BUDGET = 30_000;
export const FUN_BUDGET = 1_500;

interface Scope {
  readonly vars: Var[];
  readonly frame: Frame;
}

export class Ctx {
  private readonly scopes: Scope[] = [];
  private counter = 0;
  /** Product of the iteration counts of enclosing loops (in the current frame). */
  mult = 1;
  /** Remaining string-valued leaves allowed (store context), or null. */
  strLeaves: number | null = null;
  /** A name being declared: invisible while its initializer is rendered. */
  hidden: string | null = null;
  usesClamp = false;
  readonly lines: string[] = [];
  private indent = 0;

  constructor(readonly dialect: boolean) {
    this.scopes.push({ vars: [], frame: newFrame("script", null, null, null, 1, SCRIPT_BUDGET) });
  }

  get frame(): Frame {
    return (this.scopes[this.scopes.length - 1] as Scope).frame;
  }

  get atTopLevel(): boolean {
    return this.scopes.length === 1;
  }

  fresh(prefix: string): string {
    this.counter += 1;
    return `${prefix}${this.counter}`;
  }

  emit(line: string): void {
    this.lines.push("  ".repeat(this.indent) + line);
  }

  /** Runs body one indentation level deeper in a new scope (of a new frame if given). */
  nested<T>(frame: Frame | null, body: () => T): T {
    const outer = this.frame;
    const savedMult = this.mult;
    if (frame !== null) this.mult = 1;
    this.scopes.push({ vars: [], frame: frame ?? outer });
    this.indent += 1;
    try {
      return body();
    } finally {
      this.indent -= 1;
      this.scopes.pop();
      this.mult = savedMult;
    }
  }

  /** Runs body with the loop multiplier times n. */
  looping<T>(n: number, body: () => T): T {
    const saved = this.mult;
    this.mult = saved * n;
    try {
      return body();
    } finally {
      this.mult = saved;
    }
  }

  declare(name: string, ty: VarTy, opts: { fixed?: boolean; bounded?: boolean } = {}): Var {
    const v: Var = { name, ty, fixed: opts.fixed ?? false, bounded: opts.bounded ?? false, global: this.atTopLevel };
    (this.scopes[this.scopes.length - 1] as Scope).vars.push(v);
    if (v.global) this.frame.consts += 1;
    return v;
  }

  /** Every variable visible here, innermost first, shadowed ones left out. */
  visible(): Var[] {
    const seen = new Set<string>();
    if (this.hidden !== null) seen.add(this.hidden);
    const out: Var[] = [];
    for (let s = this.scopes.length - 1; s >= 0; s--) {
      const vars = (this.scopes[s] as Scope).vars;
      for (let j = vars.length - 1; j >= 0; j--) {
        const v = vars[j] as Var;
        if (seen.has(v.name)) continue;
        seen.add(v.name);
        out.push(v);
      }
    }
    return out;
  }

  /** Names declared outside the current local scope that a local may shadow (never fixed ones). */
  shadowable(): string[] {
    if (this.atTopLevel) return [];
    const here = new Set((this.scopes[this.scopes.length - 1] as Scope).vars.map((v) => v.name));
    return this.visible().filter((v) => !v.fixed && !here.has(v.name)).map((v) => v.name);
  }

  /** Records a use of a variable (a constant in the chunk when global). */
  use(v: Var): string {
    if (v.global) this.frame.consts += 1;
    return v.name;
  }

  /** Whether a call costing `work` statements and `depth` frames fits the current frame. */
  affords(work: number, depth: number): boolean {
    const f = this.frame;
    return f.work + this.mult * work <= f.budget && f.base + depth <= MAX_DEPTH;
  }

  charge(work: number, depth = 0): void {
    const f = this.frame;
    f.work += this.mult * work;
    if (depth > f.maxCallee) f.maxCallee = depth;
  }

  /** Whether another statement fits the chunk's work and constant budgets. */
  roomForStatement(): boolean {
    const f = this.frame;
    return f.work + this.mult * 4 <= f.budget && f.consts <= CONST_LIMIT;
  }

  /** `this` and `super` classes visible here (nested functions inherit them). */
  thisClass(): ClassInfo | null {
    return this.frame.cls;
  }
}

export function newFrame(
  kind: FrameKind, rt: ValType | null, cls: ClassInfo | null, sup: ClassInfo | null, base: number, budget: number,
): Frame {
  return { kind, rt, cls, sup, base, budget, work: 0, maxCallee: 0, consts: 0 };
}

/** The signature a finished frame gives its function. */
export function sigOf(frame: Frame, params: readonly ValType[], rt: ValType, maxN: number | null = null): Sig {
  const levels = maxN === null ? 1 : maxN + 1;
  return { params, rt, work: levels * (frame.work + 2), depth: frame.base + frame.maxCallee, maxN };
}

export function pick<T>(items: readonly T[], i: number): T | undefined {
  return items.length === 0 ? undefined : items[i % items.length];
}
