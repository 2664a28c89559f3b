/**
 * The contract of an optimization pass: a name (as used in pipelines and
 * `--passes`), a one-line description, and `run`, which transforms one
 * function in place and says whether it changed anything. Passes must keep
 * the IR valid (the verifier runs after every pass in tests) and must not
 * change what a program does, including which runtime error it raises and
 * at which line.
 */
import type { IrFunction, Module } from "../ir/index.ts";

export interface Pass {
  readonly name: string;
  readonly description: string;
  run(module: Module, fn: IrFunction): boolean;
}
