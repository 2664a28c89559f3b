/**
 * The Bagel parser: tokens to statements, by recursive descent with Lox's
 * grammar and precedences (assignment, or, and, equality, comparison, term,
 * factor with `%`, unary, call/index, primary). `for` is sugar for a block
 * with a `while`. Functions are declared only at top level. On an error the
 * parser records it and skips to the next statement (panic mode), so one
 * run reports several errors, as Lox does.
 */
import type { Expr, Stmt } from "./ast.ts";
import { type BagelDiagnostic, diagnosticAt, ParseAbort } from "./diagnostics.ts";
import { type Token, TokenKind } from "./tokens.ts";

const MAX_ARGS = 255;

export interface ParseResult {
  readonly statements: readonly Stmt[];
  readonly diagnostics: readonly BagelDiagnostic[];
}

export function parse(tokens: readonly Token[]): ParseResult {
  return new Parser(tokens).parseProgram();
}

class Parser {
  private current = 0;
  private readonly diagnostics: BagelDiagnostic[] = [];
  /** Nesting of blocks and functions: function declarations are allowed only at 0. */
  private depth = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  parseProgram(): ParseResult {
    const statements: Stmt[] = [];
    while (!this.check(TokenKind.eof)) {
      const stmt = this.declaration();
      if (stmt !== null) statements.push(stmt);
    }
    return { statements, diagnostics: this.diagnostics };
  }

  private declaration(): Stmt | null {
    try {
      if (this.match(TokenKind.fun)) return this.functionDeclaration();
      if (this.match(TokenKind.var)) return this.varDeclaration();
      return this.statement();
    } catch (e) {
      if (!(e instanceof ParseAbort)) throw e;
      this.diagnostics.push(e.diagnostic);
      this.synchronize();
      return null;
    }
  }

  private functionDeclaration(): Stmt {
    const keyword = this.previous();
    // Reported, then parsed as usual so that the rest of the program is checked too.
    if (this.depth > 0) this.report(keyword, "Functions can only be declared at top level.");
    const name = this.consume(TokenKind.identifier, "Expect function name.");
    this.consume(TokenKind.leftParen, "Expect '(' after function name.");
    const params: Token[] = [];
    if (!this.check(TokenKind.rightParen)) {
      do {
        if (params.length >= MAX_ARGS) this.report(this.peek(), `Can't have more than ${MAX_ARGS} parameters.`);
        params.push(this.consume(TokenKind.identifier, "Expect parameter name."));
      } while (this.match(TokenKind.comma));
    }
    this.consume(TokenKind.rightParen, "Expect ')' after parameters.");
    this.consume(TokenKind.leftBrace, "Expect '{' before function body.");
    this.depth++;
    try {
      const body = this.blockBody();
      return { kind: "function", name, params, body, end: this.previous() };
    } finally {
      this.depth--;
    }
  }

  private varDeclaration(): Stmt {
    const name = this.consume(TokenKind.identifier, "Expect variable name.");
    const init = this.match(TokenKind.equal) ? this.expression() : null;
    this.consume(TokenKind.semicolon, "Expect ';' after variable declaration.");
    return { kind: "var", name, init };
  }

  private statement(): Stmt {
    if (this.match(TokenKind.print)) {
      const keyword = this.previous();
      const expr = this.expression();
      this.consume(TokenKind.semicolon, "Expect ';' after value.");
      return { kind: "print", keyword, expr };
    }
    if (this.match(TokenKind.if)) return this.ifStatement();
    if (this.match(TokenKind.while)) return this.whileStatement();
    if (this.match(TokenKind.for)) return this.forStatement();
    if (this.match(TokenKind.return)) {
      const keyword = this.previous();
      const value = this.check(TokenKind.semicolon) ? null : this.expression();
      this.consume(TokenKind.semicolon, "Expect ';' after return value.");
      return { kind: "return", keyword, value };
    }
    if (this.match(TokenKind.leftBrace)) return this.block();
    const expr = this.expression();
    const end = this.consume(TokenKind.semicolon, "Expect ';' after expression.");
    return { kind: "expression", expr, end };
  }

  private block(): Stmt {
    this.depth++;
    try {
      return { kind: "block", statements: this.blockBody() };
    } finally {
      this.depth--;
    }
  }

