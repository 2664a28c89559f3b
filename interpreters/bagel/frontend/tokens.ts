/**
 * Bagel tokens: the kinds the scanner produces and the token record. A
 * token keeps its lexeme and its byte offsets in the source (sources are
 * byte strings, one UTF-16 unit per byte, as for Lox), so diagnostics can
 * point at it.
 */

export const TokenKind = {
  leftParen: "(", rightParen: ")", leftBrace: "{", rightBrace: "}", leftBracket: "[", rightBracket: "]",
  comma: ",", minus: "-", plus: "+", semicolon: ";", slash: "/", star: "*", percent: "%",
  bang: "!", bangEqual: "!=", equal: "=", equalEqual: "==", greater: ">", greaterEqual: ">=", less: "<", lessEqual: "<=",
  identifier: "identifier", string: "string", number: "number",
  and: "and", else: "else", false: "false", for: "for", fun: "fun", if: "if", nil: "nil", or: "or",
  print: "print", return: "return", true: "true", var: "var", while: "while",
  eof: "eof",
} as const;
export type TokenKind = (typeof TokenKind)[keyof typeof TokenKind];

export const KEYWORDS: ReadonlyMap<string, TokenKind> = new Map<string, TokenKind>([
  ["and", TokenKind.and], ["else", TokenKind.else], ["false", TokenKind.false], ["for", TokenKind.for],
  ["fun", TokenKind.fun], ["if", TokenKind.if], ["nil", TokenKind.nil], ["or", TokenKind.or],
  ["print", TokenKind.print], ["return", TokenKind.return], ["true", TokenKind.true], ["var", TokenKind.var],
  ["while", TokenKind.while],
]);

export interface Token {
  readonly kind: TokenKind;
  readonly lexeme: string;
  readonly line: number;
  /** Byte offsets of the lexeme: [start, end). */
  readonly start: number;
  readonly end: number;
}
