/**
 * The Bagel syntax tree. Every node that can fail at run time keeps the
 * token it came from (for the line of its bytecode and for diagnostics).
 * Assignment targets are checked by the parser: a name or an index
 * expression.
 */
import type { Token } from "./tokens.ts";

export type Expr =
  | { readonly kind: "literal"; readonly value: number | string | boolean | null; readonly token: Token }
  | { readonly kind: "variable"; readonly name: Token }
  | { readonly kind: "assign"; readonly name: Token; readonly value: Expr }
  | { readonly kind: "unary"; readonly op: Token; readonly operand: Expr }
  | { readonly kind: "binary"; readonly op: Token; readonly left: Expr; readonly right: Expr }
  | { readonly kind: "logical"; readonly op: Token; readonly left: Expr; readonly right: Expr }
  | { readonly kind: "call"; readonly callee: Token; readonly paren: Token; readonly args: readonly Expr[] }
  | { readonly kind: "arrayLiteral"; readonly bracket: Token; readonly elements: readonly Expr[] }
  | { readonly kind: "index"; readonly target: Expr; readonly bracket: Token; readonly index: Expr }
  | { readonly kind: "setIndex"; readonly target: Expr; readonly bracket: Token; readonly index: Expr; readonly value: Expr };

export type Stmt =
  | { readonly kind: "expression"; readonly expr: Expr; readonly end: Token }
  | { readonly kind: "print"; readonly keyword: Token; readonly expr: Expr }
  | { readonly kind: "var"; readonly name: Token; readonly init: Expr | null }
  | { readonly kind: "block"; readonly statements: readonly Stmt[] }
  | { readonly kind: "if"; readonly keyword: Token; readonly condition: Expr; readonly then: Stmt; readonly otherwise: Stmt | null }
  | { readonly kind: "while"; readonly keyword: Token; readonly condition: Expr; readonly body: Stmt }
  | { readonly kind: "return"; readonly keyword: Token; readonly value: Expr | null }
  | { readonly kind: "function"; readonly name: Token; readonly params: readonly Token[]; readonly body: readonly Stmt[]; readonly end: Token };
