/**
 * Lox parser: a Pratt parser for expressions and recursive descent for
 * statements, building the AST of `ast.ts`.
 *
 * Its control flow mirrors the reference C compiler (Nystrom, "Crafting
 * Interpreters", ch. 17-29) function for function: the same `consume`
 * sequence, the same panic mode (after an error, later errors are
 * suppressed until `synchronize` at a declaration boundary) and the same
 * token skipping. That is what makes a program with several syntax errors
 * report exactly the reference's set of errors. The reference's static
 * scope errors are found by the resolver (`src/sema`), a separate pass;
 * `src/syntax/recovery.ts` merges both as the reference's single pass would
 * have reported them, using the event clock (`seq`) this parser records.
 *
 * Pratt parsing: V. Pratt, "Top down operator precedence", POPL 1973.
 */
import type {
  Anchor, Annotation, AnnotationArg, BinaryOp, Expr, FunctionKind, FunctionStmt, Param, Program, Stmt,
  VariableExpr,
} from "./ast.ts";
import { type Diagnostic, type DiagnosticId, DIAGNOSTICS, formatMessage } from "./diagnostics.ts";
import { Scanner } from "./scanner.ts";
import { type Token, TokenKind } from "./token.ts";

const Prec = {
  None: 0,
  Assignment: 1,
  Or: 2,
  And: 3,
  Equality: 4,
  Comparison: 5,
  Term: 6,
  Factor: 7,
  Unary: 8,
  Call: 9,
  Primary: 10,
} as const;
type Prec = (typeof Prec)[keyof typeof Prec];

/** Precedence of a token used as an infix operator (`Prec.None` if it is not one). */
function infixPrecedence(kind: TokenKind): Prec {
  switch (kind) {
    case TokenKind.LeftParen: case TokenKind.Dot: case TokenKind.LeftBracket:
      return Prec.Call;
    case TokenKind.Minus: case TokenKind.Plus:
      return Prec.Term;
    case TokenKind.Slash: case TokenKind.Star: case TokenKind.Percent:
      return Prec.Factor;
    case TokenKind.BangEqual: case TokenKind.EqualEqual:
      return Prec.Equality;
    case TokenKind.Greater: case TokenKind.GreaterEqual: case TokenKind.Less: case TokenKind.LessEqual:
      return Prec.Comparison;
    case TokenKind.And:
      return Prec.And;
    case TokenKind.Or:
      return Prec.Or;
    default:
      return Prec.None;
  }
}

const BINARY_OPS: ReadonlyMap<TokenKind, BinaryOp> = new Map<TokenKind, BinaryOp>([
  [TokenKind.Plus, "+"], [TokenKind.Minus, "-"], [TokenKind.Star, "*"], [TokenKind.Slash, "/"],
  [TokenKind.Percent, "%"], [TokenKind.EqualEqual, "=="], [TokenKind.BangEqual, "!="],
  [TokenKind.Less, "<"], [TokenKind.LessEqual, "<="], [TokenKind.Greater, ">"], [TokenKind.GreaterEqual, ">="],
]);

/** The parser's result: a tree (possibly partial), its syntax errors, and its event clock. */
export interface ParseResult {
  readonly program: Program;
  readonly diagnostics: readonly Diagnostic[];
  /** Every declaration end, where the reference leaves panic mode (ascending `seq`). */
  readonly syncs: readonly SyncPoint[];
}

/** The end of a declaration: where the reference calls `synchronize` if it is panicking. */
export interface SyncPoint {
  /** Event-clock time. */
  readonly seq: number;
  /** Index of the declaration's last token: identifies the point across re-parses. */
  readonly token: number;
  /** Whether this parse synchronized (skipped tokens) here. */
  readonly synchronized: boolean;
}

/**
 * Parses a program. `forcedSyncs` lists declaration ends (by last token
 * index) where the parser must synchronize as if panicking, because a later
 * pass found an error there (see `src/syntax/recovery.ts`).
 */
export function parse(source: string, forcedSyncs: ReadonlySet<number> = new Set()): ParseResult {
  return new Parser(source, forcedSyncs).parseProgram();
}

/** Parses `n` digits as a Lox number literal (the reference uses strtod). */
function numberValue(text: string): number {
  return Number(text);
}

class Parser {
  private readonly scanner: Scanner;
  private current!: Token;
  private previous!: Token;
  private panicMode = false;
  private seq = 0;
  private nextId = 0;
  private readonly diagnostics: Diagnostic[] = [];
  private readonly syncs: SyncPoint[] = [];