  /** The statements after `{` up to and including `}`. */
  private blockBody(): Stmt[] {
    const statements: Stmt[] = [];
    while (!this.check(TokenKind.rightBrace) && !this.check(TokenKind.eof)) {
      const stmt = this.declaration();
      if (stmt !== null) statements.push(stmt);
    }
    this.consume(TokenKind.rightBrace, "Expect '}' after block.");
    return statements;
  }

  private ifStatement(): Stmt {
    const keyword = this.previous();
    this.consume(TokenKind.leftParen, "Expect '(' after 'if'.");
    const condition = this.expression();
    this.consume(TokenKind.rightParen, "Expect ')' after if condition.");
    const then = this.nested();
    const otherwise = this.match(TokenKind.else) ? this.nested() : null;
    return { kind: "if", keyword, condition, then, otherwise };
  }

  private whileStatement(): Stmt {
    const keyword = this.previous();
    this.consume(TokenKind.leftParen, "Expect '(' after 'while'.");
    const condition = this.expression();
    this.consume(TokenKind.rightParen, "Expect ')' after condition.");
    return { kind: "while", keyword, condition, body: this.nested() };
  }

  private forStatement(): Stmt {
    const keyword = this.previous();
    this.consume(TokenKind.leftParen, "Expect '(' after 'for'.");
    this.depth++;
    try {
      let init: Stmt | null = null;
      if (this.match(TokenKind.var)) init = this.varDeclaration();
      else if (!this.match(TokenKind.semicolon)) {
        const expr = this.expression();
        init = { kind: "expression", expr, end: this.consume(TokenKind.semicolon, "Expect ';' after loop initializer.") };
      }
      const condition: Expr = this.check(TokenKind.semicolon) ? { kind: "literal", value: true, token: keyword } : this.expression();
      this.consume(TokenKind.semicolon, "Expect ';' after loop condition.");
      let increment: Stmt | null = null;
      if (!this.check(TokenKind.rightParen)) {
        const expr = this.expression();
        increment = { kind: "expression", expr, end: this.previous() };
      }
      this.consume(TokenKind.rightParen, "Expect ')' after for clauses.");
      const body = this.nested();
      const loop: Stmt = {
        kind: "while", keyword, condition,
        body: increment === null ? body : { kind: "block", statements: [body, increment] },
      };
      return { kind: "block", statements: init === null ? [loop] : [init, loop] };
    } finally {
      this.depth--;
    }
  }

  /** The body of an if, else or loop: a statement one level down (no function declarations). */
  private nested(): Stmt {
    this.depth++;
    try {
      if (this.check(TokenKind.var)) throw this.error(this.peek(), "Expect expression.");
      if (this.match(TokenKind.fun)) return this.functionDeclaration();
      return this.statement();
    } finally {
      this.depth--;
    }
  }

  private expression(): Expr {
    return this.assignment();
  }

  private assignment(): Expr {
    const expr = this.or();
    if (this.match(TokenKind.equal)) {
      const equals = this.previous();
      const value = this.assignment();
      if (expr.kind === "variable") return { kind: "assign", name: expr.name, value };
      if (expr.kind === "index") return { kind: "setIndex", target: expr.target, bracket: expr.bracket, index: expr.index, value };
      this.report(equals, "Invalid assignment target.");
    }
    return expr;
  }

  private or(): Expr {
    let expr = this.and();
    while (this.match(TokenKind.or)) {
      const op = this.previous();
      expr = { kind: "logical", op, left: expr, right: this.and() };
    }
    return expr;
  }

  private and(): Expr {
    let expr = this.binaryLevel(0);
    while (this.match(TokenKind.and)) {
      const op = this.previous();
      expr = { kind: "logical", op, left: expr, right: this.binaryLevel(0) };
    }
    return expr;
  }

  private static readonly LEVELS: readonly (readonly TokenKind[])[] = [
    [TokenKind.bangEqual, TokenKind.equalEqual],
    [TokenKind.greater, TokenKind.greaterEqual, TokenKind.less, TokenKind.lessEqual],
    [TokenKind.minus, TokenKind.plus],
    [TokenKind.slash, TokenKind.star, TokenKind.percent],
  ];

