/**
 * The pass registry and the named pipelines. A pipeline is an ordered list
 * of pass names; `runPipeline` runs it over every function of a module,
 * timing each pass by name and, when asked (tests do), verifying the IR
 * after every pass so a broken pass is named at once.
 */
import { assertValid, type Module } from "../ir/index.ts";
import type { Pass } from "./pass.ts";
import { dcePass } from "./dce.ts";
import { foldPass } from "./fold.ts";
import { gvnPass } from "./gvn.ts";
import { removeTrivialParamsPass } from "./remove-trivial-params.ts";
import { resolveAliasesPass } from "./resolve-aliases.ts";
import { simplifyCfgPass } from "./simplify-cfg.ts";
import { eliminateUnreachableBlocksPass } from "./unreachable-blocks.ts";
import { typeFactsPass } from "./type-facts.ts";
import { forwardGlobalsPass } from "./forward-globals.ts";
import { inlineCallsPass } from "./inline-calls.ts";

export const PASSES: ReadonlyMap<string, Pass> = new Map(
  [
    resolveAliasesPass, removeTrivialParamsPass, eliminateUnreachableBlocksPass,
    foldPass, dcePass, simplifyCfgPass, gvnPass, typeFactsPass, forwardGlobalsPass, inlineCallsPass,
  ].map((p) => [p.name, p]),
);

/**
 * Named pipelines, with the reason for each position.
 * -O0: nothing beyond what lowering already guarantees; fastest compile.
 * -O2, in order:
 *   resolve-aliases, remove-trivial-params: normalize (no alias operands,
 *     no trivial parameters), whatever produced the IR;
 *   fold: constant expressions and the branches on them (`if (true)`,
 *     `while (false)`, `1 < 2 and ...`) turn into constants and jumps;
 *   simplify-cfg: drops the blocks those jumps made unreachable, threads
 *     the empty blocks lowering leaves (`and`/`or`, empty `else`), merges
 *     straight-line chains, so later passes see bigger blocks;
 *   dce: removes what folding left unused (the folded operands, truthiness
 *     tests of removed branches) before gvn has to hash it;
 *   forward-globals: a global read again on a path that already read or
 *     wrote it (no call between) is that value, with no check that it is
 *     defined; on merged blocks, after simplify-cfg, it sees longer paths
 *     (string_equality.lox reads eight globals a thousand times per loop
 *     iteration: its compile went from ~870 to ~170 ms, its run from ~610
 *     to ~3 ms, whole process 3.9x faster);
 *   gvn: merges the many repeated constants (`lox.num 1` per use),
 *     `lox.closure.cell` reads and truthiness tests;
 *   remove-trivial-params: gvn can make every argument of a parameter the
 *     same value (`var x = 1; if (c) x = 1;` joins two copies of `1`);
 *   fold: ...and then that parameter is a constant, so its uses may fold;
 *   simplify-cfg: dce and gvn can leave blocks empty (a dead `1 + 2;`
 *     statement in an `if`), which can now be threaded or merged;
 *   dce: the final sweep of everything the second round made unused.
 * Measured on the 231 lowered programs of test/lox and the shared suite
 * and benchmarks (8457 instructions unoptimized): the first round leaves
 * 7394, the second 7126 (mostly gvn's merged constants); a third round
 * changes nothing.
 * specialized (the partial evaluator's output), -O2's passes without its
 *   forward-globals (it comes a few passes later, where it matters), and then:
 *   forward-globals: the interpreter's own globals (a call-depth counter)
 *     are read right after being written; the read becomes the written
 *     value, whose kind type-facts can then see;
 *   type-facts: the interpreter re-checks the kind of every operand of
 *     every operation; the kinds the code already established fold those
 *     checks and make arithmetic on numbers unchecked;
 *   fold, simplify-cfg: remove the branches the folded checks decided;
 *   inline-calls: the first type-facts sent calls of `@monomorphize`
 *     helpers to the version for the argument's kind; a version that cannot
 *     fail (isIndex's number version) is copied in, for the second round
 *     to see through;
 *   forward-globals, type-facts, fold, simplify-cfg again: with the error
 *     paths gone, blocks merge (more reads follow their writes on one
 *     path) and joins have fewer incoming kinds, so a second round decides
 *     more (a third changed nothing on the Bagel benchmarks);
 *   dce: the checks left unused.
 * version (a `@monomorphize` version, as lowering makes it; the -O level's
 *   pipeline runs after, as on every function):
 *   type-facts: the version's entry fixes the kind of its parameter, so
 *     the body's own tests of it fold and its arithmetic becomes `num.*`;
 *   fold, simplify-cfg: the branches those tests decided go;
 *   dce: the tests left unused.
 */
export const PIPELINES: Readonly<Record<string, readonly string[]>> = {
  O0: [],
  O2: [
    "resolve-aliases", "remove-trivial-params",
    "fold", "simplify-cfg", "dce",
    "forward-globals", "gvn", "remove-trivial-params", "fold", "simplify-cfg", "dce",
  ],
  specialized: [
    "resolve-aliases", "remove-trivial-params",
    "fold", "simplify-cfg", "dce",
    "gvn", "remove-trivial-params", "fold", "simplify-cfg", "dce",
    "forward-globals", "type-facts", "fold", "simplify-cfg",
    "inline-calls", "forward-globals", "type-facts", "fold", "simplify-cfg", "dce",
  ],
  version: ["type-facts", "fold", "simplify-cfg", "dce"],
};

export interface PipelineOptions {
  /** Run the verifier after each pass (throws naming the pass). */
  readonly verify?: boolean;
  /** Accumulates milliseconds per pass name. */
  readonly timings?: Map<string, number>;
}

export class UnknownPassError extends Error {}

export function resolvePipeline(names: readonly string[]): Pass[] {
  return names.map((name) => {
    const pass = PASSES.get(name);
    if (pass === undefined) throw new UnknownPassError(`unknown pass '${name}' (known: ${[...PASSES.keys()].join(", ")})`);
    return pass;
  });
}

export function runPipeline(module: Module, names: readonly string[], options: PipelineOptions = {}): void {
  const passes = resolvePipeline(names);
  for (const pass of passes) {
    const start = performance.now();
    for (const fn of module.functions) pass.run(module, fn);
    if (options.timings !== undefined) {
      options.timings.set(pass.name, (options.timings.get(pass.name) ?? 0) + performance.now() - start);
    }
    if (options.verify === true) assertValid(module, `pass '${pass.name}'`);
  }
}