  constructor(private readonly source: string, private readonly forcedSyncs: ReadonlySet<number>) {
    this.scanner = new Scanner(source);
  }

  parseProgram(): ParseResult {
    this.advance();
    const body: Stmt[] = [];
    while (!this.match(TokenKind.Eof)) body.push(this.declaration());
    return {
      program: { body, nodeCount: this.nextId, source: this.source },
      diagnostics: this.diagnostics,
      syncs: this.syncs,
    };
  }

  // ---- token plumbing (the reference's advance/consume/check/match) ----

  private advance(): void {
    this.previous = this.current;
    for (;;) {
      this.current = this.scanner.scanToken();
      if (this.current.kind !== TokenKind.Error) break;
      this.errorAt(this.current, this.current.error ?? "unexpected-character");
    }
    ++this.seq;
  }

  private consume(kind: TokenKind, id: DiagnosticId): void {
    if (this.current.kind === kind) {
      this.advance();
      return;
    }
    this.errorAt(this.current, id);
  }

  private check(kind: TokenKind): boolean {
    return this.current.kind === kind;
  }

  private match(kind: TokenKind): boolean {
    if (!this.check(kind)) return false;
    this.advance();
    return true;
  }

  /**
   * The previous token as a diagnostic anchor, stamped with the current
   * clock: a later pass's error here counts as found now, after any error
   * that consuming this token just reported (the reference finds scope
   * errors right after the consume that precedes them, even a failed one).
   */
  private anchor(): Anchor {
    const t = this.previous;
    return { start: t.start, end: t.end, line: t.line, seq: this.seq };
  }

  private lexeme(t: Token): string {
    return this.source.slice(t.start, t.end);
  }

  private errorAt(token: Token, id: DiagnosticId): void {
    if (this.panicMode) return;
    this.panicMode = true;
    const site = token.kind === TokenKind.Eof ? { kind: "end" as const }
      : token.kind === TokenKind.Error ? { kind: "none" as const }
      : { kind: "lexeme" as const, text: this.lexeme(token) };
    this.diagnostics.push({
      id, code: DIAGNOSTICS[id].code, message: formatMessage(id), line: token.line, site,
      start: token.start, end: token.end, seq: ++this.seq,
    });
  }

  private error(id: DiagnosticId): void {
    this.errorAt(this.previous, id);
  }

  private synchronize(): void {
    this.panicMode = false;
    while (this.current.kind !== TokenKind.Eof) {
      if (this.previous.kind === TokenKind.Semicolon) return;
      switch (this.current.kind) {
        case TokenKind.Class: case TokenKind.Fun: case TokenKind.Var: case TokenKind.For:
        case TokenKind.If: case TokenKind.While: case TokenKind.Print: case TokenKind.Return:
        case TokenKind.At: // dialect: an annotation starts a declaration
          return;
        default:
          this.advance();
      }
    }
  }

  /** Fields every node carries; the node ends at the previous token. */
  private base(start: number): { id: number; start: number; end: number; line: number } {
    return { id: this.nextId++, start, end: this.previous.end, line: this.previous.line };
  }

  // ---- declarations and statements ----

  private declaration(): Stmt {
    let stmt: Stmt;
    if (this.check(TokenKind.At)) stmt = this.annotatedDeclaration();
    else if (this.match(TokenKind.Class)) stmt = this.classDeclaration([]);
    else if (this.match(TokenKind.Fun)) stmt = this.funDeclaration([]);
    else if (this.match(TokenKind.Var)) stmt = this.varDeclaration();
    else stmt = this.statement();
    const synchronized = this.panicMode || this.forcedSyncs.has(this.previous.index);
    this.syncs.push({ seq: ++this.seq, token: this.previous.index, synchronized });
    if (synchronized) this.synchronize();
    return stmt;
  }

  private annotatedDeclaration(): Stmt {
    const annotations = this.annotations();
    if (this.match(TokenKind.Class)) return this.classDeclaration(annotations);
    if (this.match(TokenKind.Fun)) return this.funDeclaration(annotations);
    this.errorAt(this.current, "expect-declaration-after-annotation");
    return this.statement();
  }

