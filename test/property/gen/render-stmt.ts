/**
 * Renders model statements (model.ts) to Lox source lines, tracking scopes
 * (scope.ts) so that every name is declared and visible where it is used,
 * no local is read in its own initializer or declared twice in a scope,
 * `return` only appears in functions (without a value in `init`), and
 * `this`/`super` only inside classes/subclasses. Declarations that bring
 * functions and classes into scope are in render-decl.ts.
 *
 * Loops always count with a fresh variable that nothing else assigns, up to
 * a constant that the work budget may lower (fitLoop), so every program
 * terminates quickly. Statements that do not fit a budget are dropped.
 */
import { typeOf, type Expr, type Program, type Stmt, type ValType } from "./model.ts";
import { renderClass, renderFactory, renderFun, renderLoopClosure, renderRec } from "./render-decl.ts";
import {
  arrays, paren, receivers, renderArgs, renderAs, renderCall, renderExpr, renderStore, safeIndex, valVars,
} from "./render-expr.ts";
import { Ctx, LOOP_CAP, pick, type ClassInfo, type Var } from "./scope.ts";

const CLAMP = [
  "fun clamp(x) {",
  "  if (x > 1000000) return 1000000;",
  "  if (x < -1000000) return -1000000;",
  "  return x;",
  "}",
];

export function renderProgram(program: Program, dialect: boolean): string {
  const ctx = new Ctx(dialect);
  renderStmts(ctx, program);
  const lines = ctx.usesClamp ? [...CLAMP, ...ctx.lines] : ctx.lines;
  return lines.join("\n") + "\n";
}

export function renderStmts(ctx: Ctx, stmts: readonly Stmt[]): void {
  for (const s of stmts) {
    if (!ctx.roomForStatement()) return;
    renderStmt(ctx, s);
  }
}

/** The largest iteration count up to n that the budgets allow (0: none). */
export function fitLoop(ctx: Ctx, n: number): number {
  let k = Math.min(n, Math.floor(LOOP_CAP / ctx.mult));
  while (k > 0 && !ctx.affords(k * 6, 0)) k--;
  return k;
}

export const valTypeOf = (v: Var): ValType => (v.ty.k === "val" ? v.ty.t : "num");

export function classVars(ctx: Ctx): { v: Var; cls: ClassInfo }[] {
  const out: { v: Var; cls: ClassInfo }[] = [];
  for (const v of ctx.visible()) if (v.ty.k === "class" && v.ty.cls.complete) out.push({ v, cls: v.ty.cls });
  return out;
}

function renderVar(ctx: Ctx, shadow: number | null, init: Expr | null): void {
  const name = (shadow === null ? undefined : pick(ctx.shadowable(), shadow)) ?? ctx.fresh("v");
  ctx.charge(1);
  if (init === null) {
    ctx.emit(`var ${name};`);
    ctx.declare(name, { k: "nil" });
    return;
  }
  const t = typeOf(init);
  const saved = ctx.hidden;
  ctx.hidden = name;
  const text = renderStore(ctx, init, t);
  ctx.hidden = saved;
  ctx.emit(`var ${name} = ${text};`);
  ctx.declare(name, { k: "val", t });
}

function renderBody(ctx: Ctx, header: string, body: readonly Stmt[], before?: () => void): void {
  ctx.emit(header === "" ? "{" : `${header} {`);
  ctx.nested(null, () => {
    before?.();
    renderStmts(ctx, body);
  });
  ctx.emit("}");
}

function renderPrintObj(ctx: Ctx, i: number, j: number | null): void {
  const objs = ctx.visible().filter((v) => v.ty.k !== "val").map((v) => v.name);
  if (ctx.frame.cls !== null) objs.push("this");
  const a = pick(objs, i);
  ctx.charge(1);
  if (a === undefined) {
    ctx.emit("print nil;");
    return;
  }
  const b = j === null ? undefined : pick(objs, j);
  ctx.frame.consts += 2;
  ctx.emit(b === undefined ? `print ${a};` : `print ${a} == ${b};`);
}

