/**
 * Globals whose value, once defined, never changes: no `lox.global.set`
 * anywhere in the module and at most one `lox.global.define` (a top-level
 * declaration runs once). Natives the program never redefines are among
 * them. The partial evaluator reads such a global from the live heap; a
 * global not yet defined at specialization time stays a run-time read.
 */
import { type GlobalId, type Module, Op, ValueKind } from "../ir/index.ts";

export function stableGlobals(module: Module): Set<GlobalId> {
  const defines = new Map<GlobalId, number>();
  const assigned = new Set<GlobalId>();
  for (const fn of module.functions) {
    if (fn.kind !== "lox") continue;
    const body = fn.body;
    for (const b of body.blocks()) {
      for (const v of body.blockInsts(b)) {
        if (body.kind(v) !== ValueKind.inst) continue;
        const op = body.opcode(v);
        const g = body.imm(v) as GlobalId;
        if (op === Op.loxGlobalSet) assigned.add(g);
        else if (op === Op.loxGlobalDefine) defines.set(g, (defines.get(g) ?? 0) + 1);
      }
    }
  }
  const stable = new Set<GlobalId>();
  for (let g = 0; g < module.globalCount; g++) {
    const id = g as GlobalId;
    if (!assigned.has(id) && (defines.get(id) ?? 0) <= 1) stable.add(id);
  }
  return stable;
}
