/**
 * The Bagel scanner: source (a byte string) to tokens. Like Lox's:
 * `//` comments, strings in double quotes without escapes (they may span
 * lines), numbers `digits[.digits]`, identifiers `[A-Za-z_][A-Za-z0-9_]*`.
 * Errors (unexpected character, unterminated string) are collected and
 * scanning goes on; the token list always ends with `eof`.
 */
import type { BagelDiagnostic } from "./diagnostics.ts";
import { KEYWORDS, type Token, TokenKind } from "./tokens.ts";

const SINGLE: ReadonlyMap<string, TokenKind> = new Map<string, TokenKind>([
  ["(", TokenKind.leftParen], [")", TokenKind.rightParen], ["{", TokenKind.leftBrace], ["}", TokenKind.rightBrace],
  ["[", TokenKind.leftBracket], ["]", TokenKind.rightBracket], [",", TokenKind.comma], ["-", TokenKind.minus],
  ["+", TokenKind.plus], [";", TokenKind.semicolon], ["*", TokenKind.star], ["%", TokenKind.percent],
]);

const PAIRED: ReadonlyMap<string, readonly [TokenKind, TokenKind]> = new Map<string, readonly [TokenKind, TokenKind]>([
  ["!", [TokenKind.bang, TokenKind.bangEqual]], ["=", [TokenKind.equal, TokenKind.equalEqual]],
  ["<", [TokenKind.less, TokenKind.lessEqual]], [">", [TokenKind.greater, TokenKind.greaterEqual]],
]);

function isDigit(c: string): boolean {
  return c >= "0" && c <= "9";
}

function isAlpha(c: string): boolean {
  return (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c === "_";
}

export interface ScanResult {
  readonly tokens: readonly Token[];
  readonly diagnostics: readonly BagelDiagnostic[];
}

export function scan(source: string): ScanResult {
  const tokens: Token[] = [];
  const diagnostics: BagelDiagnostic[] = [];
  let line = 1;
  let i = 0;
  const add = (kind: TokenKind, start: number, startLine: number): void => {
    tokens.push({ kind, lexeme: source.slice(start, i), line: startLine, start, end: i });
  };
  while (i < source.length) {
    const start = i;
    const c = source[i++] as string;
    const single = SINGLE.get(c);
    if (single !== undefined) {
      add(single, start, line);
      continue;
    }
    const paired = PAIRED.get(c);
    if (paired !== undefined) {
      const withEqual = source[i] === "=";
      if (withEqual) i++;
      add(withEqual ? paired[1] : paired[0], start, line);
      continue;
    }
    if (c === "/") {
      if (source[i] === "/") {
        while (i < source.length && source[i] !== "\n") i++;
      } else {
        add(TokenKind.slash, start, line);
      }
      continue;
    }
    if (c === " " || c === "\r" || c === "\t") continue;
    if (c === "\n") {
      line++;
      continue;
    }
    if (c === '"') {
      const startLine = line;
      while (i < source.length && source[i] !== '"') {
        if (source[i] === "\n") line++;
        i++;
      }
      if (i >= source.length) {
        diagnostics.push({ line, start, end: i, where: "", message: "Unterminated string." });
        continue;
      }
      i++;
      add(TokenKind.string, start, startLine);
      continue;
    }
    if (isDigit(c)) {
      while (isDigit(source[i] ?? "")) i++;
      if (source[i] === "." && isDigit(source[i + 1] ?? "")) {
        i++;
        while (isDigit(source[i] ?? "")) i++;
      }
      add(TokenKind.number, start, line);
      continue;
    }
    if (isAlpha(c)) {
      while (isAlpha(source[i] ?? "") || isDigit(source[i] ?? "")) i++;
      add(KEYWORDS.get(source.slice(start, i)) ?? TokenKind.identifier, start, line);
      continue;
    }
    diagnostics.push({ line, start, end: i, where: "", message: "Unexpected character." });
  }
  tokens.push({ kind: TokenKind.eof, lexeme: "", line, start: source.length, end: source.length });
  return { tokens, diagnostics };
}