function renderStmt(ctx: Ctx, s: Stmt): void {
  switch (s.k) {
    case "var":
      return renderVar(ctx, s.shadow, s.init);
    case "assign": {
      const v = pick(valVars(ctx, typeOf(s.e), true), s.i) ?? pick(valVars(ctx, null, true), s.i);
      if (v === undefined) return renderStmt(ctx, { k: "print", e: s.e });
      ctx.charge(1);
      const value = renderStore(ctx, s.e, valTypeOf(v));
      ctx.emit(`${ctx.use(v)} = ${value};`);
      return;
    }
    case "print":
      ctx.charge(1);
      ctx.emit(`print ${renderExpr(ctx, s.e).text};`);
      return;
    case "printObj":
      return renderPrintObj(ctx, s.i, s.j);
    case "if": {
      ctx.charge(1);
      const cond = renderAs(ctx, s.cond, "bool").text;
      const only = s.then[0];
      if (s.else === null && s.then.length === 1 && only !== undefined && only.k === "print") {
        ctx.emit(`if (${cond}) print ${renderExpr(ctx, only.e).text};`);
        return;
      }
      ctx.emit(`if (${cond}) {`);
      ctx.nested(null, () => renderStmts(ctx, s.then));
      const otherwise = s.else;
      if (otherwise !== null) {
        ctx.emit("} else {");
        ctx.nested(null, () => renderStmts(ctx, otherwise));
      }
      ctx.emit("}");
      return;
    }
    case "while": {
      const n = fitLoop(ctx, s.n);
      if (n === 0) return;
      const name = ctx.fresh("w");
      ctx.charge(2);
      ctx.frame.consts += 2;
      ctx.emit(`var ${name} = 0;`);
      const w = ctx.declare(name, { k: "val", t: "num" }, { fixed: true, bounded: true });
      const extra = s.cond;
      const cond = extra === null ? "" : ctx.looping(n + 1, () => ` and ${paren(renderAs(ctx, extra, "bool"))}`);
      ctx.looping(n, () => renderBody(ctx, `while (${ctx.use(w)} < ${n}${cond})`, s.body, () => {
        ctx.charge(1);
        ctx.emit(`${ctx.use(w)} = ${ctx.use(w)} + 1;`);
      }));
      return;
    }
    case "for": {
      const n = fitLoop(ctx, s.n);
      if (n === 0) return;
      const i = ctx.fresh("i");
      ctx.charge(2);
      ctx.frame.consts += 3;
      const header = s.down
        ? `for (var ${i} = ${n}; ${i} > 0; ${i} = ${i} - 1)`
        : `for (var ${i} = 0; ${i} < ${n}; ${i} = ${i} + 1)`;
      ctx.looping(n, () => renderBody(ctx, header, s.body, () => {
        ctx.declare(i, { k: "val", t: "num" }, { fixed: true, bounded: true });
      }));
      return;
    }
    case "block":
      return renderBody(ctx, "", s.body);
    case "fun":
      return renderFun(ctx, s);
    case "rec":
      return renderRec(ctx, s);
    case "factory":
      return renderFactory(ctx, s);
    case "loopClosure":
      return renderLoopClosure(ctx, s);
    case "class":
      return renderClass(ctx, s);
    case "new": {
      const c = pick(classVars(ctx).filter(({ cls }) => ctx.affords(cls.ctor.work + 1, cls.hasInit ? cls.ctor.depth : 0)), s.i);
      if (c === undefined) return renderVar(ctx, null, { k: "lit", t: "num", v: s.i });
      const name = ctx.fresh("o");
      ctx.charge(c.cls.ctor.work + 2, c.cls.hasInit ? c.cls.ctor.depth : 0);
      ctx.emit(`var ${name} = ${ctx.use(c.v)}(${renderArgs(ctx, c.cls.ctor, s.args)});`);
      ctx.declare(name, { k: "inst", cls: c.cls });
      return;
    }
    case "setField": {
      const cands = receivers(ctx, false).flatMap((rcv) => rcv.cls.fields.map((f) => ({ rcv, f })));
      const c = pick(cands, s.i);
      if (c === undefined) return renderStmt(ctx, { k: "print", e: s.e });
      ctx.charge(1);
      ctx.frame.consts += 1;
      const value = renderStore(ctx, s.e, c.f.t);
      ctx.emit(`${c.rcv.text([])}.${c.f.name} = ${value};`);
      return;
    }
    case "bind": {
      const cands = receivers(ctx, false).flatMap((rcv) =>
        rcv.cls.methods.filter((m) => !(rcv.isThis && rcv.cls.rendering === m.name)).map((m) => ({ rcv, m })));
      const c = pick(cands, s.i);
      if (c === undefined) return;
      if (c.rcv.isThis) c.rcv.cls.dispatched.add(c.m.name);
      const name = ctx.fresh("b");
      ctx.charge(1);
      ctx.frame.consts += 1;
      ctx.emit(`var ${name} = ${c.rcv.text([])}.${c.m.name};`);
      const v = ctx.declare(name, { k: "fun", sig: c.m.sig }, { fixed: true });
      if (s.callNow && ctx.affords(c.m.sig.work + 1, c.m.sig.depth)) {
        ctx.charge(c.m.sig.work + 2, c.m.sig.depth);
        ctx.emit(`print ${ctx.use(v)}(${renderArgs(ctx, c.m.sig, [s.i, s.i + 1])});`);
      }
      return;
    }
    case "call": {
      const c = renderCall(ctx, null, s.i, s.args);
      if (c === null) return;
      ctx.charge(1);
      ctx.emit(`${c.text};`);
      return;
    }
    case "return": {
      const f = ctx.frame;
      if (f.kind === "script" || f.rt === null) {
        if (f.kind === "init") {
          ctx.charge(1);
          ctx.emit("return;");
          return;
        }
        return renderStmt(ctx, { k: "print", e: s.e });
      }
      ctx.charge(1);
      ctx.emit(`return ${renderStore(ctx, s.e, f.rt)};`);
      return;
    }
    case "array":
      return renderArray(ctx, s);
    case "arraySet": {
      const a = pick(arrays(ctx, null, true), s.i);
      if (a === undefined || a.ty.k !== "arr") return;
      ctx.charge(1);
      const index = safeIndex(ctx, a, s.idx);
      ctx.emit(`${ctx.use(a)}[${index}] = ${renderStore(ctx, s.e, a.ty.t)};`);
      return;
    }
    case "push": {
      const a = pick(arrays(ctx, null, true), s.i);
      if (a === undefined || a.ty.k !== "arr" || ctx.mult > 40) return;
      ctx.charge(1);
      ctx.frame.consts += 1;
      ctx.emit(`push(${ctx.use(a)}, ${renderStore(ctx, s.e, a.ty.t)});`);
      return;
    }
    case "pop": {
      const a = pick(arrays(ctx, null, true), s.i);
      if (a === undefined) return;
      ctx.charge(2);
      ctx.frame.consts += 3;
      ctx.emit(`if (len(${ctx.use(a)}) > 1) print pop(${ctx.use(a)});`);
      return;
    }
    case "arrayLoop": {
      const a = pick(arrays(ctx, null, false), s.i);
      const n = fitLoop(ctx, 8);
      if (a === undefined || a.ty.k !== "arr" || n === 0) return;
      const t = a.ty.t;
      const i = ctx.fresh("i");
      const e = ctx.fresh("e");
      ctx.charge(2);
      ctx.frame.consts += 4;
      const header = `for (var ${i} = 0; ${i} < len(${ctx.use(a)}) and ${i} < ${n}; ${i} = ${i} + 1)`;
      ctx.looping(n, () => renderBody(ctx, header, s.body, () => {
        ctx.declare(i, { k: "val", t: "num" }, { fixed: true, bounded: true });
        ctx.charge(1);
        ctx.emit(`var ${e} = ${ctx.use(a)}[${i}];`);
        ctx.declare(e, { k: "val", t });
      }));
      return;
    }
  }
}

