/**
 * The runtime library of compiled code: machine-level IR helpers for the
 * fast paths of Lox operations, and the host imports they fall back to.
 * Helpers and imports are added to a module on first use, so a module
 * carries only what its code needs. Helpers are inlined into Lox functions
 * (inline-helpers) except those marked `outline`: the rarely taken rest of
 * an operation whose fast path is inlined, kept out of line so code size
 * (and with it compile time, ours and V8's) stays proportional to the
 * program.
 *
 * A helper or import that can reach a GC safepoint has the attribute `gc`;
 * the spill-roots pass stores live values around calls to them.
 */
import { Emitter, type FuncId, type IrFunction, type Module, type Type } from "../../ir/index.ts";
import { IMPORTS, type ImportName } from "./imports.ts";

export type HelperBody = (e: Emitter, lib: RuntimeLibrary) => void;

export interface HelperSpec {
  readonly params: readonly Type[];
  readonly result: Type;
  readonly gc: boolean;
  readonly body: HelperBody;
  /** Kept as a function of its own rather than inlined (the rarely taken rest of an operation). */
  readonly outline?: boolean;
}

export const GC_ATTRIBUTE = "gc";
/** Marks a helper that inline-helpers leaves as a call. */
export const OUTLINE_ATTRIBUTE = "outline";

export function isOutlined(fn: IrFunction): boolean {
  return fn.attributes.some((a) => a.name === OUTLINE_ATTRIBUTE);
}

export function mayCollect(fn: IrFunction): boolean {
  return fn.kind === "lox" || fn.attributes.some((a) => a.name === GC_ATTRIBUTE);
}

export class RuntimeLibrary {
  private readonly ids = new Map<string, FuncId>();

  constructor(readonly module: Module, private readonly specs: (name: string) => HelperSpec | undefined) {}

  importFn(name: ImportName): FuncId {
    const key = `rt.${name}`;
    let id = this.ids.get(key);
    if (id === undefined) {
      const spec = IMPORTS[name];
      const fn = this.module.addFunction(key, spec.params, spec.result, spec.gc ? [{ name: GC_ATTRIBUTE, args: [] }] : [], 0, "import");
      id = fn.id;
      this.ids.set(key, id);
    }
    return id;
  }

  helper(name: string): FuncId {
    const key = `lib.${name}`;
    let id = this.ids.get(key);
    if (id !== undefined) return id;
    const spec = this.specs(name);
    if (spec === undefined) throw new Error(`internal error: no runtime helper '${name}'`);
    const attributes = [
      ...(spec.gc ? [{ name: GC_ATTRIBUTE, args: [] }] : []),
      ...(spec.outline === true ? [{ name: OUTLINE_ATTRIBUTE, args: [] }] : []),
    ];
    const fn = this.module.addFunction(key, spec.params, spec.result, attributes, 0, "helper");
    this.ids.set(key, fn.id);
    const e = new Emitter(this.module, fn);
    spec.body(e, this);
    e.finish();
    return fn.id;
  }
}
