/**
 * Entity ids of the IR: dense integers, distinct TypeScript types. Values
 * print as `v<N>`, blocks as `block<N>`, module functions as `f<N>`, class
 * descriptors as `c<N>`; globals print by name (`@name`) and symbols as
 * their text (a field `.name` or a string literal).
 */

export type Value = number & { readonly __value: unique symbol };
export type Block = number & { readonly __block: unique symbol };
export type FuncId = number & { readonly __func: unique symbol };
export type ClassId = number & { readonly __class: unique symbol };
export type GlobalId = number & { readonly __global: unique symbol };
export type SymbolId = number & { readonly __symbol: unique symbol };

export const ValueKind = {
  /** A block parameter. */
  param: 0,
  /** The result of an instruction (possibly of type none). */
  inst: 1,
  /** Stands for another value; `resolveAliases` removes aliases. */
  alias: 2,
  /** Reserved during construction, later made an alias or removed. */
  placeholder: 3,
} as const;
export type ValueKind = (typeof ValueKind)[keyof typeof ValueKind];

/** A branch target: a block and the arguments for its parameters. */
export interface BlockTarget {
  readonly block: Block;
  readonly args: readonly Value[];
}

/** How a block ends. Stored apart from the instruction list. */
export type Terminator =
  | { readonly kind: "none" }
  | { readonly kind: "jump"; readonly target: BlockTarget }
  | { readonly kind: "br"; readonly cond: Value; readonly then: BlockTarget; readonly else: BlockTarget }
  | { readonly kind: "switch"; readonly value: Value; readonly targets: readonly BlockTarget[]; readonly default: BlockTarget }
  | { readonly kind: "return"; readonly value: Value | null }
  | { readonly kind: "unreachable" };

/** Source position of an instruction: enough to report a Lox line. */
export interface SourceSpan {
  readonly line: number;
  readonly start: number;
  readonly end: number;
}
