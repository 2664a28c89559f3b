/**
 * The catalogue of compile-time diagnostics: every static error Sa reports,
 * with a stable code and the exact message text.
 *
 * Messages of standard Lox are the reference C implementation's, verbatim,
 * because conformance tests compare them byte for byte. Codes never change
 * meaning once published; new diagnostics take new codes. `{0}`, `{1}` are
 * placeholders filled by `formatMessage`.
 */
import { assertNever } from "../support/assert.ts";

export const DIAGNOSTICS = {
  // Scanner (L00xx).
  "unexpected-character": { code: "L0001", message: "Unexpected character." },
  "unterminated-string": { code: "L0002", message: "Unterminated string." },

  // Parser (L01xx): the reference's messages.
  "expect-expression": { code: "L0101", message: "Expect expression." },
  "expect-rparen-after-expression": { code: "L0102", message: "Expect ')' after expression." },
  "expect-rparen-after-arguments": { code: "L0103", message: "Expect ')' after arguments." },
  "too-many-arguments": { code: "L0104", message: "Can't have more than 255 arguments." },
  "expect-property-name": { code: "L0105", message: "Expect property name after '.'." },
  "expect-dot-after-super": { code: "L0106", message: "Expect '.' after 'super'." },
  "expect-superclass-method-name": { code: "L0107", message: "Expect superclass method name." },
  "invalid-assignment-target": { code: "L0108", message: "Invalid assignment target." },
  "expect-rbrace-after-block": { code: "L0109", message: "Expect '}' after block." },
  "expect-lparen-after-function-name": { code: "L0110", message: "Expect '(' after function name." },
  "too-many-parameters": { code: "L0111", message: "Can't have more than 255 parameters." },
  "expect-parameter-name": { code: "L0112", message: "Expect parameter name." },
  "expect-rparen-after-parameters": { code: "L0113", message: "Expect ')' after parameters." },
  "expect-lbrace-before-function-body": { code: "L0114", message: "Expect '{' before function body." },
  "expect-method-name": { code: "L0115", message: "Expect method name." },
  "expect-class-name": { code: "L0116", message: "Expect class name." },
  "expect-superclass-name": { code: "L0117", message: "Expect superclass name." },
  "expect-lbrace-before-class-body": { code: "L0118", message: "Expect '{' before class body." },
  "expect-rbrace-after-class-body": { code: "L0119", message: "Expect '}' after class body." },
  "expect-function-name": { code: "L0120", message: "Expect function name." },
  "expect-variable-name": { code: "L0121", message: "Expect variable name." },
  "expect-semicolon-after-var": { code: "L0122", message: "Expect ';' after variable declaration." },
  "expect-semicolon-after-expression": { code: "L0123", message: "Expect ';' after expression." },
  "expect-lparen-after-for": { code: "L0124", message: "Expect '(' after 'for'." },
  "expect-semicolon-after-loop-condition": { code: "L0125", message: "Expect ';' after loop condition." },
  "expect-rparen-after-for-clauses": { code: "L0126", message: "Expect ')' after for clauses." },
  "expect-lparen-after-if": { code: "L0127", message: "Expect '(' after 'if'." },
  "expect-rparen-after-condition": { code: "L0128", message: "Expect ')' after condition." },
  "expect-semicolon-after-value": { code: "L0129", message: "Expect ';' after value." },
  "expect-semicolon-after-return-value": { code: "L0130", message: "Expect ';' after return value." },
  "expect-lparen-after-while": { code: "L0131", message: "Expect '(' after 'while'." },

  // Parser, dialect extensions (L02xx).
  "expect-rbracket-after-elements": { code: "L0201", message: "Expect ']' after array elements." },
  "expect-rbracket-after-index": { code: "L0202", message: "Expect ']' after index." },
  "expect-annotation-name": { code: "L0203", message: "Expect annotation name after '@'." },
  "expect-annotation-argument": { code: "L0204", message: "Expect annotation argument (a name, number or string)." },
  "expect-rparen-after-annotation-arguments": { code: "L0205", message: "Expect ')' after annotation arguments." },
  "expect-declaration-after-annotation": { code: "L0206", message: "Expect 'fun' or 'class' after annotation." },

  // Resolver (L03xx): the reference's static scope rules.
  "read-local-in-own-initializer": { code: "L0301", message: "Can't read local variable in its own initializer." },
  "duplicate-local": { code: "L0302", message: "Already a variable with this name in this scope." },
  "return-at-top-level": { code: "L0303", message: "Can't return from top-level code." },
  "return-value-from-initializer": { code: "L0304", message: "Can't return a value from an initializer." },
  "this-outside-class": { code: "L0305", message: "Can't use 'this' outside of a class." },
  "super-outside-class": { code: "L0306", message: "Can't use 'super' outside of a class." },
  "super-without-superclass": { code: "L0307", message: "Can't use 'super' in a class with no superclass." },
  "class-inherits-itself": { code: "L0308", message: "A class can't inherit from itself." },

  // Annotations (L04xx): the registry and each plug-in's checks.
  "unknown-annotation": { code: "L0401", message: "Unknown annotation '@{0}'. Known annotations: {1}." },
  "annotation-wrong-target": { code: "L0402", message: "Annotation '@{0}' applies to {1}, not to {2}." },
  "annotation-duplicate": { code: "L0403", message: "Annotation '@{0}' is given more than once." },
  "annotation-argument-count": { code: "L0404", message: "Annotation '@{0}' takes {1}." },
  "annotation-argument-kind": { code: "L0405", message: "Annotation '@{0}' expects a name here, not {1}." },
  "annotation-unknown-parameter": { code: "L0406", message: "Annotation '@{0}' names '{1}', which is not a parameter of '{2}'." },
  "annotation-unknown-field": { code: "L0407", message: "Annotation '@{0}' names '{1}', which 'init' of class '{2}' never assigns to 'this.{1}'." },
  "annotation-repeated-argument": { code: "L0408", message: "Annotation '@{0}' names '{1}' twice." },
  "annotation-context-not-local": { code: "L0409", message: "Annotation '@context' names '{0}', which is neither a parameter nor a local variable of '{1}'." },
  "annotation-context-not-updated": { code: "L0410", message: "Annotation '@context' names '{0}', but no loop in '{1}' assigns to it." },
  "annotation-readonly-no-init": { code: "L0411", message: "Annotation '@readonly' on class '{0}' needs an 'init' method that sets the fields." },
  "pure-prints": { code: "L0412", message: "'@pure' function '{0}' prints." },
  "pure-assigns-nonlocal": { code: "L0413", message: "'@pure' function '{0}' assigns to '{1}', which is not one of its local variables." },
  "pure-writes-field": { code: "L0414", message: "'@pure' function '{0}' writes field '{1}'." },
  "pure-mutates-array": { code: "L0415", message: "'@pure' function '{0}' changes '{1}', an array it did not allocate itself." },
  "pure-global-read": { code: "L0416", message: "'@pure' function '{0}' reads global variable '{1}', which can change." },
  "pure-impure-call": { code: "L0417", message: "'@pure' function '{0}' calls '{1}', which is not @pure." },
  "pure-unknown-call": { code: "L0418", message: "'@pure' function '{0}' calls '{1}', which cannot be proved @pure." },
  "pure-declares-closure": { code: "L0419", message: "'@pure' function '{0}' declares '{1}' inside; a @pure function cannot make closures or classes." },
  "annotation-monomorphize-untested": { code: "L0420", message: "Annotation '@monomorphize' names '{0}', but '{1}' never tests its type (isNumber, isString, isArray, == nil, == true, == false) or computes with it, so every version would be the same code." },
  "annotation-monomorphize-specialize": { code: "L0421", message: "Annotation '@monomorphize' cannot be combined with '@specialize' on '{0}'." },
} as const satisfies Record<string, { code: string; message: string }>;

