/**
 * What the partial evaluator may learn from the live heap image: only facts
 * that cannot change while specialized code is installed. Elements of
 * frozen arrays, fields declared `@readonly` of instances whose
 * construction has finished, the contents of strings, what kind of
 * function a closure or native is, and the value of a global that the
 * program can only ever define once. An engine provides the view over its
 * own heap (the IR interpreter's ArrayBuffer, the Wasm engine's linear
 * memory: same layout, src/runtime/layout.ts).
 */
import type { FuncId, GlobalId } from "../ir/index.ts";
import type { KnownVal } from "./values.ts";

export type HeapObjectView =
  | { readonly kind: "array"; readonly length: number; readonly frozen: boolean }
  | { readonly kind: "closure"; readonly func: FuncId }
  | { readonly kind: "native"; readonly name: string }
  | { readonly kind: "instance"; readonly className: string }
  | { readonly kind: "other" };

export interface PeHeap {
  /** What the object at `addr` is (strings never reach here: they are constants). */
  describe(addr: number): HeapObjectView;
  /** Element `index` of the frozen array at `addr` (the caller checked bounds and frozenness). */
  frozenElement(addr: number, index: number): KnownVal;
  /** Field `name` of the instance at `addr`, if it is readonly and set for good; else null. */
  readonlyField(addr: number, name: string): KnownVal | null;
  /** The value of global `id` if it is defined (the caller checked it is defined only once). */
  globalValue(id: GlobalId): KnownVal | null;
}
