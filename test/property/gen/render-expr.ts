/**
 * Renders model expressions (model.ts) to Lox text against the renderer's
 * scope (scope.ts). Every reference is resolved to something in scope with
 * the right static type, or replaced by a fallback, so the text compiles.
 *
 * Typing is sound by construction: a number-typed expression evaluates to a
 * number or fails at run time, and only `wild` nodes fail. Two invariants
 * keep values finite and small, so no engine ever prints NaN or grows a
 * string without bound:
 * - numbers: every stored number (variable, field, element, argument,
 *   return value) is either "growth-safe" (at most one non-constant leaf,
 *   no `*`), so it grows additively, or wrapped in the prelude's `clamp`.
 *   Expressions have at most 8 leaves, so nothing overflows.
 * - strings: a stored string contains at most one string-valued leaf
 *   (`ctx.strLeaves`), so strings grow by a constant per store.
 */
import { typeOf, type Expr, type ValType } from "./model.ts";
import { pick, type ClassInfo, type Ctx, type Sig, type Var } from "./scope.ts";

export interface R {
  readonly text: string;
  /** Needs no parentheses as an operand. */
  readonly atomic: boolean;
  /** Non-constant number leaves (growth analysis). */
  readonly dyn: number;
  /** Contains `*` (growth analysis). */
  readonly mul: boolean;
}

const NUMS = [0, 1, 2, 3, 4, 5, 7, 10, 12, 42, 100, 0.5, 2.5, 0.25, 1000000, 123456.5];
const STRS = ["", "a", "b", "hi", "lox", " ", "x y", "A", "42", "-", "ab", "z", "ok", "nil", "1.5", "Lox"];

const r = (text: string, atomic: boolean, dyn = 0, mul = false): R => ({ text, atomic, dyn, mul });
export const paren = (x: R): string => (x.atomic ? x.text : `(${x.text})`);

export function literal(ctx: Ctx, t: ValType, v: number): R {
  switch (t) {
    case "num":
      ctx.frame.consts += 1;
      return r(String(NUMS[v % NUMS.length]), true);
    case "str":
      ctx.frame.consts += 1;
      return r(`"${STRS[v % STRS.length]}"`, true);
    case "bool":
      return r(v % 2 === 0 ? "true" : "false", true);
  }
}

export function valVars(ctx: Ctx, t: ValType | null, assignable = false): Var[] {
  return ctx.visible().filter((v) => v.ty.k === "val" && (t === null || v.ty.t === t) && !(assignable && v.fixed));
}

/** Whether a string-valued leaf may still be used here (and uses it up). */
function takeLeaf(ctx: Ctx, t: ValType): boolean {
  if (t !== "str" || ctx.strLeaves === null) return true;
  if (ctx.strLeaves <= 0) return false;
  ctx.strLeaves -= 1;
  return true;
}

export function renderRef(ctx: Ctx, t: ValType, i: number): R {
  const v = takeLeaf(ctx, t) ? pick(valVars(ctx, t), i) : undefined;
  if (v === undefined) return literal(ctx, t, i);
  return r(ctx.use(v), true, v.bounded ? 0 : 1);
}

/** A simple argument: a variable of type t or a literal (arguments are stores of one leaf). */
export function simpleArg(ctx: Ctx, t: ValType, seed: number): string {
  if (seed % 4 === 3) return literal(ctx, t, seed >> 2).text;
  return renderRef(ctx, t, seed).text;
}

export function renderArgs(ctx: Ctx, sig: Sig, seeds: readonly number[], extra = 0): string {
  const saved = ctx.strLeaves;
  ctx.strLeaves = null;
  const parts = sig.params.map((t, k) => {
    const s = seeds[k] ?? k;
    if (k === 0 && sig.maxN !== null) {
      ctx.frame.consts += 1;
      return String(s % (sig.maxN + 1));
    }
    return simpleArg(ctx, t, s);
  });
  for (let k = 0; k < extra; k++) parts.push(simpleArg(ctx, "num", seeds[k] ?? k));
  ctx.strLeaves = saved;
  return parts.join(", ");
}

/** Something whose fields and methods can be used: an instance variable, `this`, or a fresh `C(...)`. */
export interface Receiver {
  readonly cls: ClassInfo;
  readonly isThis: boolean;
  readonly work: number;
  readonly depth: number;
  readonly text: (seeds: readonly number[]) => string;
}

export const ctorDepth = (cls: ClassInfo): number => (cls.hasInit ? cls.ctor.depth : 0);

