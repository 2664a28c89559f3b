/**
 * Tiering for the IR engine: calls of an `@specialize` function are
 * counted per combination of specialization constants; once a combination
 * has run `threshold` times on the generic code, the partial evaluator
 * specializes the function on it, the result joins the module, and later
 * calls with the same constants run it (through the interpreter's
 * `redirect`). Calls the PE finds between known combinations become
 * direct calls: the callee's function is reserved at once (so recursion
 * resolves to it) and specialized right after. A request the PE abandons
 * is reported, its reserved function forwards to the generic code, and the
 * generic code keeps running for that combination.
 */
import { type FuncId, FunctionBody, FunctionBuilder, type IrFunction, type IrInterpreter, type Module, printFunction, verifyFunction } from "../ir/index.ts";
import {
  ExplainLog, formatExplain, GenericAnalyses, genericArguments, type KnownVal, NO_SPECIALIZATION_STATS, NOTHING_FLATTENED, optimizeSpecialized, specializationAttribute, specializationLabel,
  specializedParams, specializeFunction, type SpecializationSignature, type SpecializationStats, signatureKey, signatureParams,
} from "../pe/index.ts";
import type { Heap, RtVal } from "../runtime/heap.ts";
import { knownFromRuntime, RuntimeHeapView } from "./pe-heap.ts";

import { DEFAULT_JIT_THRESHOLD, type JitMode } from "../config.ts";

export { DEFAULT_JIT_THRESHOLD, JIT_MODES, type JitMode } from "../config.ts";

export type TieringEvent =
  | {
    readonly kind: "specialized"; readonly generic: string; readonly name: string; readonly stats: SpecializationStats;
    readonly instructions: number; readonly explain: string | null;
    /** The specialized function's IR after optimization (null unless `printIr`). */
    readonly ir: string | null;
  }
  | {
    readonly kind: "abandoned"; readonly generic: string; readonly reason: string; readonly stats: SpecializationStats;
    readonly explain: string | null;
  }
  | {
    /** The Wasm engine compiled one request's functions into a module and linked it into the program. */
    readonly kind: "linked"; readonly functions: number; readonly bytes: number; readonly times: BatchTimes;
  };

/** Milliseconds of each step of one request of the Wasm engine, and their sum. */
export interface BatchTimes {
  /** The partial evaluator, over every function of the request. */
  readonly specialize: number;
  /** The specialized pipeline (passes/registry.ts) on each specialized function. */
  readonly optimize: number;
  /** Lowering to machine level, helper inlining, GC roots. */
  readonly lower: number;
  /** The direct encoder. */
  readonly encode: number;
  /** V8 compiling and instantiating the module. */
  readonly compile: number;
  readonly total: number;
}

/** The explain report of one request as text (null when not asked for). */
export function explainText(log: ExplainLog | null, title: string): string | null {
  return log === null ? null : formatExplain(title, log.report());
}

export interface TieringOptions {
  readonly mode: JitMode;
  /** For `auto`: generic calls per combination before specializing (default DEFAULT_JIT_THRESHOLD). */
  readonly threshold?: number;
  readonly report?: (event: TieringEvent) => void;
  /** Collect the explain report of each request (in the events). */
  readonly explain?: boolean;
  /** Include each specialized function's optimized IR in its event. */
  readonly printIr?: boolean;
  /** Verify each specialized function (tests): invalid IR is an internal error of the JIT. */
  readonly verify?: boolean;
}

/** Throws if `fn` is not valid IR (with `verify`). */
export function checkSpecialized(options: TieringOptions, module: Module, fn: IrFunction): void {
  if (options.verify !== true) return;
  const errors = verifyFunction(module, fn);
  if (errors.length > 0) throw new Error(`specialized code is not valid IR: ${errors[0]}`);
}

function instructionCount(fn: IrFunction): number {
  return fn.body.blocks().reduce((n, b) => n + fn.body.blockInsts(b).length, 0);
}

interface Pending {
  readonly generic: IrFunction;
  readonly target: IrFunction;
  readonly signature: SpecializationSignature;
}

/** What a tiering policy has done so far. */
export interface JitWork {
  /** Milliseconds spent specializing and compiling. */
  millis: number;
  /** Size of the code produced (Wasm bytes, or IR instructions on the IR engine). */
  size: number;
  /** Functions specialized. */
  functions: number;
}