  /**
   * Annotations before a declaration. One with a syntax error is dropped, so
   * that its checks cannot report anything before the syntax error itself.
   */
  private annotations(): Annotation[] {
    const result: Annotation[] = [];
    while (this.match(TokenKind.At)) {
      if (!this.check(TokenKind.Identifier)) {
        this.errorAt(this.current, "expect-annotation-name");
        continue;
      }
      this.advance();
      const wasPanicking = this.panicMode;
      const anchor = this.anchor();
      const name = this.lexeme(this.previous);
      const args: AnnotationArg[] = [];
      if (this.match(TokenKind.LeftParen)) {
        if (!this.check(TokenKind.RightParen)) {
          do {
            const arg = this.annotationArg();
            if (arg === null) break;
            args.push(arg);
          } while (this.match(TokenKind.Comma));
        }
        this.consume(TokenKind.RightParen, "expect-rparen-after-annotation-arguments");
      }
      if (wasPanicking || !this.panicMode) result.push({ name, anchor, args });
    }
    return result;
  }

  private annotationArg(): AnnotationArg | null {
    if (this.match(TokenKind.Identifier)) {
      return { kind: "name", name: this.lexeme(this.previous), anchor: this.anchor() };
    }
    if (this.match(TokenKind.Number)) {
      return { kind: "number", value: numberValue(this.lexeme(this.previous)), anchor: this.anchor() };
    }
    if (this.match(TokenKind.String)) {
      const t = this.previous;
      return { kind: "string", value: this.source.slice(t.start + 1, t.end - 1), anchor: this.anchor() };
    }
    this.errorAt(this.current, "expect-annotation-argument");
    return null;
  }

  private classDeclaration(annotations: Annotation[]): Stmt {
    const start = this.previous.start;
    this.consume(TokenKind.Identifier, "expect-class-name");
    const name = this.lexeme(this.previous);
    const anchor = this.anchor();
    let superclass: VariableExpr | null = null;
    if (this.match(TokenKind.Less)) {
      this.consume(TokenKind.Identifier, "expect-superclass-name");
      superclass = {
        kind: "variable", ...this.base(this.previous.start), name: this.lexeme(this.previous), anchor: this.anchor(),
      };
    }
    this.consume(TokenKind.LeftBrace, "expect-lbrace-before-class-body");
    const methods: FunctionStmt[] = [];
    while (!this.check(TokenKind.RightBrace) && !this.check(TokenKind.Eof)) methods.push(this.method());
    this.consume(TokenKind.RightBrace, "expect-rbrace-after-class-body");
    return { kind: "class", ...this.base(start), name, anchor, superclass, methods, annotations };
  }

  private method(): FunctionStmt {
    const annotations = this.check(TokenKind.At) ? this.annotations() : [];
    const start = this.current.start;
    this.consume(TokenKind.Identifier, "expect-method-name");
    const name = this.lexeme(this.previous);
    const anchor = this.anchor();
    return this.function(name === "init" ? "initializer" : "method", name, anchor, start, annotations);
  }

  private funDeclaration(annotations: Annotation[]): Stmt {
    const start = this.previous.start;
    this.consume(TokenKind.Identifier, "expect-function-name");
    const name = this.lexeme(this.previous);
    return this.function("function", name, this.anchor(), start, annotations);
  }

  private function(
    functionKind: FunctionKind, name: string, anchor: Anchor, start: number, annotations: Annotation[],
  ): FunctionStmt {
    this.consume(TokenKind.LeftParen, "expect-lparen-after-function-name");
    const params: Param[] = [];
    if (!this.check(TokenKind.RightParen)) {
      do {
        if (params.length + 1 > 255) this.errorAt(this.current, "too-many-parameters");
        this.consume(TokenKind.Identifier, "expect-parameter-name");
        params.push({ name: this.lexeme(this.previous), anchor: this.anchor() });
      } while (this.match(TokenKind.Comma));
    }
    this.consume(TokenKind.RightParen, "expect-rparen-after-parameters");
    this.consume(TokenKind.LeftBrace, "expect-lbrace-before-function-body");
    const body = this.block();
    return { kind: "function", ...this.base(start), functionKind, name, anchor, params, body, annotations };
  }

  private varDeclaration(): Stmt {
    const start = this.previous.start;
    this.consume(TokenKind.Identifier, "expect-variable-name");
    const name = this.lexeme(this.previous);
    const anchor = this.anchor();
    const initializer = this.match(TokenKind.Equal) ? this.expression() : null;
    this.consume(TokenKind.Semicolon, "expect-semicolon-after-var");
    return { kind: "var", ...this.base(start), name, anchor, initializer };
  }

  private statement(): Stmt {
    if (this.match(TokenKind.Print)) return this.printStatement();
    if (this.match(TokenKind.For)) return this.forStatement();
    if (this.match(TokenKind.If)) return this.ifStatement();
    if (this.match(TokenKind.Return)) return this.returnStatement();
    if (this.match(TokenKind.While)) return this.whileStatement();
    if (this.match(TokenKind.LeftBrace)) {
      const start = this.previous.start;
      const body = this.block();
      return { kind: "block", ...this.base(start), body };
    }
    return this.expressionStatement();
  }

