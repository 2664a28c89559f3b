/**
 * What a run-time branch of the specialized code teaches about kinds
 * (`branchFacts` of ir/kind-sets.ts, the type-facts pass's branch facts,
 * read from the output code being written) goes into the edge's state
 * (`narrowEdge`), wherever the tested value sits: a slot or an element
 * of a virtual array, such as an interpreter's operand stack. So the
 * interpreter's idiom `if (!isNumber(a) or !isNumber(b)) error(...)`
 * leaves `a` and `b` known numbers for the rest of the bytecode function,
 * and their later checks fold while specializing instead of each making
 * units of its own.
 */
import type { Value } from "../ir/index.ts";
import type { EdgeState } from "./scope.ts";
import { runtime, type PeVal } from "./values.ts";

/** Value → the kinds it is limited to on one edge. */
export type KindFacts = ReadonlyMap<Value, number>;

/**
 * The edge with the facts applied to its runtime values (slots and
 * elements of its virtual arrays). Arrays are copied where they change:
 * an edge may share them with its unit and its other edges. A fact that
 * would leave a value no kind at all (the edge is never taken) is not
 * applied.
 */
export function narrowEdge(edge: EdgeState, facts: KindFacts): EdgeState {
  if (facts.size === 0) return edge;
  const narrow = (x: PeVal): PeVal => {
    if (x.kind !== "runtime") return x;
    const mask = facts.get(x.v);
    if (mask === undefined) return x;
    const kinds = x.kinds & mask;
    return kinds === x.kinds || kinds === 0 ? x : runtime(x.v, kinds);
  };
  let values: PeVal[] | null = null;
  edge.values.forEach((x, i) => {
    const y = narrow(x);
    if (y === x) return;
    values ??= [...edge.values];
    values[i] = y;
  });
  let objects: Map<number, readonly PeVal[]> | null = null;
  for (const [id, elems] of edge.objects) {
    let copy: PeVal[] | null = null;
    elems.forEach((x, i) => {
      const y = narrow(x);
      if (y === x) return;
      copy ??= [...elems];
      copy[i] = y;
    });
    if (copy === null) continue;
    objects ??= new Map(edge.objects);
    objects.set(id, copy);
  }
  if (values === null && objects === null) return edge;
  return { ...edge, values: values ?? edge.values, objects: objects ?? edge.objects };
}
