/**
 * `@readonly(field, ...)` at run time (docs/lox.md): the named fields of an
 * instance of the class, or of a subclass, may be assigned until the class
 * call that made the instance returns, never after. On the heap a class
 * keeps its readonly field names in `Klass.readonly` and an instance is
 * marked `Flag.constructed` when its class call returns.
 *
 * For the partial evaluator: `readonlyFieldState` tells whether a field of
 * a live instance is readonly and the instance constructed, in which case
 * the field's value can never change and may be read at specialization
 * time (`constantReadonlyField`).
 */
import type { Attribute } from "../ir/index.ts";
import type { RtVal } from "./heap-space.ts";
import type { HeapObjects } from "./heap-objects.ts";
import { Flag, Instance, ObjType } from "./layout.ts";

/** The annotation's name, as a class attribute. */
export const READONLY_ATTRIBUTE = "readonly";

/** The field names a class declaration's `@readonly` attributes list (its own, not inherited). */
export function readonlyFieldNames(attributes: readonly Attribute[]): string[] {
  const names: string[] = [];
  for (const a of attributes) {
    if (a.name !== READONLY_ATTRIBUTE) continue;
    for (const arg of a.args) if (typeof arg === "string" && !names.includes(arg)) names.push(arg);
  }
  return names;
}

export interface ReadonlyFieldState {
  /** The field is readonly in the instance's class (declared there or inherited). */
  readonly readonly: boolean;
  /** The class call that made the instance has returned. */
  readonly constructed: boolean;
}

/** Whether the class call that made the instance at `instance` has returned. */
export function isConstructed(heap: HeapObjects, instance: number): boolean {
  return heap.hasFlag(instance, Flag.constructed);
}

/**
 * The field's name as an interned string's address, or null when no
 * string has that text (then no class can have such a field).
 */
function nameAddress(heap: HeapObjects, name: number | string): number | null {
  return typeof name === "number" ? name : (heap.internedString(name) ?? null);
}

/**
 * Whether field `name` (an interned string's address, or its text) is
 * readonly for the class of the instance at address `instance`, and
 * whether that instance has finished construction. `instance` must be an
 * instance (`ObjType.instance`).
 */
export function readonlyFieldState(heap: HeapObjects, instance: number, name: number | string): ReadonlyFieldState {
  if (heap.type(instance) !== ObjType.instance) throw new Error(`internal error: ${instance} is not an instance`);
  const at = nameAddress(heap, name);
  const readonly = at !== null && heap.isReadonlyField(heap.u32(instance + Instance.klass), at);
  return { readonly, constructed: isConstructed(heap, instance) };
}

/**
 * The value of a readonly field of a constructed instance (it can never
 * change), or undefined when the field is not readonly, the instance is
 * still being constructed, or it has no such field.
 */
export function constantReadonlyField(heap: HeapObjects, instance: number, name: number | string): RtVal | undefined {
  const { readonly, constructed } = readonlyFieldState(heap, instance, name);
  if (!readonly || !constructed) return undefined;
  const at = nameAddress(heap, name) as number;
  return heap.fieldGet(instance, at);
}
