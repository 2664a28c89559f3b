/**
 * Specialization sites: functions marked `@specialize(p, ...)`, and which
 * parameters (by index in the IR signature: closure, receiver, then the
 * Lox parameters) are their specialization constants. Lowering gives entry
 * parameters their source names, which is how the names are found.
 */
import type { Attribute, IrFunction } from "../ir/index.ts";

export function specializedParams(fn: IrFunction): number[] | null {
  if (fn.kind !== "lox") return null;
  const attr = fn.attributes.find((a) => a.name === "specialize");
  if (attr === undefined) return null;
  const params = fn.body.blockParams(fn.body.entry);
  const indices = attr.args.map((name) => params.findIndex((p) => fn.body.name(p) === name));
  return indices.length > 0 && indices.every((i) => i >= 0) ? indices : null;
}

/** Marks a function made by the partial evaluator: `@specialization(n)`, its number in the run. */
export const SPECIALIZATION_ATTRIBUTE = "specialization";

export function specializationAttribute(n: number): Attribute {
  return { name: SPECIALIZATION_ATTRIBUTE, args: [n] };
}

/** `name'n` for a specialized function, for reports; null for others. */
export function specializationLabel(fn: IrFunction): string | null {
  const attr = fn.attributes.find((a) => a.name === SPECIALIZATION_ATTRIBUTE);
  return attr === undefined ? null : `${fn.name}'${String(attr.args[0])}`;
}