  /** Declarations up to and including the closing brace (the opening one is consumed). */
  private block(): Stmt[] {
    const body: Stmt[] = [];
    while (!this.check(TokenKind.RightBrace) && !this.check(TokenKind.Eof)) body.push(this.declaration());
    this.consume(TokenKind.RightBrace, "expect-rbrace-after-block");
    return body;
  }

  private printStatement(): Stmt {
    const start = this.previous.start;
    const keyword = this.anchor();
    const expr = this.expression();
    this.consume(TokenKind.Semicolon, "expect-semicolon-after-value");
    return { kind: "print", ...this.base(start), keyword, expr };
  }

  private expressionStatement(): Stmt {
    const start = this.current.start;
    const expr = this.expression();
    this.consume(TokenKind.Semicolon, "expect-semicolon-after-expression");
    return { kind: "expression", ...this.base(start), expr };
  }

  private returnStatement(): Stmt {
    const start = this.previous.start;
    const keyword = this.anchor();
    let value: Expr | null = null;
    if (!this.match(TokenKind.Semicolon)) {
      value = this.expression();
      this.consume(TokenKind.Semicolon, "expect-semicolon-after-return-value");
    }
    return { kind: "return", ...this.base(start), keyword, value };
  }

  private ifStatement(): Stmt {
    const start = this.previous.start;
    this.consume(TokenKind.LeftParen, "expect-lparen-after-if");
    const condition = this.expression();
    this.consume(TokenKind.RightParen, "expect-rparen-after-condition");
    const thenBranch = this.statement();
    const elseBranch = this.match(TokenKind.Else) ? this.statement() : null;
    return { kind: "if", ...this.base(start), condition, thenBranch, elseBranch };
  }

  private whileStatement(): Stmt {
    const start = this.previous.start;
    this.consume(TokenKind.LeftParen, "expect-lparen-after-while");
    const condition = this.expression();
    this.consume(TokenKind.RightParen, "expect-rparen-after-condition");
    const body = this.statement();
    return { kind: "while", ...this.base(start), condition, body };
  }

  private forStatement(): Stmt {
    const start = this.previous.start;
    this.consume(TokenKind.LeftParen, "expect-lparen-after-for");
    let initializer: Stmt | null = null;
    if (this.match(TokenKind.Semicolon)) {
      // No initializer.
    } else if (this.match(TokenKind.Var)) {
      initializer = this.varDeclaration();
    } else {
      initializer = this.expressionStatement();
    }
    let condition: Expr | null = null;
    if (!this.match(TokenKind.Semicolon)) {
      condition = this.expression();
      this.consume(TokenKind.Semicolon, "expect-semicolon-after-loop-condition");
    }
    let increment: Expr | null = null;
    if (!this.match(TokenKind.RightParen)) {
      increment = this.expression();
      this.consume(TokenKind.RightParen, "expect-rparen-after-for-clauses");
    }
    const body = this.statement();
    return { kind: "for", ...this.base(start), initializer, condition, increment, body };
  }

  // ---- expressions (Pratt) ----

  private expression(): Expr {
    return this.parsePrecedence(Prec.Assignment);
  }

  private parsePrecedence(precedence: Prec): Expr {
    this.advance();
    const canAssign = precedence <= Prec.Assignment;
    let expr = this.prefix(canAssign);
    if (expr === null) {
      this.error("expect-expression");
      return { kind: "error", ...this.base(this.previous.start) };
    }
    while (precedence <= infixPrecedence(this.current.kind)) {
      this.advance();
      expr = this.infix(expr, canAssign);
    }
    if (canAssign && this.match(TokenKind.Equal)) this.error("invalid-assignment-target");
    return expr;
  }

  /** The prefix rule for the token just consumed, or null if it has none. */
  private prefix(canAssign: boolean): Expr | null {
    const token = this.previous;
    const start = token.start;
    switch (token.kind) {
      case TokenKind.LeftParen: {
        const inner = this.expression();
        this.consume(TokenKind.RightParen, "expect-rparen-after-expression");
        return inner;
      }
      case TokenKind.Minus:
      case TokenKind.Bang: {
        const operand = this.parsePrecedence(Prec.Unary);
        return { kind: "unary", ...this.base(start), op: token.kind === TokenKind.Minus ? "-" : "!", operand };
      }
      case TokenKind.Number:
        return { kind: "literal", ...this.base(start), value: numberValue(this.lexeme(token)) };
      case TokenKind.String:
        return { kind: "literal", ...this.base(start), value: this.source.slice(token.start + 1, token.end - 1) };
      case TokenKind.True:
        return { kind: "literal", ...this.base(start), value: true };
      case TokenKind.False:
        return { kind: "literal", ...this.base(start), value: false };
      case TokenKind.Nil:
        return { kind: "literal", ...this.base(start), value: null };
      case TokenKind.Identifier:
        return this.variable(canAssign);
      case TokenKind.This:
        return { kind: "this", ...this.base(start), anchor: this.anchor() };
      case TokenKind.Super:
        return this.superExpr();
      case TokenKind.LeftBracket:
        return this.arrayLiteral();
      default:
        return null;
    }
  }