export type DiagnosticId = keyof typeof DIAGNOSTICS;

export function formatMessage(id: DiagnosticId, args: readonly string[] = []): string {
  return DIAGNOSTICS[id].message.replace(/\{(\d)\}/g, (_, i: string) => args[Number(i)] ?? "");
}

/**
 * Where a diagnostic points. `at` is how the reference prints the location:
 * a token's lexeme, the end of input, or nothing (scanner errors).
 */
export type DiagnosticSite =
  | { readonly kind: "lexeme"; readonly text: string }
  | { readonly kind: "end" }
  | { readonly kind: "none" };

export interface Diagnostic {
  readonly id: DiagnosticId;
  readonly code: string;
  readonly message: string;
  readonly line: number;
  readonly site: DiagnosticSite;
  /** Byte offsets of the offending text. */
  readonly start: number;
  readonly end: number;
  /**
   * When the reference's single-pass compiler would report this diagnostic,
   * on the parser's event clock (see `src/syntax/recovery.ts`).
   */
  readonly seq: number;
}

/** The reference's one-line form: `[line N] Error at 'x': message`. */
export function renderDiagnostic(d: Diagnostic): string {
  switch (d.site.kind) {
    case "lexeme":
      return `[line ${d.line}] Error at '${d.site.text}': ${d.message}`;
    case "end":
      return `[line ${d.line}] Error at end: ${d.message}`;
    case "none":
      return `[line ${d.line}] Error: ${d.message}`;
    default:
      return assertNever(d.site, "diagnostic site");
  }
}
