/**
 * On-demand Lox scanner, after the reference C implementation (Nystrom,
 * "Crafting Interpreters", ch. 16).
 *
 * Source text is a byte string: every UTF-16 unit holds one byte of the file
 * (the file is decoded as latin1), so offsets, string lengths and the
 * "Unexpected character." reports match the reference byte for byte. Tokens
 * are produced one at a time so a 10 MB program never materializes a token
 * array. A token's line is the line where the token ends, as in the
 * reference (it matters for multi-line strings).
 */
import { KEYWORDS, type Token, TokenKind } from "./token.ts";

const CH_0 = 48;
const CH_9 = 57;
const CH_NEWLINE = 10;
const CH_QUOTE = 34;

function isDigit(c: number): boolean {
  return c >= CH_0 && c <= CH_9;
}

function isAlpha(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}

export class Scanner {
  private start = 0;
  private current = 0;
  private line = 1;
  private count = 0;

  constructor(readonly source: string) {}

  /** Scans and returns the next token; returns Eof forever at the end. */
  scanToken(): Token {
    this.skipWhitespace();
    this.start = this.current;
    if (this.current >= this.source.length) return this.make(TokenKind.Eof);
    const c = this.source.charCodeAt(this.current++);
    if (isAlpha(c)) return this.identifier();
    if (isDigit(c)) return this.number();
    switch (c) {
      case 40: return this.make(TokenKind.LeftParen);
      case 41: return this.make(TokenKind.RightParen);
      case 123: return this.make(TokenKind.LeftBrace);
      case 125: return this.make(TokenKind.RightBrace);
      case 91: return this.make(TokenKind.LeftBracket);
      case 93: return this.make(TokenKind.RightBracket);
      case 59: return this.make(TokenKind.Semicolon);
      case 44: return this.make(TokenKind.Comma);
      case 46: return this.make(TokenKind.Dot);
      case 45: return this.make(TokenKind.Minus);
      case 43: return this.make(TokenKind.Plus);
      case 47: return this.make(TokenKind.Slash);
      case 42: return this.make(TokenKind.Star);
      case 37: return this.make(TokenKind.Percent);
      case 64: return this.make(TokenKind.At);
      case 33: return this.make(this.match(61) ? TokenKind.BangEqual : TokenKind.Bang);
      case 61: return this.make(this.match(61) ? TokenKind.EqualEqual : TokenKind.Equal);
      case 60: return this.make(this.match(61) ? TokenKind.LessEqual : TokenKind.Less);
      case 62: return this.make(this.match(61) ? TokenKind.GreaterEqual : TokenKind.Greater);
      case CH_QUOTE: return this.string();
      default: return this.errorToken("unexpected-character");
    }
  }

  /** The text of a token (for string tokens, including the quotes). */
  lexeme(token: Token): string {
    return this.source.slice(token.start, token.end);
  }

  private skipWhitespace(): void {
    const src = this.source;
    for (;;) {
      const c = src.charCodeAt(this.current);
      switch (c) {
        case 32: case 13: case 9:
          this.current++;
          break;
        case CH_NEWLINE:
          this.line++;
          this.current++;
          break;
        case 47:
          if (src.charCodeAt(this.current + 1) !== 47) return;
          while (this.current < src.length && src.charCodeAt(this.current) !== CH_NEWLINE) this.current++;
          break;
        default:
          return;
      }
    }
  }

  private match(expected: number): boolean {
    if (this.current >= this.source.length || this.source.charCodeAt(this.current) !== expected) return false;
    this.current++;
    return true;
  }

  private identifier(): Token {
    const src = this.source;
    for (;;) {
      const c = src.charCodeAt(this.current);
      if (!isAlpha(c) && !isDigit(c)) break;
      this.current++;
    }
    const keyword = KEYWORDS.get(src.slice(this.start, this.current));
    return this.make(keyword ?? TokenKind.Identifier);
  }

  private number(): Token {
    const src = this.source;
    while (isDigit(src.charCodeAt(this.current))) this.current++;
    if (src.charCodeAt(this.current) === 46 && isDigit(src.charCodeAt(this.current + 1))) {
      this.current++;
      while (isDigit(src.charCodeAt(this.current))) this.current++;
    }
    return this.make(TokenKind.Number);
  }

  private string(): Token {
    const src = this.source;
    for (;;) {
      if (this.current >= src.length) return this.errorToken("unterminated-string");
      const c = src.charCodeAt(this.current);
      if (c === CH_QUOTE) break;
      if (c === CH_NEWLINE) this.line++;
      this.current++;
    }
    this.current++;
    return this.make(TokenKind.String);
  }

  private make(kind: TokenKind): Token {
    return { kind, start: this.start, end: this.current, line: this.line, index: this.count++ };
  }

  private errorToken(error: "unexpected-character" | "unterminated-string"): Token {
    return { kind: TokenKind.Error, start: this.start, end: this.current, line: this.line, index: this.count++, error };
  }
}
