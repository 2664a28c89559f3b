/**
 * Renders the declarations that bring callables into scope: functions,
 * bounded recursion, closure factories, closures created in loop bodies,
 * and classes (fields, `init`, methods, overrides with `super` calls, a
 * field holding a closure that captures `this`).
 *
 * Assumptions that keep calls acyclic and their cost known statically:
 * a callable enters scope (gets a signature) only once its body is
 * rendered, so nothing calls itself except the recursion template, whose
 * first argument is always a small literal that decreases. Instances are
 * only ever of the exact class they were constructed from, and a method
 * called through `this` is never overridden later, so every call's target
 * (and cost) is known when it is rendered.
 */
import { typeOf, type ClassBody, type Fn, type Init, type Method, type Stmt, type ValType } from "./model.ts";
import { clampIfNeeded, paren, renderArgs, renderAs, renderStore, simpleArg } from "./render-expr.ts";
import { classVars, fitLoop, renderStmts } from "./render-stmt.ts";
import { FUN_BUDGET, newFrame, pick, sigOf, type ClassInfo, type Ctx, type Frame, type Sig, type Var } from "./scope.ts";

interface Param {
  readonly name: string;
  readonly t: ValType;
  readonly fixed?: boolean;
}

/** Emits `header { ... }` as the body of a new function frame with the given parameters. */
function functionBody(ctx: Ctx, header: string, frame: Frame, params: readonly Param[], inner: () => void): void {
  ctx.emit(`${header} {`);
  ctx.nested(frame, () => {
    for (const p of params) ctx.declare(p.name, { k: "val", t: p.t }, { fixed: p.fixed ?? false, bounded: p.fixed ?? false });
    inner();
  });
  ctx.emit("}");
}

const params = (ctx: Ctx, types: readonly ValType[]): Param[] => types.map((t) => ({ name: ctx.fresh("p"), t }));
const names = (ps: readonly Param[]): string => ps.map((p) => p.name).join(", ");

function funFrame(ctx: Ctx, rt: ValType, base = 1, budget = FUN_BUDGET): Frame {
  return newFrame("fun", rt, ctx.frame.cls, ctx.frame.sup, base, budget);
}

/** `print f(args);` when the call fits the budgets. */
function printCall(ctx: Ctx, v: Var, sig: Sig, seeds: readonly number[]): void {
  if (!ctx.affords(sig.work + 1, sig.depth)) return;
  ctx.charge(sig.work + 2, sig.depth);
  ctx.emit(`print ${ctx.use(v)}(${renderArgs(ctx, sig, seeds)});`);
}

/** `fun name(params) { body; return ret; }`, declared as a variable in the current scope. */
function declareFunction(ctx: Ctx, prefix: string, fn: Fn): { v: Var; sig: Sig } {
  const name = ctx.fresh(prefix);
  ctx.charge(1);
  ctx.frame.consts += 1;
  const v = ctx.declare(name, { k: "fun", sig: null }, { fixed: true });
  const rt = typeOf(fn.ret);
  const frame = funFrame(ctx, rt);
  const ps = params(ctx, fn.params);
  functionBody(ctx, `fun ${name}(${names(ps)})`, frame, ps, () => {
    renderStmts(ctx, fn.body);
    ctx.charge(1);
    ctx.emit(`return ${renderStore(ctx, fn.ret, rt)};`);
  });
  const sig = sigOf(frame, fn.params, rt);
  v.ty = { k: "fun", sig };
  return { v, sig };
}

export function renderFun(ctx: Ctx, s: Stmt & { k: "fun" }): void {
  const { v, sig } = declareFunction(ctx, "f", s.fn);
  if (s.callNow !== null) printCall(ctx, v, sig, s.callNow);
}

export function renderRec(ctx: Ctx, s: Stmt & { k: "rec" }): void {
  const depth = s.depth;
  const name = ctx.fresh("r");
  ctx.charge(1);
  ctx.frame.consts += 1;
  const v = ctx.declare(name, { k: "fun", sig: null }, { fixed: true });
  const rt = typeOf(s.fn.ret);
  const frame = funFrame(ctx, rt, depth + 1, Math.floor(FUN_BUDGET / (depth + 1)));
  const n: Param = { name: ctx.fresh("n"), t: "num", fixed: true };
  const ps = params(ctx, s.fn.params);
  functionBody(ctx, `fun ${name}(${names([n, ...ps])})`, frame, [n, ...ps], () => {
    ctx.charge(2);
    ctx.frame.consts += 1;
    ctx.emit(`if (${n.name} <= 0) return ${renderStore(ctx, s.base, rt)};`);
    renderStmts(ctx, s.fn.body);
    ctx.charge(1);
    ctx.frame.consts += 1;
    const self = `${ctx.use(v)}(${[`${n.name} - 1`, ...ps.map((p, k) => simpleArg(ctx, p.t, k))].join(", ")})`;
    switch (rt) {
      case "num": {
        const step = renderAs(ctx, s.fn.ret, "num");
        const sum = { text: `${paren(step)} + ${self}`, atomic: false, dyn: step.dyn + 1, mul: step.mul };
        ctx.emit(`return ${clampIfNeeded(ctx, sum)};`);
        return;
      }
      case "str": {
        ctx.strLeaves = 0;
        const step = renderAs(ctx, s.fn.ret, "str");
        ctx.strLeaves = null;
        ctx.emit(`return ${paren(step)} + ${self};`);
        return;
      }
      case "bool":
        ctx.emit(`return ${paren(renderAs(ctx, s.fn.ret, "bool"))} == ${self};`);
        return;
    }
  });
  const sig = sigOf(frame, ["num", ...s.fn.params], rt, depth);
  v.ty = { k: "fun", sig };
  printCall(ctx, v, sig, s.callNow);
}

