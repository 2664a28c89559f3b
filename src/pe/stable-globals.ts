/**
 * Globals whose value, once defined, never changes: no `lox.global.set`
 * anywhere in the module and at most one `lox.global.define` (a top-level
 * declaration runs once). Natives the program never redefines are among
 * them. The partial evaluator reads such a global from the live heap; a
 * global not yet defined at specialization time stays a run-time read.
 */
import type { GlobalId, Module } from "../ir/index.ts";
import { globalWrites } from "../passes/index.ts";

export function stableGlobals(module: Module): Set<GlobalId> {
  const { defines, assigned } = globalWrites(module.functions);
  const stable = new Set<GlobalId>();
  for (let g = 0; g < module.globalCount; g++) {
    const id = g as GlobalId;
    if (!assigned.has(id) && (defines.get(id)?.length ?? 0) <= 1) stable.add(id);
  }
  return stable;
}