export function receivers(ctx: Ctx, temporaries: boolean): Receiver[] {
  const out: Receiver[] = [];
  const visible = ctx.visible();
  for (const v of visible) {
    if (v.ty.k === "inst") out.push({ cls: v.ty.cls, isThis: false, work: 0, depth: 0, text: () => ctx.use(v) });
  }
  const cls = ctx.frame.cls;
  if (cls !== null) out.push({ cls, isThis: true, work: 0, depth: 0, text: () => "this" });
  if (temporaries) {
    for (const v of visible) {
      if (v.ty.k !== "class" || !v.ty.cls.complete) continue;
      const c = v.ty.cls;
      out.push({
        cls: c, isThis: false, work: c.ctor.work + 1, depth: ctorDepth(c),
        text: (seeds) => `${ctx.use(v)}(${renderArgs(ctx, c.ctor, seeds)})`,
      });
    }
  }
  return out;
}

/** Something callable: `head(args)` has signature sig. */
export interface Callee {
  readonly sig: Sig;
  readonly work: number;
  readonly depth: number;
  readonly head: (seeds: readonly number[]) => string;
}

/** Callables returning rt (any when null); constructors too when rt is null. */
export function callees(ctx: Ctx, rt: ValType | null, temporaries: boolean): Callee[] {
  const out: Callee[] = [];
  const fits = (sig: Sig): boolean => rt === null || sig.rt === rt;
  for (const v of ctx.visible()) {
    if (v.ty.k === "fun" && v.ty.sig !== null && fits(v.ty.sig)) {
      const sig = v.ty.sig;
      out.push({ sig, work: sig.work + 1, depth: sig.depth, head: () => ctx.use(v) });
    } else if (v.ty.k === "class" && v.ty.cls.complete && rt === null) {
      const c = v.ty.cls;
      out.push({ sig: c.ctor, work: c.ctor.work + 1, depth: ctorDepth(c), head: () => ctx.use(v) });
    }
  }
  for (const rcv of receivers(ctx, temporaries)) {
    for (const m of rcv.cls.methods) {
      if (!fits(m.sig) || (rcv.isThis && rcv.cls.rendering === m.name)) continue;
      out.push({
        sig: m.sig, work: rcv.work + m.sig.work + 1, depth: Math.max(rcv.depth, m.sig.depth),
        head: (seeds) => {
          if (rcv.isThis) rcv.cls.dispatched.add(m.name);
          ctx.frame.consts += 1;
          return `${rcv.text(seeds)}.${m.name}`;
        },
      });
    }
    if (rcv.isThis) continue;
    for (const f of rcv.cls.fnFields) {
      if (!fits(f.sig)) continue;
      out.push({
        sig: f.sig, work: rcv.work + f.sig.work + 1, depth: Math.max(rcv.depth, f.sig.depth),
        head: (seeds) => {
          ctx.frame.consts += 1;
          return `${rcv.text(seeds)}.${f.name}`;
        },
      });
    }
  }
  const sup = ctx.frame.sup;
  if (sup !== null) {
    for (const m of sup.methods) {
      if (!fits(m.sig)) continue;
      out.push({ sig: m.sig, work: m.sig.work + 1, depth: m.sig.depth, head: () => (ctx.frame.consts += 1, `super.${m.name}`) });
    }
  }
  return out;
}

/** Renders an affordable call picked by i, charging its cost; null when there is none. */
export function renderCall(ctx: Ctx, rt: ValType | null, i: number, seeds: readonly number[]): { text: string; sig: Sig } | null {
  const c = pick(callees(ctx, rt, true).filter((c) => ctx.affords(c.work, c.depth)), i);
  if (c === undefined) return null;
  ctx.charge(c.work, c.depth);
  const head = c.head(seeds);
  return { text: `${head}(${renderArgs(ctx, c.sig, seeds)})`, sig: c.sig };
}

function renderProp(ctx: Ctx, t: ValType, i: number): R | null {
  const cands: { rcv: Receiver; name: string }[] = [];
  for (const rcv of receivers(ctx, true)) {
    if (!ctx.affords(rcv.work, rcv.depth)) continue;
    for (const f of rcv.cls.fields) if (f.t === t) cands.push({ rcv, name: f.name });
  }
  const c = pick(cands, i);
  if (c === undefined) return null;
  ctx.charge(c.rcv.work, c.rcv.depth);
  ctx.frame.consts += 1;
  return r(`${c.rcv.text([i])}.${c.name}`, true, 1);
}

