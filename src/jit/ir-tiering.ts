/**
 * Tiering for the IR engine: calls of an `@specialize` function are
 * counted per combination of specialization constants; once a combination
 * has run `threshold` times on the generic code, the partial evaluator
 * specializes the function on it, the result joins the module, and later
 * calls with the same constants run it (through the interpreter's
 * `redirect`). A request the PE abandons is remembered, and the generic
 * code keeps running for that combination.
 */
import type { FuncId, IrFunction, IrInterpreter, Module } from "../ir/index.ts";
import { knownKey, type KnownVal, optimizeSpecialized, specializeFunction, type SpecializationStats } from "../pe/index.ts";
import type { Heap, RtVal } from "../runtime/heap.ts";
import { knownFromRuntime, RuntimeHeapView } from "./pe-heap.ts";

export const JIT_MODES = ["off", "auto", "eager"] as const;
export type JitMode = (typeof JIT_MODES)[number];

/** Calls on the generic code before `auto` specializes a combination. */
export const DEFAULT_JIT_THRESHOLD = 2;

export type TieringEvent =
  | { readonly kind: "specialized"; readonly generic: string; readonly name: string; readonly stats: SpecializationStats; readonly instructions: number }
  | { readonly kind: "abandoned"; readonly generic: string; readonly reason: string; readonly stats: SpecializationStats };

export interface TieringOptions {
  readonly mode: JitMode;
  /** For `auto`: generic calls per combination before specializing (default DEFAULT_JIT_THRESHOLD). */
  readonly threshold?: number;
  readonly report?: (event: TieringEvent) => void;
}

/** Parameter indices (in the IR signature) named by a function's `@specialize`, or null. */
export function specializedParams(fn: IrFunction): number[] | null {
  const attr = fn.attributes.find((a) => a.name === "specialize");
  if (attr === undefined) return null;
  const params = fn.body.blockParams(fn.body.entry);
  const indices = attr.args.map((name) => params.findIndex((p) => fn.body.name(p) === name));
  return indices.every((i) => i >= 0) ? indices : null;
}

function instructionCount(fn: IrFunction): number {
  return fn.body.blocks().reduce((n, b) => n + fn.body.blockInsts(b).length, 0);
}

export class IrTiering {
  private readonly sites = new Map<FuncId, number[]>();
  private readonly installed = new Map<string, IrFunction | null>();
  private readonly counts = new Map<string, number>();
  private readonly view: RuntimeHeapView;
  private readonly threshold: number;

  constructor(private readonly module: Module, private readonly heap: Heap, private readonly options: TieringOptions) {
    this.view = new RuntimeHeapView(heap, module);
    this.threshold = options.mode === "eager" ? 0 : (options.threshold ?? DEFAULT_JIT_THRESHOLD);
    for (const fn of module.functions) {
      const params = fn.kind === "lox" ? specializedParams(fn) : null;
      if (params !== null) this.sites.set(fn.id, params);
    }
  }

  install(interpreter: IrInterpreter): void {
    if (this.options.mode === "off" || this.sites.size === 0) return;
    interpreter.redirect = (fn, args) => this.choose(fn, args);
  }

  private choose(fn: IrFunction, args: readonly unknown[]): IrFunction {
    const params = this.sites.get(fn.id);
    if (params === undefined) return fn;
    const constants = new Map<number, KnownVal>();
    for (const i of params) {
      const known = knownFromRuntime(this.heap, args[i] as RtVal);
      if (known === null) return fn;
      constants.set(i, known);
    }
    const key = `${fn.id}(${[...constants.values()].map(knownKey).join(",")})`;
    const ready = this.installed.get(key);
    if (ready !== undefined) return ready ?? fn;
    const count = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, count);
    if (count <= this.threshold) return fn;
    return this.specialize(fn, key, constants) ?? fn;
  }

  private specialize(fn: IrFunction, key: string, constants: Map<number, KnownVal>): IrFunction | null {
    const result = specializeFunction({ module: this.module, fn, constants, heap: this.view });
    if (!result.ok) {
      this.installed.set(key, null);
      this.options.report?.({ kind: "abandoned", generic: fn.name, reason: result.reason, stats: result.stats });
      return null;
    }
    const name = `${fn.name}'${this.installed.size + 1}`;
    const specialized = this.module.addFunction(name, fn.params, fn.result, [], fn.line);
    specialized.body = result.body;
    optimizeSpecialized(this.module, specialized);
    this.installed.set(key, specialized);
    this.options.report?.({ kind: "specialized", generic: fn.name, name, stats: result.stats, instructions: instructionCount(specialized) });
    return specialized;
  }
}
