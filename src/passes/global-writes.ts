/**
 * Where a module writes its globals: every `lox.global.define` (with the
 * defined value) and every global that some `lox.global.set` assigns. A
 * global defined once and never assigned holds one value for good once
 * defined; lower-lox (calls of known functions) and the partial evaluator
 * (globals read from the live heap) both build on that.
 */
import { type FunctionBody, type GlobalId, type IrFunction, Op, type Value, ValueKind } from "../ir/index.ts";

export interface GlobalWrites {
  readonly defines: ReadonlyMap<GlobalId, readonly { readonly body: FunctionBody; readonly value: Value }[]>;
  readonly assigned: ReadonlySet<GlobalId>;
}

export function globalWrites(functions: readonly IrFunction[]): GlobalWrites {
  const defines = new Map<GlobalId, { body: FunctionBody; value: Value }[]>();
  const assigned = new Set<GlobalId>();
  for (const fn of functions) {
    if (fn.kind !== "lox") continue;
    const body = fn.body;
    for (const b of body.blocks()) {
      for (const v of body.blockInsts(b)) {
        if (body.kind(v) !== ValueKind.inst) continue;
        const op = body.opcode(v);
        const g = body.imm(v) as GlobalId;
        if (op === Op.loxGlobalSet) assigned.add(g);
        else if (op === Op.loxGlobalDefine) defines.set(g, [...(defines.get(g) ?? []), { body, value: body.arg(v, 0) }]);
      }
    }
  }
  return { defines, assigned };
}