export class IrTiering {
  readonly work: JitWork = { millis: 0, size: 0, functions: 0 };
  private readonly sites = new Map<FuncId, number[]>();
  /** Specialized (or reserved) function per combination; null once abandoned. */
  private readonly installed = new Map<string, IrFunction | null>();
  private readonly counts = new Map<string, number>();
  private readonly pending: Pending[] = [];
  private readonly view: RuntimeHeapView;
  private readonly threshold: number;
  private readonly analyses: GenericAnalyses;

  constructor(private readonly module: Module, private readonly heap: Heap, private readonly options: TieringOptions) {
    this.view = new RuntimeHeapView(heap);
    this.analyses = new GenericAnalyses(module);
    this.threshold = options.mode === "eager" ? 0 : (options.threshold ?? DEFAULT_JIT_THRESHOLD);
    for (const fn of module.functions) {
      const params = specializedParams(fn);
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
    const signature = { constants, flattened: NOTHING_FLATTENED };
    const key = signatureKey(fn, signature);
    const ready = this.installed.get(key);
    if (ready !== undefined) return ready ?? fn;
    const count = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, count);
    if (count <= this.threshold) return fn;
    const target = this.reserve(fn, key, signature);
    this.drain();
    return this.installed.get(key) ?? target;
  }

  /** A function for a combination, specialized later by `drain`. */
  private reserve(fn: IrFunction, key: string, signature: SpecializationSignature): IrFunction {
    const params = signatureParams(fn, signature);
    const target = this.module.addFunction(fn.name, params, fn.result, [specializationAttribute(this.installed.size + 1)], fn.line);
    this.installed.set(key, target);
    this.pending.push({ generic: fn, target, signature });
    return target;
  }

  private drain(): void {
    const started = performance.now();
    for (let p = this.pending.shift(); p !== undefined; p = this.pending.shift()) {
      try {
        this.specialize(p);
      } catch (e) {
        // A failure of the JIT itself must not take the program down: the generic code runs.
        forwardToGeneric(this.module, p);
        this.installed.set(signatureKey(p.generic, p.signature), null);
        const reason = `internal error in the JIT: ${e instanceof Error ? e.message : String(e)}`;
        this.options.report?.({
          kind: "abandoned", generic: p.generic.name, reason, stats: NO_SPECIALIZATION_STATS, explain: null,
        });
      }
    }
    this.work.millis += performance.now() - started;
  }

  private specialize(pending: Pending): void {
    const { generic, target, signature } = pending;
    const explain = this.options.explain === true ? new ExplainLog() : null;
    const result = specializeFunction({
      ...(explain === null ? {} : { explain }),
      module: this.module, fn: generic, constants: signature.constants, flattened: signature.flattened, heap: this.view,
      analyses: this.analyses,
      directCall: (callee, calleeSignature) => {
        const key = signatureKey(callee, calleeSignature);
        const existing = this.installed.get(key);
        if (existing !== undefined) return existing?.id ?? null;
        return this.reserve(callee, key, calleeSignature).id;
      },
    });
    if (!result.ok) {
      forwardToGeneric(this.module, pending);
      this.installed.set(signatureKey(generic, signature), null);
      this.options.report?.({
        kind: "abandoned", generic: generic.name, reason: result.reason, stats: result.stats, explain: explainText(explain, generic.name),
      });
      return;
    }
    target.body = result.body;
    optimizeSpecialized(this.module, target);
    checkSpecialized(this.options, this.module, target);
    this.work.functions++;
    this.work.size += instructionCount(target);
    const name = specializationLabel(target) ?? target.name;
    this.options.report?.({
      kind: "specialized", generic: generic.name, name, stats: result.stats, instructions: instructionCount(target),
      explain: explainText(explain, name), ir: this.options.printIr === true ? printFunction(this.module, target) : null,
    });
  }
}

/** A reserved function whose specialization failed: it calls the generic code (direct calls may already target it). */
function forwardToGeneric(module: Module, { generic, target, signature }: Pending): void {
  target.body = new FunctionBody();
  const b = new FunctionBuilder(target.body, module);
  const entry = b.newBlock();
  b.switchTo(entry);
  const params = target.params.map((t) => b.param(entry, t));
  b.ret(b.call(generic.id, genericArguments(b, generic, signature, params)));
}
