/**
 * Entry states of (block, context) units and their join (DESIGN.md §7).
 *
 * A state gives a `Slot` for each parameter and live-in value of the
 * generic block, and the contents of the virtual arrays those slots reach.
 * Joining two states keeps what both agree on; where they differ the slot
 * becomes runtime, of the kinds either side can be (two different numbers
 * join into a runtime number). A virtual array that is not virtual with the same
 * identity on both sides escapes: every slot and element that refers to
 * it becomes runtime (each predecessor materializes it once on its edge),
 * and so does every virtual array it holds, since materializing it needs
 * them as values. This is the "merge and re-queue" of weval (C. Fallin et
 * al., PLDI 2025, §4.3) extended with escape analysis on virtual objects
 * (cf. partial escape analysis, L. Stadler et al., CGO 2014).
 */
import { KINDS } from "../ir/index.ts";
import { kindsOf, type PeVal, runtimeSlot, sameSlot, type Slot } from "./values.ts";

export interface EntryState {
  readonly slots: readonly Slot[];
  /** Virtual arrays by id: their elements. */
  readonly objects: ReadonlyMap<number, readonly Slot[]>;
}

/**
 * A runtime position of a state: slot `index` (`object` is SLOT), or
 * element `index` of virtual array `object`. One shape for both, so the
 * code that walks positions for every edge stays monomorphic.
 */
export interface Position {
  readonly object: number;
  readonly index: number;
}

/** `Position.object` of a slot (array ids are value ids, never negative). */
export const SLOT = -1;

/** The positions that are runtime, in a fixed order: slots, then objects by id, elements in order. */
export function runtimePositions(state: EntryState): Position[] {
  const out: Position[] = [];
  state.slots.forEach((s, slot) => {
    if (s.kind === "runtime") out.push({ object: SLOT, index: slot });
  });
  for (const id of [...state.objects.keys()].sort((a, b) => a - b)) {
    (state.objects.get(id) as readonly Slot[]).forEach((s, index) => {
      if (s.kind === "runtime") out.push({ object: id, index });
    });
  }
  return out;
}

export function statesEqual(a: EntryState, b: EntryState): boolean {
  if (a.slots.length !== b.slots.length || a.objects.size !== b.objects.size) return false;
  if (!a.slots.every((s, i) => sameSlot(s, b.slots[i] as Slot))) return false;
  for (const [id, elems] of a.objects) {
    const other = b.objects.get(id);
    if (other === undefined || other.length !== elems.length || !elems.every((s, i) => sameSlot(s, other[i] as Slot))) return false;
  }
  return true;
}

/**
 * Whether joining the state an edge brings (`values` for the slots,
 * `objects` for its virtual arrays) into `state` leaves `state` as it is:
 * wherever `state` knows something the edge says the same, and no array of
 * the edge escapes (an escape can reach arrays `state` keeps virtual, so
 * that case is left to `joinStates`). The common case of an edge into a
 * unit that is already general enough, checked without building a state.
 */
export function covers(state: EntryState, values: readonly PeVal[], objects: ReadonlyMap<number, readonly PeVal[]>): boolean {
  const agrees = (mine: Slot, theirs: PeVal): boolean =>
    mine.kind === "runtime" ? theirs.kind !== "virtual" && (kindsOf(theirs) & ~mine.kinds) === 0 : sameSlot(mine, theirs as Slot);
  const slots = state.slots;
  if (slots.length !== values.length) return false;
  for (let i = 0; i < slots.length; i++) if (!agrees(slots[i] as Slot, values[i] as PeVal)) return false;
  for (const [id, elems] of state.objects) {
    const other = objects.get(id);
    if (other === undefined || other.length !== elems.length) return false;
    for (let i = 0; i < elems.length; i++) if (!agrees(elems[i] as Slot, other[i] as PeVal)) return false;
  }
  return true;
}

/** The most precise state that both `a` and `b` refine. */
export function joinStates(a: EntryState, b: EntryState): EntryState {
  const escaped = new Set<number>();
  const joinSlot = (x: Slot, y: Slot): Slot => {
    if (x.kind === "virtual" || y.kind === "virtual") {
      if (x.kind === "virtual" && y.kind === "virtual" && x.id === y.id) return x;
      if (x.kind === "virtual") escaped.add(x.id);
      if (y.kind === "virtual") escaped.add(y.id);
      return runtimeSlot(kindsOf(x) | kindsOf(y));
    }
    return sameSlot(x, y) ? x : runtimeSlot(kindsOf(x) | kindsOf(y));
  };
  const slots = a.slots.map((s, i) => joinSlot(s, b.slots[i] as Slot));
  const objects = new Map<number, Slot[]>();
  for (const id of new Set([...a.objects.keys(), ...b.objects.keys()])) {
    const x = a.objects.get(id);
    const y = b.objects.get(id);
    if (x === undefined || y === undefined || x.length !== y.length) {
      escaped.add(id);
      for (const s of [...(x ?? []), ...(y ?? [])]) if (s.kind === "virtual") escaped.add(s.id);
      continue;
    }
    objects.set(id, x.map((s, i) => joinSlot(s, y[i] as Slot)));
  }
  // Escape is contagious: what refers to an escaped array, and what it holds.
  for (let changed = true; changed;) {
    changed = false;
    for (const id of escaped) {
      const elems = objects.get(id);
      if (elems === undefined) continue;
      objects.delete(id);
      for (const s of elems) if (s.kind === "virtual" && !escaped.has(s.id)) escaped.add(s.id);
      changed = true;
    }
  }
  const clean = (s: Slot): Slot => (s.kind === "virtual" && escaped.has(s.id) ? runtimeSlot(KINDS.array) : s);
  return {
    slots: slots.map(clean),
    objects: new Map([...objects].map(([id, elems]) => [id, elems.map(clean)])),
  };
}
