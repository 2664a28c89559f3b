/**
 * A fast-check generator of random, well-scoped, always-terminating Lox
 * programs, for differential testing of Sa's engines (and, offline, of Sa
 * against the reference C implementation; see scripts/differential.ts).
 *
 * fast-check generates an abstract, scope-free program (model.ts, built
 * by arbitraries.ts) and a deterministic renderer (render-*.ts) turns it
 * into text, resolving every reference against what is in scope, so shrunk
 * counterexamples stay well-scoped. Programs:
 * - compile (under Sa and clox): no undeclared locals, no local read in its
 *   own initializer, no duplicate locals, `return`/`this`/`super` only
 *   where allowed, fewer than 256 constants per function, calls nested
 *   fewer than 40 deep;
 * - terminate fast: loops count to small constants, recursion descends
 *   from a small literal, and a static work bound keeps every run under
 *   ~30,000 statements;
 * - print deterministic text: no `clock()`, no NaN (numbers stay finite);
 * - fail at run time now and then (10-15% of programs), always
 *   through an ordinary mixed-type expression (`x + nil`, a wrong arity,
 *   a missing property, an index out of bounds, ...).
 *
 * `dialect: false` restricts programs to standard Lox; `dialect: true`
 * (the default) adds arrays, `%` and the dialect's natives (docs/lox.md).
 */
import type fc from "fast-check";
import { ProgramGen } from "./arbitraries.ts";
import { renderProgram } from "./render-stmt.ts";

export interface LoxProgramOptions {
  /** Use Sa's dialect extensions (arrays, `%`, natives); default true. */
  readonly dialect?: boolean;
  /** Most top-level statements (each may nest more); default 24. */
  readonly maxStatements?: number;
}

export function loxProgram(options: LoxProgramOptions = {}): fc.Arbitrary<string> {
  const dialect = options.dialect ?? true;
  return new ProgramGen(dialect).program(options.maxStatements ?? 24).map((p) => renderProgram(p, dialect));
}
