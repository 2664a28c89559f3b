/**
 * The Lox abstract syntax tree: discriminated unions on `kind`.
 *
 * Every node has a dense `id` (0..nodeCount-1, for side tables such as the
 * resolver's bindings), byte offsets `start`/`end` into the source, and
 * `line`: the line the reference implementation attributes to the node's
 * operation, which is the line of the node's last token (the reference emits
 * an instruction after parsing its operands). Runtime errors report `line`.
 *
 * Names that a diagnostic can point at carry an `Anchor`: the token as
 * consumed, with its position on the parser's event clock.
 */

export interface Anchor {
  readonly start: number;
  readonly end: number;
  readonly line: number;
  /** The parser's event clock when this token was consumed. */
  readonly seq: number;
}

interface NodeBase {
  readonly id: number;
  readonly start: number;
  readonly end: number;
  readonly line: number;
}

export type BinaryOp = "+" | "-" | "*" | "/" | "%" | "==" | "!=" | "<" | "<=" | ">" | ">=";
export type UnaryOp = "-" | "!";
export type LogicalOp = "and" | "or";

export type Expr =
  | LiteralExpr
  | VariableExpr
  | AssignExpr
  | UnaryExpr
  | BinaryExpr
  | LogicalExpr
  | CallExpr
  | GetExpr
  | SetExpr
  | InvokeExpr
  | ThisExpr
  | SuperGetExpr
  | SuperInvokeExpr
  | ArrayExpr
  | IndexGetExpr
  | IndexSetExpr
  | ErrorExpr;

export interface LiteralExpr extends NodeBase {
  readonly kind: "literal";
  readonly value: number | string | boolean | null;
}
export interface VariableExpr extends NodeBase {
  readonly kind: "variable";
  readonly name: string;
  readonly anchor: Anchor;
}
export interface AssignExpr extends NodeBase {
  readonly kind: "assign";
  readonly name: string;
  readonly anchor: Anchor;
  readonly value: Expr;
}
export interface UnaryExpr extends NodeBase {
  readonly kind: "unary";
  readonly op: UnaryOp;
  readonly operand: Expr;
}
export interface BinaryExpr extends NodeBase {
  readonly kind: "binary";
  readonly op: BinaryOp;
  readonly left: Expr;
  readonly right: Expr;
}
export interface LogicalExpr extends NodeBase {
  readonly kind: "logical";
  readonly op: LogicalOp;
  readonly left: Expr;
  readonly right: Expr;
}
export interface CallExpr extends NodeBase {
  readonly kind: "call";
  /** The `(` token. */
  readonly paren: Anchor;
  readonly callee: Expr;
  readonly args: readonly Expr[];
}
/** `object.name` */
export interface GetExpr extends NodeBase {
  readonly kind: "get";
  readonly object: Expr;
  readonly name: string;
}
/** `object.name = value` */
export interface SetExpr extends NodeBase {
  readonly kind: "set";
  readonly object: Expr;
  readonly name: string;
  readonly nameAnchor: Anchor;
  readonly value: Expr;
}
/** `object.name(args)`: a method call, one operation as in the reference. */
export interface InvokeExpr extends NodeBase {
  readonly kind: "invoke";
  readonly object: Expr;
  readonly name: string;
  readonly nameAnchor: Anchor;
  readonly args: readonly Expr[];
}
export interface ThisExpr extends NodeBase {
  readonly kind: "this";
  readonly anchor: Anchor;
}
/** `super.name` */
export interface SuperGetExpr extends NodeBase {
  readonly kind: "superGet";
  readonly anchor: Anchor;
  readonly name: string;
}
/** `super.name(args)` */
export interface SuperInvokeExpr extends NodeBase {
  readonly kind: "superInvoke";
  readonly anchor: Anchor;
  readonly name: string;
  readonly args: readonly Expr[];
}
/** `[a, b, c]` */
export interface ArrayExpr extends NodeBase {
  readonly kind: "array";
  readonly elements: readonly Expr[];
}
/** `object[index]` */
export interface IndexGetExpr extends NodeBase {
  readonly kind: "indexGet";
  readonly object: Expr;
  readonly index: Expr;
}
/** `object[index] = value` */
export interface IndexSetExpr extends NodeBase {
  readonly kind: "indexSet";
  /** The `[` token. */
  readonly bracket: Anchor;
  readonly object: Expr;
  readonly index: Expr;
  readonly value: Expr;
}
/** Stands where a syntax error left no expression; never executed. */
export interface ErrorExpr extends NodeBase {
  readonly kind: "error";
}

export type Stmt =
  | ExpressionStmt
  | PrintStmt
  | VarStmt
  | BlockStmt
  | IfStmt
  | WhileStmt
  | ForStmt
  | FunctionStmt
  | ReturnStmt
  | ClassStmt;

export interface ExpressionStmt extends NodeBase {
  readonly kind: "expression";
  readonly expr: Expr;
}
export interface PrintStmt extends NodeBase {
  readonly kind: "print";
  readonly keyword: Anchor;
  readonly expr: Expr;
}
export interface VarStmt extends NodeBase {
  readonly kind: "var";
  readonly name: string;
  readonly anchor: Anchor;
  readonly initializer: Expr | null;
}
export interface BlockStmt extends NodeBase {
  readonly kind: "block";
  readonly body: readonly Stmt[];
}
export interface IfStmt extends NodeBase {
  readonly kind: "if";
  readonly condition: Expr;
  readonly thenBranch: Stmt;
  readonly elseBranch: Stmt | null;
}
export interface WhileStmt extends NodeBase {
  readonly kind: "while";
  readonly condition: Expr;
  readonly body: Stmt;
}
/** `for (init; condition; increment) body`; the init's variable is scoped to the loop. */
export interface ForStmt extends NodeBase {
  readonly kind: "for";
  readonly initializer: Stmt | null;
  readonly condition: Expr | null;
  readonly increment: Expr | null;
  readonly body: Stmt;
}

export type FunctionKind = "function" | "method" | "initializer";

export interface Param {
  readonly name: string;
  readonly anchor: Anchor;
}

export interface FunctionStmt extends NodeBase {
  readonly kind: "function";
  readonly functionKind: FunctionKind;
  readonly name: string;
  readonly anchor: Anchor;
  readonly params: readonly Param[];
  readonly body: readonly Stmt[];
  readonly annotations: readonly Annotation[];
}
export interface ReturnStmt extends NodeBase {
  readonly kind: "return";
  readonly keyword: Anchor;
  readonly value: Expr | null;
}
export interface ClassStmt extends NodeBase {
  readonly kind: "class";
  readonly name: string;
  readonly anchor: Anchor;
  readonly superclass: VariableExpr | null;
  readonly methods: readonly FunctionStmt[];
  readonly annotations: readonly Annotation[];
}

/** `@name` or `@name(arg, ...)` written before a declaration. */
export interface Annotation {
  readonly name: string;
  readonly anchor: Anchor;
  readonly args: readonly AnnotationArg[];
}

export type AnnotationArg =
  | { readonly kind: "name"; readonly name: string; readonly anchor: Anchor }
  | { readonly kind: "number"; readonly value: number; readonly anchor: Anchor }
  | { readonly kind: "string"; readonly value: string; readonly anchor: Anchor };

/** A parsed program: the script's statements and the node count for side tables. */
export interface Program {
  readonly body: readonly Stmt[];
  readonly nodeCount: number;
  /** The source as bytes-in-a-string (see `Scanner`). */
  readonly source: string;
}
