/**
 * Public API of the syntax stage: scanner, parser, AST, diagnostics.
 */
export type * from "./ast.ts";
export { type Diagnostic, type DiagnosticId, DIAGNOSTICS, formatMessage, renderDiagnostic } from "./diagnostics.ts";
export { parse, type ParseResult, type SyncPoint } from "./parser.ts";
export { replayPanic } from "./recovery.ts";
export { Scanner } from "./scanner.ts";
export { type Token, TokenKind } from "./token.ts";
export { forEachChild, walkFunctionBody, type Node } from "./walk.ts";
