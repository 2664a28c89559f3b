/**
 * Token kinds and the token record produced by the scanner.
 *
 * Kinds follow the reference Lox implementation, plus the dialect's
 * extension tokens (`[`, `]`, `%`, `@`). A token carries its source offsets
 * and line; its lexeme is recovered from the source text on demand so the
 * token array stays small for large inputs.
 */

export const TokenKind = {
  // Single-character punctuation.
  LeftParen: 0,
  RightParen: 1,
  LeftBrace: 2,
  RightBrace: 3,
  LeftBracket: 4,
  RightBracket: 5,
  Comma: 6,
  Dot: 7,
  Minus: 8,
  Plus: 9,
  Semicolon: 10,
  Slash: 11,
  Star: 12,
  Percent: 13,
  At: 14,
  // One or two characters.
  Bang: 15,
  BangEqual: 16,
  Equal: 17,
  EqualEqual: 18,
  Greater: 19,
  GreaterEqual: 20,
  Less: 21,
  LessEqual: 22,
  // Literals.
  Identifier: 23,
  String: 24,
  Number: 25,
  // Keywords.
  And: 26,
  Class: 27,
  Else: 28,
  False: 29,
  For: 30,
  Fun: 31,
  If: 32,
  Nil: 33,
  Or: 34,
  Print: 35,
  Return: 36,
  Super: 37,
  This: 38,
  True: 39,
  Var: 40,
  While: 41,
  // A scanner error; its message is in `Token.error`.
  Error: 42,
  Eof: 43,
} as const;

export type TokenKind = (typeof TokenKind)[keyof typeof TokenKind];

export const KEYWORDS: ReadonlyMap<string, TokenKind> = new Map<string, TokenKind>([
  ["and", TokenKind.And],
  ["class", TokenKind.Class],
  ["else", TokenKind.Else],
  ["false", TokenKind.False],
  ["for", TokenKind.For],
  ["fun", TokenKind.Fun],
  ["if", TokenKind.If],
  ["nil", TokenKind.Nil],
  ["or", TokenKind.Or],
  ["print", TokenKind.Print],
  ["return", TokenKind.Return],
  ["super", TokenKind.Super],
  ["this", TokenKind.This],
  ["true", TokenKind.True],
  ["var", TokenKind.Var],
  ["while", TokenKind.While],
]);

/** A scanned token. `start`/`end` are UTF-16 offsets into the source. */
export interface Token {
  readonly kind: TokenKind;
  readonly start: number;
  readonly end: number;
  readonly line: number;
  /** Position of this token in the scanner's output sequence. */
  readonly index: number;
  /** For `TokenKind.Error`: the diagnostic code of the scanner error. */
  readonly error?: ScanErrorCode;
}

export type ScanErrorCode = "unexpected-character" | "unterminated-string";
