/**
 * Functions that never return normally: every path from the entry reaches
 * a call of a native that always raises an error (`error`, see
 * native-specs.ts), read from a global that never changes, before any
 * `return`. The interpreter's `bagelError(message, line)` helper is the
 * typical case. The partial evaluator ends the block after a call of such
 * a function with `unreachable`, so the error path does not flow back into
 * the code after it (where it would spoil the facts type-facts.ts infers).
 *
 * Conservative and one level deep: a call of anything else may return.
 */
import { type FunctionBody, type GlobalId, type IrFunction, Op, type Value, ValueKind } from "../ir/index.ts";
import { NEVER_RETURNING_NATIVES } from "../runtime/native-specs.ts";
import type { PeHeap } from "./heap-view.ts";

/** Whether `v` is a read of a never-changing global that holds a never-returning native. */
export function readsNeverReturningNative(body: FunctionBody, v: Value, stable: ReadonlySet<GlobalId>, heap: PeHeap): boolean {
  if (body.kind(v) !== ValueKind.inst || body.opcode(v) !== Op.loxGlobalGet) return false;
  const g = body.imm(v) as GlobalId;
  if (!stable.has(g)) return false;
  const known = heap.globalValue(g);
  if (known === null || known.kind !== "ref") return false;
  const view = heap.describe(known.addr);
  return view.kind === "native" && NEVER_RETURNING_NATIVES.has(view.name);
}

export function neverReturns(fn: IrFunction, stable: ReadonlySet<GlobalId>, heap: PeHeap): boolean {
  if (fn.kind !== "lox") return false;
  const body = fn.body;
  const seen = new Set([body.entry]);
  const work = [body.entry];
  for (let b = work.pop(); b !== undefined; b = work.pop()) {
    const stops = body.blockInsts(b).some((v) =>
      body.kind(v) === ValueKind.inst && body.opcode(v) === Op.loxCall && readsNeverReturningNative(body, body.arg(v, 0), stable, heap));
    if (stops) continue;
    if (body.terminator(b).kind === "return") return false;
    for (const t of body.targets(b)) {
      if (!seen.has(t.block)) {
        seen.add(t.block);
        work.push(t.block);
      }
    }
  }
  return true;
}