export function renderFactory(ctx: Ctx, s: Stmt & { k: "factory" }): void {
  const t = s.t;
  const mk = ctx.fresh("mk");
  ctx.charge(3, 1);
  ctx.frame.consts += 2;
  const mv = ctx.declare(mk, { k: "fun", sig: null }, { fixed: true });
  const outer = funFrame(ctx, t);
  const p: Param = { name: ctx.fresh("p"), t };
  let inner: Sig | null = null;
  functionBody(ctx, `fun ${mk}(${p.name})`, outer, [p], () => {
    const c = ctx.fresh("c");
    ctx.emit(`var ${c} = ${p.name};`);
    ctx.declare(c, { k: "val", t }, { fixed: true });
    const g = ctx.fresh("g");
    const frame = funFrame(ctx, t);
    const x = params(ctx, [t]);
    functionBody(ctx, `fun ${g}(${names(x)})`, frame, x, () => {
      renderStmts(ctx, s.fn.body);
      ctx.charge(2);
      switch (t) {
        case "num": {
          const step = renderAs(ctx, s.fn.ret, "num");
          const sum = { text: `${c} + ${paren(step)}`, atomic: false, dyn: step.dyn + 1, mul: step.mul };
          ctx.emit(`${c} = ${clampIfNeeded(ctx, sum)};`);
          break;
        }
        case "str": {
          ctx.strLeaves = 0;
          const step = renderAs(ctx, s.fn.ret, "str");
          ctx.strLeaves = null;
          ctx.emit(`${c} = ${c} + ${paren(step)};`);
          break;
        }
        case "bool":
          ctx.emit(`${c} = ${paren(renderAs(ctx, s.fn.ret, "bool"))} != ${c};`);
          break;
      }
      ctx.emit(`return ${c};`);
    });
    inner = sigOf(frame, [t], t);
    ctx.emit(`return ${g};`);
  });
  mv.ty = { k: "opaque" };
  const sig = inner as Sig | null;
  if (sig === null) return;
  const k = ctx.fresh("k");
  ctx.emit(`var ${k} = ${mk}(${simpleArg(ctx, t, s.calls)});`);
  const kv = ctx.declare(k, { k: "fun", sig }, { fixed: true });
  for (let j = 0; j < s.calls; j++) printCall(ctx, kv, sig, [j * 5 + 1]);
}

export function renderLoopClosure(ctx: Ctx, s: Stmt & { k: "loopClosure" }): void {
  const n = fitLoop(ctx, s.n);
  if (n === 0) return;
  const t: ValType = typeOf(s.init) === "str" ? "str" : "num";
  const keep = ctx.fresh("k");
  ctx.charge(3);
  ctx.frame.consts += 4;
  ctx.emit(`var ${keep};`);
  const kv = ctx.declare(keep, { k: "opaque" }, { fixed: true });
  const i = ctx.fresh("i");
  let sig: Sig | null = null;
  ctx.emit(`for (var ${i} = 0; ${i} < ${n}; ${i} = ${i} + 1) {`);
  ctx.looping(n, () => ctx.nested(null, () => {
    ctx.declare(i, { k: "val", t: "num" }, { fixed: true, bounded: true });
    const v = ctx.fresh("v");
    ctx.emit(`var ${v} = ${renderStore(ctx, s.init, t)};`);
    ctx.declare(v, { k: "val", t }, { fixed: true });
    const g = ctx.fresh("g");
    const frame = funFrame(ctx, t);
    functionBody(ctx, `fun ${g}()`, frame, [], () => {
      ctx.charge(3);
      ctx.emit(t === "num" ? `${v} = ${v} + ${i};` : `${v} = ${v} + ".";`);
      ctx.emit(`print ${i};`);
      ctx.emit(`return ${v};`);
    });
    const gs = sigOf(frame, [], t);
    sig = gs;
    const gv = ctx.declare(g, { k: "fun", sig: gs }, { fixed: true });
    printCall(ctx, gv, gs, []);
    ctx.charge(1);
    ctx.emit(`${ctx.use(kv)} = ${g};`);
    renderStmts(ctx, s.body);
  }));
  ctx.emit("}");
  const gs = sig as Sig | null;
  if (gs === null) return;
  kv.ty = { k: "fun", sig: gs };
  printCall(ctx, kv, gs, []);
}