  private infix(left: Expr, canAssign: boolean): Expr {
    const token = this.previous;
    switch (token.kind) {
      case TokenKind.LeftParen: {
        const paren = this.anchor();
        const args = this.argumentList();
        return { kind: "call", ...this.base(left.start), paren, callee: left, args };
      }
      case TokenKind.Dot:
        return this.dot(left, canAssign);
      case TokenKind.LeftBracket:
        return this.index(left, canAssign);
      case TokenKind.And:
      case TokenKind.Or: {
        const right = this.parsePrecedence(token.kind === TokenKind.And ? Prec.And : Prec.Or);
        return { kind: "logical", ...this.base(left.start), op: token.kind === TokenKind.And ? "and" : "or", left, right };
      }
      default: {
        const op = BINARY_OPS.get(token.kind);
        if (op === undefined) throw new Error(`internal error: no infix rule for token kind ${token.kind}`);
        const right = this.parsePrecedence((infixPrecedence(token.kind) + 1) as Prec);
        return { kind: "binary", ...this.base(left.start), op, left, right };
      }
    }
  }

  private variable(canAssign: boolean): Expr {
    const start = this.previous.start;
    const name = this.lexeme(this.previous);
    const anchor = this.anchor();
    if (canAssign && this.match(TokenKind.Equal)) {
      const value = this.expression();
      return { kind: "assign", ...this.base(start), name, anchor, value };
    }
    return { kind: "variable", ...this.base(start), name, anchor };
  }

  private argumentList(): Expr[] {
    const args: Expr[] = [];
    if (!this.check(TokenKind.RightParen)) {
      do {
        args.push(this.expression());
        if (args.length === 256) this.error("too-many-arguments");
      } while (this.match(TokenKind.Comma));
    }
    this.consume(TokenKind.RightParen, "expect-rparen-after-arguments");
    return args;
  }

  private dot(object: Expr, canAssign: boolean): Expr {
    this.consume(TokenKind.Identifier, "expect-property-name");
    const name = this.lexeme(this.previous);
    const nameAnchor = this.anchor();
    if (canAssign && this.match(TokenKind.Equal)) {
      const value = this.expression();
      return { kind: "set", ...this.base(object.start), object, name, nameAnchor, value };
    }
    if (this.match(TokenKind.LeftParen)) {
      const args = this.argumentList();
      return { kind: "invoke", ...this.base(object.start), object, name, nameAnchor, args };
    }
    return { kind: "get", ...this.base(object.start), object, name };
  }

  private index(object: Expr, canAssign: boolean): Expr {
    const bracket = this.anchor();
    const index = this.expression();
    this.consume(TokenKind.RightBracket, "expect-rbracket-after-index");
    if (canAssign && this.match(TokenKind.Equal)) {
      const value = this.expression();
      return { kind: "indexSet", ...this.base(object.start), bracket, object, index, value };
    }
    return { kind: "indexGet", ...this.base(object.start), object, index };
  }

  private superExpr(): Expr {
    const start = this.previous.start;
    const anchor = this.anchor();
    this.consume(TokenKind.Dot, "expect-dot-after-super");
    this.consume(TokenKind.Identifier, "expect-superclass-method-name");
    const name = this.lexeme(this.previous);
    if (this.match(TokenKind.LeftParen)) {
      const args = this.argumentList();
      return { kind: "superInvoke", ...this.base(start), anchor, name, args };
    }
    return { kind: "superGet", ...this.base(start), anchor, name };
  }

  private arrayLiteral(): Expr {
    const start = this.previous.start;
    const elements: Expr[] = [];
    if (!this.check(TokenKind.RightBracket)) {
      do elements.push(this.expression());
      while (this.match(TokenKind.Comma));
    }
    this.consume(TokenKind.RightBracket, "expect-rbracket-after-elements");
    return { kind: "array", ...this.base(start), elements };
  }
}
