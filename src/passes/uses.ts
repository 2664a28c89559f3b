/**
 * Use counts of values in a function body: operands of instructions in
 * blocks, and values read by terminators. Recomputed on demand by the
 * passes that need them (they are cheap: one walk).
 */
import type { FunctionBody } from "../ir/index.ts";

export function countUses(body: FunctionBody): Int32Array {
  const counts = new Int32Array(body.valueCount);
  for (const b of body.blocks()) {
    for (const v of body.blockInsts(b)) {
      const n = body.argCount(v);
      for (let i = 0; i < n; i++) counts[body.arg(v, i)] = (counts[body.arg(v, i)] as number) + 1;
    }
    for (const u of body.terminatorUses(b)) counts[u] = (counts[u] as number) + 1;
  }
  return counts;
}