const NO_CTOR: Sig = { params: [], rt: "num", work: 0, depth: 0, maxN: null };

export function renderClass(ctx: Ctx, s: Stmt & { k: "class" }): void {
  const supVar = s.sup === null ? undefined : pick(classVars(ctx), s.sup);
  const declared = renderClassBody(ctx, supVar, s.body);
  if (s.sub !== null) renderClassBody(ctx, declared, s.sub);
}

function renderClassBody(ctx: Ctx, supVar: { v: Var; cls: ClassInfo } | undefined, s: ClassBody): { v: Var; cls: ClassInfo } {
  const sup = supVar?.cls ?? null;
  const name = ctx.fresh("C");
  const info: ClassInfo = {
    name,
    sup,
    ctor: sup?.ctor ?? NO_CTOR,
    hasInit: sup?.hasInit ?? false,
    rendering: null,
    fields: [...(sup?.fields ?? [])],
    fnFields: [...(sup?.fnFields ?? [])],
    methods: [...(sup?.methods ?? [])],
    dispatched: new Set(sup?.dispatched ?? []),
    complete: false,
  };
  ctx.charge(2);
  ctx.frame.consts += 3 + s.methods.length * 2;
  const supName = supVar === undefined ? null : ctx.use(supVar.v);
  const self = ctx.declare(name, { k: "class", cls: info }, { fixed: true });
  const own = (s.init?.fields ?? []).map((t) => ({ name: ctx.fresh("x"), t }));
  info.fields.push(...own);
  ctx.emit(supName === null ? `class ${name} {` : `class ${name} < ${supName} {`);
  ctx.nested(null, () => {
    const ownMethods = new Set<string>();
    for (const m of s.methods) renderMethod(ctx, info, m, ownMethods);
    if (s.init !== null) renderInit(ctx, info, s.init, own);
  });
  ctx.emit("}");
  info.complete = true;
  return { v: self, cls: info };
}

function renderMethod(ctx: Ctx, info: ClassInfo, m: Method, own: Set<string>): void {
  const sup = info.sup;
  const overridable = info.methods.filter((x) => !own.has(x.name) && !info.dispatched.has(x.name));
  const base = m.override === null ? undefined : pick(overridable, m.override);
  const name = base?.name ?? ctx.fresh("m");
  const types = base?.sig.params ?? m.params;
  const rt = base?.sig.rt ?? typeOf(m.ret);
  const frame = newFrame("method", rt, info, sup, 1, FUN_BUDGET);
  const ps = params(ctx, types);
  info.rendering = name;
  functionBody(ctx, `${name}(${names(ps)})`, frame, ps, () => {
    const target = sup === null ? undefined : base ?? pick(sup.methods, m.params.length);
    if (m.superCall && target !== undefined && ctx.affords(target.sig.work + 1, target.sig.depth)) {
      const sv = ctx.fresh("s");
      ctx.charge(target.sig.work + 2, target.sig.depth);
      ctx.frame.consts += 1;
      ctx.emit(`var ${sv} = super.${target.name}(${renderArgs(ctx, target.sig, [0, 1, 2])});`);
      ctx.declare(sv, { k: "val", t: target.sig.rt });
    }
    renderStmts(ctx, m.body);
    ctx.charge(1);
    ctx.emit(`return ${renderStore(ctx, m.ret, rt)};`);
  });
  info.rendering = null;
  const member = { name, sig: sigOf(frame, types, rt) };
  const at = info.methods.findIndex((x) => x.name === name);
  if (at >= 0) info.methods[at] = member;
  else info.methods.push(member);
  own.add(name);
}

function renderInit(ctx: Ctx, info: ClassInfo, init: Init, own: readonly { name: string; t: ValType }[]): void {
  const sup = info.sup;
  const supParams = sup !== null && sup.hasInit ? sup.ctor.params : [];
  const qs: Param[] = supParams.map((t) => ({ name: ctx.fresh("q"), t }));
  const ps = params(ctx, own.map((f) => f.t));
  const frame = newFrame("init", null, info, sup, 1, FUN_BUDGET);
  functionBody(ctx, `init(${names([...qs, ...ps])})`, frame, [...qs, ...ps], () => {
    if (sup !== null && sup.hasInit) {
      ctx.charge(sup.ctor.work + 2, sup.ctor.depth);
      ctx.frame.consts += 1;
      ctx.emit(`super.init(${names(qs)});`);
    }
    own.forEach((f, k) => {
      ctx.charge(1);
      ctx.frame.consts += 1;
      ctx.emit(`this.${f.name} = ${ps[k]?.name ?? "nil"};`);
    });
    if (init.fnField !== null) {
      const { v, sig } = declareFunction(ctx, "cb", init.fnField);
      const h = ctx.fresh("h");
      ctx.charge(1);
      ctx.frame.consts += 1;
      ctx.emit(`this.${h} = ${v.name};`);
      info.fnFields.push({ name: h, sig });
    }
    renderStmts(ctx, init.body);
  });
  info.ctor = sigOf(frame, [...supParams, ...own.map((f) => f.t)], "num");
  info.hasInit = true;
}
