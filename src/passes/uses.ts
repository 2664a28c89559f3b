/**
 * Use counts of values in a function body: operands of instructions in
 * blocks, and values read by terminators, each counted for the value it
 * resolves to (a use through an alias is a use of its target). Recomputed
 * on demand by the passes that need them (they are cheap: one walk).
 */
import type { FunctionBody, Value } from "../ir/index.ts";

export function countUses(body: FunctionBody): Int32Array {
  const counts = new Int32Array(body.valueCount);
  const count = (v: Value): void => {
    const r = body.resolve(v);
    counts[r] = (counts[r] as number) + 1;
  };
  for (const b of body.blocks()) {
    for (const v of body.blockInsts(b)) {
      const n = body.argCount(v);
      for (let i = 0; i < n; i++) count(body.arg(v, i));
    }
    for (const u of body.terminatorUses(b)) count(u);
  }
  return counts;
}
