/**
 * Bagel compile errors, reported as Lox reports them:
 * `[line N] Error at 'x': message`, `[line N] Error at end: message`, or
 * `[line N] Error: message` for scanner errors. Each keeps the byte span
 * of the offending text for tools and tests.
 */
import type { Token } from "./tokens.ts";

export interface BagelDiagnostic {
  readonly line: number;
  /** Byte offsets of the offending text: [start, end). */
  readonly start: number;
  readonly end: number;
  /** `at 'x'`, `at end`, or empty for scanner errors. */
  readonly where: string;
  readonly message: string;
}

export function diagnosticAt(token: Token, message: string): BagelDiagnostic {
  const where = token.kind === "eof" ? " at end" : ` at '${token.lexeme}'`;
  return { line: token.line, start: token.start, end: token.end, where, message };
}

export function renderBagelDiagnostic(d: BagelDiagnostic): string {
  return `[line ${d.line}] Error${d.where}: ${d.message}`;
}

/** Thrown by the parser to unwind to the next statement (panic mode); never escapes the front end. */
export class ParseAbort {
  constructor(readonly diagnostic: BagelDiagnostic) {}
}
