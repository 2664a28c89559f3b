/**
 * fast-check arbitraries for the abstract program model (model.ts). Depth
 * is explicit (expressions at most EXPR_DEPTH deep, so at most 8 leaves;
 * statements nested at most STMT_DEPTH deep), each arbitrary is built once
 * per (type, depth), and every `oneof` lists its simplest case first so
 * that counterexamples shrink toward literals and flat statement lists.
 * Indices (`i`, argument seeds) are small naturals that shrink toward 0.
 * Nothing here knows about scopes; the renderer makes every choice valid.
 */
import fc from "fast-check";
import type { ClassBody, Expr, Fn, Init, Method, Program, Stmt, ValType } from "./model.ts";

export const EXPR_DEPTH = 3;
export const STMT_DEPTH = 3;

/** Relative weight of a `wild` (runtime error) node among the other expression forms (×1000). */
const WILD_PER_MILLE = 5;

type Weighted<T> = { readonly arbitrary: fc.Arbitrary<T>; readonly weight: number };
const w = <T>(weight: number, arbitrary: fc.Arbitrary<T>): Weighted<T> => ({ arbitrary, weight });

const index = fc.nat(24);
const opt = <T>(a: fc.Arbitrary<T>, freq: number): fc.Arbitrary<T | null> => fc.option(a, { freq, nil: null });
const seeds = fc.array(fc.nat(40), { maxLength: 4 });
const valType: fc.Arbitrary<ValType> = fc.constantFrom("num", "str", "bool");

export class ProgramGen {
  private readonly memo = new Map<string, fc.Arbitrary<unknown>>();

  constructor(private readonly dialect: boolean) {}

  program(maxStatements: number): fc.Arbitrary<Program> {
    return fc.array(this.stmt(STMT_DEPTH), { minLength: 1, maxLength: maxStatements });
  }

  private cached<T>(key: string, make: () => fc.Arbitrary<T>): fc.Arbitrary<T> {
    let a = this.memo.get(key) as fc.Arbitrary<T> | undefined;
    if (a === undefined) {
      a = make();
      this.memo.set(key, a);
    }
    return a;
  }

  private oneof<T>(cases: readonly Weighted<T>[]): fc.Arbitrary<T> {
    const live = cases.filter((c) => c.weight > 0);
    return fc.oneof({ withCrossShrink: true }, ...live.map((c) => ({ arbitrary: c.arbitrary, weight: c.weight })));
  }

  anyExpr(d: number): fc.Arbitrary<Expr> {
    return this.cached(`any/${d}`, () =>
      this.oneof([w(4, this.expr("num", d)), w(3, this.expr("str", d)), w(3, this.expr("bool", d))]));
  }

  expr(t: ValType, d: number): fc.Arbitrary<Expr> {
    return this.cached(`expr/${t}/${d}`, () => {
      const normal = this.normalExpr(t, d);
      const wild: fc.Arbitrary<Expr> = fc.record({
        k: fc.constant("wild" as const),
        t: fc.constant(t),
        w: fc.nat(15),
        e: d > 0 ? this.anyExpr(d - 1) : this.leaf(t),
      });
      return fc.oneof({ arbitrary: normal, weight: 1000 - WILD_PER_MILLE }, { arbitrary: wild, weight: WILD_PER_MILLE });
    });
  }

  private leaf(t: ValType): fc.Arbitrary<Expr> {
    return this.cached(`leaf/${t}`, () =>
      this.oneof<Expr>([
        w(3, fc.record({ k: fc.constant("lit" as const), t: fc.constant(t), v: fc.nat(15) })),
        w(6, fc.record({ k: fc.constant("ref" as const), t: fc.constant(t), i: index })),
        w(1, fc.record({ k: fc.constant("prop" as const), t: fc.constant(t), i: index })),
      ]));
  }

  private normalExpr(t: ValType, d: number): fc.Arbitrary<Expr> {
    const leaf = this.leaf(t);
    const call = fc.record({ k: fc.constant("call" as const), t: fc.constant(t), i: index, args: seeds });
    if (d === 0) return this.oneof<Expr>([w(10, leaf), w(2, call)]);
    const num = this.expr("num", d - 1);
    const sub = this.expr(t, d - 1);
    const any = this.anyExpr(d - 1);
    const logic = fc.record({
      k: fc.constant("logic" as const), op: fc.constantFrom("and" as const, "or" as const), t: fc.constant(t), l: sub, r: sub,
    });
    const dialect = this.dialect ? 1 : 0;
    const native = fc.record({ k: fc.constant("native" as const), t: fc.constant(t), n: fc.nat(15), x: num, y: any });
    const elem = fc.record({ k: fc.constant("elem" as const), t: fc.constant(t), i: index, idx: num });
    switch (t) {
      case "num":
        return this.oneof<Expr>([
          w(8, leaf),
          w(3, call),
          w(1, fc.record({ k: fc.constant("neg" as const), e: num })),
          w(6, fc.record({ k: fc.constant("arith" as const), op: fc.constantFrom("+" as const, "-" as const, "*" as const), l: num, r: num })),
          w(2, fc.record({ k: fc.constant("div" as const), op: fc.constantFrom("/" as const, "%" as const), l: num, d: fc.integer({ min: 1, max: 9 }) })),
          w(1, logic),
          w(3 * dialect, native),
          w(2 * dialect, elem),
        ]);
      case "str":
        return this.oneof<Expr>([
          w(8, leaf),
          w(3, call),
          w(6, fc.record({ k: fc.constant("concat" as const), l: sub, r: sub })),
          w(1, logic),
          w(3 * dialect, native),
          w(1 * dialect, elem),
        ]);
      case "bool":
        return this.oneof<Expr>([
          w(6, leaf),
          w(2, call),
          w(5, fc.record({ k: fc.constant("cmp" as const), op: fc.constantFrom("<" as const, "<=" as const, ">" as const, ">=" as const), l: num, r: num })),
          w(4, fc.record({ k: fc.constant("eq" as const), op: fc.constantFrom("==" as const, "!=" as const), l: any, r: any })),
          w(2, fc.record({ k: fc.constant("not" as const), e: any })),
          w(3, logic),
          w(1 * dialect, native),
        ]);
    }
  }