  /** Left-associative binary operators, from equality (level 0) to factor (level 3). */
  private binaryLevel(level: number): Expr {
    const ops = Parser.LEVELS[level];
    if (ops === undefined) return this.unary();
    let expr = this.binaryLevel(level + 1);
    while (this.match(...ops)) {
      const op = this.previous();
      expr = { kind: "binary", op, left: expr, right: this.binaryLevel(level + 1) };
    }
    return expr;
  }

  private unary(): Expr {
    if (this.match(TokenKind.bang, TokenKind.minus)) {
      const op = this.previous();
      return { kind: "unary", op, operand: this.unary() };
    }
    return this.call();
  }

  private call(): Expr {
    let expr = this.primary();
    for (;;) {
      if (this.match(TokenKind.leftParen)) {
        const paren = this.previous();
        if (expr.kind !== "variable") throw this.error(paren, "Can only call functions by name.");
        const args = this.arguments(TokenKind.rightParen, "Expect ')' after arguments.");
        expr = { kind: "call", callee: expr.name, paren, args };
      } else if (this.match(TokenKind.leftBracket)) {
        const bracket = this.previous();
        const index = this.expression();
        this.consume(TokenKind.rightBracket, "Expect ']' after index.");
        expr = { kind: "index", target: expr, bracket, index };
      } else {
        return expr;
      }
    }
  }

  private arguments(close: TokenKind, message: string): Expr[] {
    const args: Expr[] = [];
    if (!this.check(close)) {
      do {
        if (args.length >= MAX_ARGS) this.report(this.peek(), `Can't have more than ${MAX_ARGS} arguments.`);
        args.push(this.expression());
      } while (this.match(TokenKind.comma));
    }
    this.consume(close, message);
    return args;
  }

  private primary(): Expr {
    const token = this.peek();
    switch (token.kind) {
      case TokenKind.number:
        this.advance();
        return { kind: "literal", value: Number(token.lexeme), token };
      case TokenKind.string:
        this.advance();
        return { kind: "literal", value: token.lexeme.slice(1, -1), token };
      case TokenKind.true:
      case TokenKind.false:
        this.advance();
        return { kind: "literal", value: token.kind === TokenKind.true, token };
      case TokenKind.nil:
        this.advance();
        return { kind: "literal", value: null, token };
      case TokenKind.identifier:
        this.advance();
        return { kind: "variable", name: token };
      case TokenKind.leftParen: {
        this.advance();
        const expr = this.expression();
        this.consume(TokenKind.rightParen, "Expect ')' after expression.");
        return expr;
      }
      case TokenKind.leftBracket: {
        this.advance();
        return { kind: "arrayLiteral", bracket: token, elements: this.arguments(TokenKind.rightBracket, "Expect ']' after array elements.") };
      }
      default:
        throw this.error(token, "Expect expression.");
    }
  }

  private synchronize(): void {
    this.advance();
    while (!this.check(TokenKind.eof)) {
      if (this.previous().kind === TokenKind.semicolon) return;
      switch (this.peek().kind) {
        case TokenKind.fun: case TokenKind.var: case TokenKind.for: case TokenKind.if:
        case TokenKind.while: case TokenKind.print: case TokenKind.return:
          return;
        default:
          this.advance();
      }
    }
  }

  private match(...kinds: readonly TokenKind[]): boolean {
    if (!kinds.includes(this.peek().kind)) return false;
    this.advance();
    return true;
  }

  private check(kind: TokenKind): boolean {
    return this.peek().kind === kind;
  }

  private consume(kind: TokenKind, message: string): Token {
    if (this.check(kind)) return this.advance();
    throw this.error(this.peek(), message);
  }

  private advance(): Token {
    const token = this.peek();
    if (token.kind !== TokenKind.eof) this.current++;
    return token;
  }

  private peek(): Token {
    return this.tokens[this.current] as Token;
  }

  private previous(): Token {
    return this.tokens[Math.max(0, this.current - 1)] as Token;
  }

  private error(token: Token, message: string): ParseAbort {
    return new ParseAbort(diagnosticAt(token, message));
  }

  /** An error that does not need resynchronization. */
  private report(token: Token, message: string): void {
    this.diagnostics.push(diagnosticAt(token, message));
  }
}
