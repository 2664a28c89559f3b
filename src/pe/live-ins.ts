/**
 * The values each block of the generic function uses but does not define,
 * directly or on behalf of a successor: the "max-SSA" view of the function
 * (every value that crosses a block boundary is treated as an extra block
 * parameter), as weval does before specializing (C. Fallin et al., PLDI
 * 2025, §4.2). With it, a block's entry state is just its parameters plus
 * these values, and a (block, context) unit never needs a value from
 * another unit except through its entry state.
 *
 * Backward liveness over the reachable blocks, iterated to a fixpoint in
 * postorder (standard dataflow; Appel, "Modern Compiler Implementation",
 * §10.1). The lists are in value-id order, so states are deterministic.
 */
import { type Block, ControlFlow, type FunctionBody, type Value } from "../ir/index.ts";

export function liveIns(body: FunctionBody): Map<Block, Value[]> {
  const cfg = new ControlFlow(body);
  const order = [...cfg.rpo].reverse();
  const defined = new Map<Block, Set<Value>>();
  const used = new Map<Block, Set<Value>>();
  for (const b of order) {
    const defs = new Set<Value>(body.blockParams(b));
    const uses = new Set<Value>();
    for (const v of body.blockInsts(b)) {
      for (const a of body.args(v)) if (!defs.has(a)) uses.add(a);
      defs.add(v);
    }
    for (const a of body.terminatorUses(b)) if (!defs.has(a)) uses.add(a);
    defined.set(b, defs);
    used.set(b, uses);
  }
  const live = new Map<Block, Set<Value>>(order.map((b) => [b, new Set(used.get(b))]));
  for (let changed = true; changed;) {
    changed = false;
    for (const b of order) {
      const set = live.get(b) as Set<Value>;
      const defs = defined.get(b) as Set<Value>;
      for (const s of body.successors(b)) {
        for (const v of live.get(s) ?? []) {
          if (!defs.has(v) && !set.has(v)) {
            set.add(v);
            changed = true;
          }
        }
      }
    }
  }
  return new Map([...live].map(([b, set]) => [b, [...set].sort((x, y) => x - y)]));
}