  private block(d: number): fc.Arbitrary<readonly Stmt[]> {
    return this.cached(`block/${d}`, () => fc.array(this.stmt(d), { maxLength: d >= STMT_DEPTH - 1 ? 5 : 3 }));
  }

  private fn(d: number): fc.Arbitrary<Fn> {
    return this.cached(`fn/${d}`, () =>
      fc.record({ params: fc.array(valType, { maxLength: 3 }), body: this.block(d), ret: this.anyExpr(2) }));
  }

  private method(d: number): fc.Arbitrary<Method> {
    return fc.record({
      params: fc.array(valType, { maxLength: 2 }),
      body: this.block(d),
      ret: this.anyExpr(2),
      override: opt(fc.nat(6), 2),
      superCall: fc.boolean(),
    });
  }

  private init(d: number): fc.Arbitrary<Init> {
    return fc.record({
      fields: fc.array(valType, { minLength: 1, maxLength: 3 }),
      fnField: opt(this.fn(0), 2),
      body: this.block(d),
    });
  }

  stmt(d: number): fc.Arbitrary<Stmt> {
    return this.cached(`stmt/${d}`, () => {
      const dialect = this.dialect ? 1 : 0;
      const e2 = this.anyExpr(2);
      const simple: Weighted<Stmt>[] = [
        w(10, fc.record({ k: fc.constant("print" as const), e: this.anyExpr(EXPR_DEPTH) })),
        w(7, fc.record({ k: fc.constant("var" as const), shadow: opt(fc.nat(8), 3), init: opt(e2, 12) })),
        w(5, fc.record({ k: fc.constant("assign" as const), i: index, e: e2 })),
        w(2, fc.record({ k: fc.constant("printObj" as const), i: index, j: opt(index, 4) })),
        w(3, fc.record({ k: fc.constant("call" as const), i: index, args: seeds })),
        w(1, fc.record({ k: fc.constant("return" as const), e: e2 })),
        w(6, fc.record({ k: fc.constant("new" as const), i: index, args: seeds })),
        w(2, fc.record({ k: fc.constant("setField" as const), i: index, e: e2 })),
        w(2, fc.record({ k: fc.constant("bind" as const), i: index, callNow: fc.boolean() })),
        w(3 * dialect, fc.record({ k: fc.constant("array" as const), form: fc.nat(7), elems: fc.array(this.anyExpr(1), { minLength: 1, maxLength: 4 }) })),
        w(1 * dialect, fc.record({ k: fc.constant("arraySet" as const), i: index, idx: this.expr("num", 1), e: this.anyExpr(1) })),
        w(1 * dialect, fc.record({ k: fc.constant("push" as const), i: index, e: this.anyExpr(1) })),
        w(1 * dialect, fc.record({ k: fc.constant("pop" as const), i: index })),
      ];
      if (d === 0) return this.oneof(simple);
      const body = this.block(d - 1);
      const count = fc.integer({ min: 1, max: 12 });
      const compound: Weighted<Stmt>[] = [
        w(5, fc.record({ k: fc.constant("if" as const), cond: this.expr("bool", 2), then: body, else: opt(body, 2) })),
        w(3, fc.record({ k: fc.constant("while" as const), n: count, cond: opt(this.expr("bool", 1), 2), body })),
        w(3, fc.record({ k: fc.constant("for" as const), n: count, down: fc.boolean(), body })),
        w(1, fc.record({ k: fc.constant("block" as const), body })),
        w(4, fc.record({ k: fc.constant("fun" as const), fn: this.fn(d - 1), callNow: opt(seeds, 3) })),
        w(2, fc.record({ k: fc.constant("rec" as const), depth: fc.integer({ min: 1, max: 10 }), fn: this.fn(d - 1), base: e2, callNow: seeds })),
        w(2, fc.record({ k: fc.constant("factory" as const), t: valType, fn: this.fn(d - 1), calls: fc.integer({ min: 1, max: 4 }) })),
        w(2, fc.record({ k: fc.constant("loopClosure" as const), n: fc.integer({ min: 1, max: 5 }), init: e2, body })),
        w(2 * dialect, fc.record({ k: fc.constant("arrayLoop" as const), i: index, body })),
      ];
      if (d >= STMT_DEPTH - 1) {
        const classBody: fc.Arbitrary<ClassBody> = fc.record({
          init: opt(this.init(d - 1), 6),
          methods: fc.array(this.method(d - 1), { maxLength: 3 }),
        });
        compound.push(w(d === STMT_DEPTH ? 7 : 1, fc.record({
          k: fc.constant("class" as const),
          sup: opt(fc.nat(6), 3),
          body: classBody,
          sub: opt(classBody, 2),
        })));
      }
      return this.oneof([...simple, ...compound]);
    });
  }
}