function renderArray(ctx: Ctx, s: Stmt & { k: "array" }): void {
  const first = s.elems[0];
  const t: ValType = first !== undefined && typeOf(first) === "str" ? "str" : "num";
  const name = ctx.fresh("a");
  ctx.charge(2);
  ctx.frame.consts += 2;
  const form = s.form % 8;
  if (form >= 6) {
    // Mixed element types, or nested arrays: only printed.
    const items = s.elems.map((e) => renderStore(ctx, e, typeOf(e)));
    const value = form === 6 ? `[${items.join(", ")}]` : `[[${items.join(", ")}], ${items.length}]`;
    ctx.emit(`var ${name} = ${value};`);
    ctx.declare(name, { k: "opaque" });
    ctx.emit(form === 6 ? `print ${name};` : `print ${name}[0][len(${name}[0]) - 1];`);
    return;
  }
  const items = s.elems.map((e) => renderStore(ctx, e, t));
  let value: string;
  if (form === 4) value = `array(${items.length + 1}, ${items[0] ?? "0"})`;
  else if (form === 5) value = `freeze([${items.join(", ")}])`;
  else value = `[${items.join(", ")}]`;
  ctx.emit(`var ${name} = ${value};`);
  ctx.declare(name, { k: "arr", t, frozen: form === 5 });
}
