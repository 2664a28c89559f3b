/**
 * The Bagel front end: source (a byte string) to a bytecode program, or
 * the compile errors in Lox's format. Scanner and parser errors are all
 * reported; name errors only when the syntax is valid. Input nested too
 * deeply for the host stack is a compile error, never a crash.
 */
import type { BytecodeProgram } from "./bytecode.ts";
import { compileStatements } from "./compiler.ts";
import type { BagelDiagnostic } from "./diagnostics.ts";
import { parse } from "./parser.ts";
import { scan } from "./scanner.ts";

export type { BytecodeFunction, BytecodeProgram, Constant } from "./bytecode.ts";
export { MAIN_FUNCTION } from "./bytecode.ts";
export { type BagelDiagnostic, renderBagelDiagnostic } from "./diagnostics.ts";
export { Op, OP_NAMES, operandCount } from "./opcodes.ts";
export { disassemble } from "./disassembler.ts";
export { loxProgramText } from "./loader.ts";

export type FrontEndResult =
  | { readonly ok: true; readonly program: BytecodeProgram }
  | { readonly ok: false; readonly diagnostics: readonly BagelDiagnostic[] };

export function compileBagel(source: string): FrontEndResult {
  try {
    const scanned = scan(source);
    const parsed = parse(scanned.tokens);
    const syntax = [...scanned.diagnostics, ...parsed.diagnostics].sort((a, b) => a.start - b.start);
    if (syntax.length > 0) return { ok: false, diagnostics: syntax };
    const endLine = scanned.tokens[scanned.tokens.length - 1]?.line ?? 1;
    const compiled = compileStatements(parsed.statements, endLine);
    if (compiled.diagnostics.length > 0) return { ok: false, diagnostics: compiled.diagnostics };
    return { ok: true, program: compiled.program };
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    const line = source.split("\n").length;
    return { ok: false, diagnostics: [{ line, start: 0, end: 0, where: "", message: "Program is nested too deeply." }] };
  }
}