export function arrays(ctx: Ctx, t: ValType | null, mutable: boolean): Var[] {
  return ctx.visible().filter((v) => v.ty.k === "arr" && (t === null || v.ty.t === t) && !(mutable && v.ty.frozen));
}

/** A valid index into the (never empty) array a. */
export function safeIndex(ctx: Ctx, a: Var, idx: Expr): string {
  if (idx.k === "lit") return idx.v % 2 === 0 ? "0" : `len(${ctx.use(a)}) - 1`;
  return `band(${renderAs(ctx, idx, "num").text}, 255) % len(${ctx.use(a)})`;
}

function renderNative(ctx: Ctx, t: ValType, n: number, x: Expr, y: Expr): R {
  ctx.frame.consts += 2;
  const num = (): R => renderAs(ctx, x, "num");
  const str = (): string => renderAs(ctx, y, "str").text;
  const strOperand = (): string => paren(renderAs(ctx, y, "str"));
  switch (t) {
    case "num": {
      const bits = ["band", "bor", "bxor", "shl", "shr"];
      switch (n % 10) {
        case 0: return r(`len(${str()})`, true, 1);
        case 1: { const a = num(); return r(`floor(${a.text})`, true, a.dyn, a.mul); }
        case 7: return r(`charCode(${strOperand()} + "z", 0)`, true);
        case 8: return r(`parseNumber(toString(band(${num().text}, 1023)))`, true);
        case 9: {
          const a = pick(arrays(ctx, null, false), n);
          if (a !== undefined) return r(`len(${ctx.use(a)})`, true, 1);
          const b = num();
          return r(`floor(${b.text})`, true, b.dyn, b.mul);
        }
        default: return r(`${bits[(n % 10) - 2]}(${num().text}, ${renderAs(ctx, y, "num").text})`, true, 1);
      }
    }
    case "str":
      switch (n % 4) {
        case 0: return r(`toString(${renderExpr(ctx, y).text})`, true);
        case 1: { const a = n % 2; return r(`substring(${strOperand()} + "abc", ${a}, ${a + 1 + ((n >> 2) % 2)})`, true); }
        case 2: return r(`fromCharCode(65 + band(${num().text}, 25))`, true);
        default: return r(`toString(${num().text})`, true);
      }
    case "bool":
      return n % 2 === 0 ? r(`parseNumber(${str()}) == nil`, false) : r(`len(${str()}) > ${paren(num())}`, false);
  }
}

function renderElem(ctx: Ctx, t: ValType, i: number, idx: Expr): R | null {
  const a = pick(arrays(ctx, t, false), i);
  if (a === undefined) return null;
  return r(`${ctx.use(a)}[${safeIndex(ctx, a, idx)}]`, true, 1);
}

/** A mixed-type expression that always fails at run time (form chosen by w). */
function renderWild(ctx: Ctx, w: number, e: Expr): R {
  ctx.frame.consts += 2;
  const forms = ctx.dialect ? 16 : 10;
  const any = (): R => renderExpr(ctx, e);
  switch (w % forms) {
    case 1: return r(`-${paren(renderAs(ctx, e, "bool"))}`, false);
    case 2: return r(`${paren(renderAs(ctx, e, "num"))} * "${STRS[w % 4 + 1]}"`, false);
    case 3: return r(`${paren(renderAs(ctx, e, "num"))} < nil`, false);
    case 4: {
      const v = pick(valVars(ctx, null), w);
      return r(`${v === undefined ? `"${STRS[w % 3 + 1]}"` : ctx.use(v)}(${any().text})`, true);
    }
    case 5: {
      const c = pick(callees(ctx, null, false), w);
      if (c === undefined) break;
      return r(`${c.head([w])}(${renderArgs(ctx, c.sig, [w], 1)})`, true);
    }
    case 6: {
      const rcv = pick(receivers(ctx, false), w);
      return r(`${rcv === undefined ? paren(any()) : rcv.text([])}.nope`, true);
    }
    case 7: return r(`ghost`, true);
    case 8: return r(`${paren(any())}.m()`, true);
    case 9: return r(`${paren(renderAs(ctx, e, "str"))} - 1`, false);
    case 10: return r(`[${any().text}][1]`, true);
    case 11: return r(`${paren(renderAs(ctx, e, "str"))}[0]`, true);
    case 12: return r(`len(${renderAs(ctx, e, "num").text})`, true);
    case 13: return r(`push(freeze([${any().text}]), 1)`, true);
    case 14: return r(`charCode(${renderAs(ctx, e, "str").text}, -1)`, true);
    case 15: return r(`[${any().text}][0.5]`, true);
  }
  return r(`${paren(any())} + nil`, false);
}

function coerce(ctx: Ctx, x: R, from: ValType, to: ValType): R {
  if (from === to) return x;
  const p = paren(x);
  ctx.frame.consts += 2;
  switch (from) {
    case "num":
      if (to === "str") return ctx.dialect ? r(`toString(${x.text})`, true) : r(`${p} > 0 and "pos" or "neg"`, false);
      return r(`${p} > 2`, false);
    case "str":
      if (to === "num") return ctx.dialect ? r(`len(${x.text})`, true, 1) : r(`${p} == "a" and 1 or 2`, false);
      return r(`${p} != ""`, false);
    case "bool":
      return to === "num" ? r(`${p} and 1 or 0`, false) : r(`${p} and "yes" or "no"`, false);
  }
}

export function renderAs(ctx: Ctx, e: Expr, t: ValType): R {
  return coerce(ctx, renderExpr(ctx, e), typeOf(e), t);
}

/** An expression whose value is stored: keeps numbers bounded (clamp) and strings linear. */
export function renderStore(ctx: Ctx, e: Expr, t: ValType): string {
  const saved = ctx.strLeaves;
  if (t === "str") ctx.strLeaves = 1;
  const x = renderAs(ctx, e, t);
  ctx.strLeaves = saved;
  return t === "num" ? clampIfNeeded(ctx, x) : x.text;
}

export function clampIfNeeded(ctx: Ctx, x: R): string {
  if (x.dyn <= 1 && !x.mul) return x.text;
  ctx.usesClamp = true;
  ctx.charge(4, 1);
  ctx.frame.consts += 1;
  return `clamp(${x.text})`;
}

export function renderExpr(ctx: Ctx, e: Expr): R {
  switch (e.k) {
    case "lit": return literal(ctx, e.t, e.v);
    case "ref": return renderRef(ctx, e.t, e.i);
    case "neg": {
      const x = renderAs(ctx, e.e, "num");
      return r(`-${paren(x)}`, false, x.dyn, x.mul);
    }
    case "arith": {
      const a = renderAs(ctx, e.l, "num");
      const b = renderAs(ctx, e.r, "num");
      return r(`${paren(a)} ${e.op} ${paren(b)}`, false, a.dyn + b.dyn, a.mul || b.mul || e.op === "*");
    }
    case "div": {
      const a = renderAs(ctx, e.l, "num");
      const op = ctx.dialect ? e.op : "/";
      ctx.frame.consts += 1;
      return op === "%" ? r(`${paren(a)} % ${e.d}`, false) : r(`${paren(a)} / ${e.d}`, false, a.dyn, a.mul);
    }
    case "concat": return r(`${paren(renderAs(ctx, e.l, "str"))} + ${paren(renderAs(ctx, e.r, "str"))}`, false);
    case "cmp": return r(`${paren(renderAs(ctx, e.l, "num"))} ${e.op} ${paren(renderAs(ctx, e.r, "num"))}`, false);
    case "eq": return r(`${paren(renderExpr(ctx, e.l))} ${e.op} ${paren(renderExpr(ctx, e.r))}`, false);
    case "not": return r(`!${paren(renderExpr(ctx, e.e))}`, false);
    case "logic": {
      const a = renderAs(ctx, e.l, e.t);
      const b = renderAs(ctx, e.r, e.t);
      return r(`${paren(a)} ${e.op} ${paren(b)}`, false, a.dyn + b.dyn, a.mul || b.mul);
    }
    case "call":
    case "prop":
    case "elem": {
      if (e.t === "str" && ctx.strLeaves !== null && ctx.strLeaves <= 0) return literal(ctx, e.t, e.i);
      const saved = ctx.strLeaves;
      let x: R | null;
      if (e.k === "call") {
        const c = renderCall(ctx, e.t, e.i, e.args);
        x = c === null ? null : r(c.text, true, 1);
      } else {
        x = e.k === "prop" ? renderProp(ctx, e.t, e.i) : renderElem(ctx, e.t, e.i, e.idx);
      }
      if (x === null) return renderRef(ctx, e.t, e.i);
      if (e.t === "str" && saved !== null) ctx.strLeaves = saved - 1;
      return x;
    }
    case "native": return renderNative(ctx, e.t, e.n, e.x, e.y);
    case "wild": return renderWild(ctx, e.w, e.e);
  }
}
