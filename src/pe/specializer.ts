/**
 * The partial evaluator's driver: the weval algorithm (C. Fallin et al.,
 * "Partial Evaluation, Whole-Program Compilation", PLDI 2025, §4) on Sa's
 * IR. Units of work are (generic block, context) pairs; each has an entry
 * state (state.ts) and one output block. A worklist in program order
 * (worklist.ts) transcribes units (transcribe.ts), each going on into the
 * single-predecessor and forwarding blocks it jumps to (chains.ts); an
 * edge to a unit joins its state into the unit's, and a unit whose state
 * changed is transcribed again into a fresh block. A unit's jump to a unit
 * not met yet, with nothing pending before it, goes on in the same block
 * (`inlineUnit`): most of a bytecode function's units are entered by one
 * jump, and need no block and no parameters of their own (on the Bagel
 * JIT's 1,000-instruction function this took the partial evaluator from
 * 39 to 21 ms and the cleanup after it from 18 to 9 ms, with the same
 * final code); an edge that reaches such a unit later cuts the block
 * there (`cut`). When the worklist is empty every state is final, and
 * the edges are completed: each passes the values of the target's runtime
 * positions, emitting constants and materializing virtual arrays on the
 * edge.
 *
 * Budgets bound the work (instructions transcribed, units, time): past
 * them the request is abandoned and the generic code keeps running.
 */
import { type Block, type BlockTarget, type FuncId, FunctionBody, type IrFunction, type Module, Type, type Value } from "../ir/index.ts";
import { PIPELINES, resolvePipeline } from "../passes/index.ts";
import { ContextTable, type ContextId } from "./context.ts";
import type { ExplainLog } from "./explain.ts";
import type { PeHeap } from "./heap-view.ts";
import { GenericAnalyses } from "./analyses.ts";
import { Worklist } from "./worklist.ts";
import { ValueEnv } from "./env.ts";
import { FlattenedArrayReused, materializer, OutputWriter, SpecializationAbandoned } from "./output.ts";
import { covers, type EntryState, joinStates, type Position, runtimePositions, SLOT, statesEqual } from "./state.ts";
import { BlockTranscriber } from "./transcribe.ts";
import { type EdgeState, entryValue, type PendingTerm, positionValue, type SpecializationScope, unitName } from "./scope.ts";
import { flattenedInOrder, NOTHING_FLATTENED, type SpecializationSignature } from "./signature.ts";
import { type KnownVal, RUNTIME_SLOT, type PeVal, runtimeSlot, type Slot } from "./values.ts";

export interface Budget {
  /** Generic instructions transcribed, summed over all units. */
  readonly maxInstructions: number;
  /** Distinct (block, context) units. */
  readonly maxUnits: number;
  readonly maxMillis: number;
}

/** Instructions transcribed between two readings of the clock for the time budget. */
const CLOCK_EVERY = 1024;

export const DEFAULT_BUDGET: Budget = { maxInstructions: 2_000_000, maxUnits: 50_000, maxMillis: 10_000 };

export interface SpecializationRequest {
  readonly module: Module;
  /** The module the output will belong to (its symbol, global and class ids must match `module`'s); default `module`. */
  readonly outputModule?: Module;
  /** The generic function (Lox level, with its context intrinsics). */
  readonly fn: IrFunction;
  /** Specialization constants by parameter index (Lox parameter k is index k + 2). */
  readonly constants: ReadonlyMap<number, KnownVal>;
  /** Parameters passed flattened (signature.ts): index → length; default none. */
  readonly flattened?: ReadonlyMap<number, number>;
  readonly heap: PeHeap;
  readonly budget?: Budget;
  /**
   * For a call of a specialization site whose constants are known: the
   * function (of the same module) that runs its specialization with that
   * signature (parameters `signatureParams`), requested if need be, or
   * null to keep the call generic.
   */
  readonly directCall?: (callee: IrFunction, signature: SpecializationSignature) => FuncId | null;
  /** Collects the explain report. */
  readonly explain?: ExplainLog;
  /** Analyses of `module`'s generic code kept across requests (default: computed for this one). */
  readonly analyses?: GenericAnalyses;
}

export interface SpecializationStats {
  readonly units: number;
  /** Of those, the units transcribed as part of another unit's block (`inlineUnit`). */
  readonly inlined: number;
  readonly contexts: number;
  readonly transcribed: number;
  /** Units transcribed, counting each time a unit whose state grew was transcribed again. */
  readonly transcriptions: number;
  readonly millis: number;
}

/** The stats of a request that failed before the partial evaluator ran. */
export const NO_SPECIALIZATION_STATS: SpecializationStats = { units: 0, inlined: 0, contexts: 0, transcribed: 0, transcriptions: 0, millis: 0 };

export type SpecializationResult =
  | { readonly ok: true; readonly body: FunctionBody; readonly stats: SpecializationStats }
  | { readonly ok: false; readonly reason: string; readonly stats: SpecializationStats };

interface Unit {
  readonly block: Block;
  readonly ctx: ContextId;
  state: EntryState;
  /** Edges into the unit once every state is final (counted before they are completed). */
  incoming: number;
  /** `runtimePositions(state)`, computed when first needed after the state changed. */
  positions: Position[] | null;
  out: Block | null;
  term: PendingTerm | null;
  queued: boolean;
  /** The units its transcription went on into, in order (`inlineUnit`). */
  inlines: InlineSite[];
}

/** A unit transcribed as part of another unit's block, from instruction `at` on, entered by `edge`. */
interface InlineSite {
  readonly key: number;
  readonly host: Unit;
  readonly at: number;
  readonly edge: EdgeState;
}


/** The state an edge brings to its target: its runtime values forgotten, their kinds kept. */
function generalize(edge: EdgeState): EntryState {
  const objects = new Map<number, readonly Slot[]>();
  for (const [id, elems] of edge.objects) objects.set(id, slotsOf(elems));
  return { slots: slotsOf(edge.values), objects };
}

function slotsOf(values: readonly PeVal[]): Slot[] {
  const out = new Array<Slot>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as PeVal;
    out[i] = v.kind === "runtime" ? runtimeSlot(v.kinds) : v;
  }
  return out;
}

class Specializer {
  /** Units by `unitKey`. */
  private readonly units = new Map<number, Unit>();
  /** Units transcribed inside another unit's block, by `unitKey` (never also in `units`). */
  private readonly inlined = new Map<number, InlineSite>();
  /** The unit being transcribed. */
  private host: Unit | null = null;
  private readonly worklist: Worklist<Unit>;
  /** Reverse-postorder position of each generic block. */
  private readonly rpoIndex: ReadonlyMap<Block, number>;
  private readonly out = new FunctionBody();
  private readonly scope: SpecializationScope;
  private readonly budget: Budget;
  private readonly started = performance.now();
  private transcribed = 0;
  /** When `charge` next reads the clock. */
  private clockAt = 0;
  private transcriptions = 0;
  private readonly outputModule: Module;

  constructor(private readonly request: SpecializationRequest, noFlattening: ReadonlySet<Value>) {
    this.budget = request.budget ?? DEFAULT_BUDGET;
    this.worklist = new Worklist<Unit>((a, b) => this.order(a.block, a.ctx, b.block, b.ctx));
    this.outputModule = request.outputModule ?? request.module;
    const analyses = request.analyses ?? new GenericAnalyses(request.module);
    if (analyses.module !== request.module) throw new Error("internal error: analyses of another module");
    const analysis = analyses.of(request.fn);
    this.rpoIndex = analysis.rpoIndex;
    this.scope = {
      module: request.module,
      generic: request.fn,
      liveIns: analysis.liveIns,
      chainable: analysis.chainable,
      compareSteps: analysis.compareSteps,
      constants: analysis.constants,
      heap: request.heap,
      stableGlobals: analyses.stableGlobals,
      neverReturning: analyses.neverReturning,
      pureResults: analyses.pureResults,
      heapFreePure: analyses.heapFreePure,
      contexts: new ContextTable(),
      loops: analysis.loops,
      iterations: new Map(),
      directCall: request.directCall ?? null,
      explain: request.explain ?? null,
      noFlattening,
      env: new ValueEnv(request.fn.body.valueCount),
      charge: (n) => this.charge(n),
      inlineUnit: (edge, at, snapshot) => this.inlineUnit(edge, at, snapshot),
    };
  }

  /** A unit's key: blocks and contexts are dense ids, so (context, block) numbers them all. */
  private unitKey(block: Block, ctx: ContextId): number {
    return ctx * this.request.fn.body.blockCount + block;
  }

  private rpo(b: Block): number {
    return this.rpoIndex.get(b) ?? -1;
  }

  private charge(n: number): void {
    this.transcribed += n;
    if (this.transcribed > this.budget.maxInstructions) {
      throw new SpecializationAbandoned(`over budget: more than ${this.budget.maxInstructions} instructions transcribed`);
    }
    // The clock is read every CLOCK_EVERY instructions (reading it per block showed in profiles).
    if (this.transcribed < this.clockAt) return;
    this.clockAt = this.transcribed + CLOCK_EVERY;
    if (performance.now() - this.started > this.budget.maxMillis) {
      throw new SpecializationAbandoned(`over budget: more than ${this.budget.maxMillis} ms`);
    }
  }

  stats(): SpecializationStats {
    return {
      units: this.units.size + this.inlined.size,
      inlined: this.inlined.size,
      contexts: this.scope.contexts.size,
      transcribed: this.transcribed,
      transcriptions: this.transcriptions,
      millis: performance.now() - this.started,
    };
  }

  run(): FunctionBody {
    const generic = this.request.fn.body;
    const entry = generic.entry;
    if (generic.blocks().some((b) => generic.successors(b).includes(entry))) {
      throw new SpecializationAbandoned("the entry block has predecessors");
    }
    // The entry unit: its output block is the output's entry, with the function's full signature.
    // A flattened parameter starts as a virtual array (named by the parameter) of the appended elements.
    const outEntry = this.out.addBlock();
    const entryParams = generic.blockParams(entry);
    const allParams = entryParams.map((p) => this.out.addParam(outEntry, generic.type(p)));
    const flattened = this.request.flattened ?? NOTHING_FLATTENED;
    const objects = new Map<number, Slot[]>();
    const slots: Slot[] = entryParams.map((p, i) => {
      const length = flattened.get(i);
      if (length === undefined) return this.request.constants.get(i) ?? RUNTIME_SLOT;
      objects.set(p, new Array<Slot>(length).fill(RUNTIME_SLOT));
      return { kind: "virtual", id: p };
    });
    // Runtime positions list virtual arrays by id, here the parameter values, which ascend with the index.
    if (entryParams.some((p, i) => i > 0 && p < (entryParams[i - 1] as Value))) throw new Error("internal error: entry parameters out of order");
    const elements = flattenedInOrder({ constants: this.request.constants, flattened })
      .flatMap(([, length]) => Array.from({ length }, () => this.out.addParam(outEntry, Type.val)));
    const state: EntryState = { slots, objects };
    const root: Unit = {
      block: entry, ctx: this.scope.contexts.root, state, incoming: 0, positions: null, out: outEntry, term: null, queued: false, inlines: [],
    };
    this.units.set(this.unitKey(entry, root.ctx), root);
    const runtimeParams = allParams.filter((_, i) => (slots[i] as Slot).kind === "runtime");
    this.transcribe(root, [...runtimeParams, ...elements]);
    for (let unit = this.worklist.pop(); unit !== undefined; unit = this.worklist.pop()) {
      unit.queued = false;
      if (this.out.isRemoved(entry as never)) throw new Error("internal error");
      const old = unit.out;
      if (old !== null) this.out.removeBlock(old);
      const block = this.out.addBlock();
      unit.out = block;
      const params = positionsOf(unit).map((p) => this.out.addParam(block, this.positionType(unit.block, p)));
      this.transcribe(unit, params);
    }
    // Units entered by one edge take that edge's values as themselves, without parameters.
    for (const unit of this.units.values()) {
      for (const edge of edgesOf(unit.term as PendingTerm)) {
        const target = this.units.get(this.unitKey(edge.block, edge.ctx)) as Unit;
        target.incoming++;
      }
    }
    for (const unit of this.units.values()) this.finish(unit);
    return this.out;
  }

  private positionType(block: Block, p: Position): Type {
    if (p.object !== SLOT) return Type.val;
    return this.request.fn.body.type(entryValue(this.scope, block, p.index));
  }

  private transcribe(unit: Unit, params: readonly Value[]): void {
    this.transcriptions++;
    // A transcription again starts a fresh block: what the last one went on into is no longer in it.
    for (const site of unit.inlines) this.forgetSite(site);
    unit.inlines = [];
    this.host = unit;
    const writer = new OutputWriter(this.outputModule, this.out, unit.out as Block);
    const key = this.scope.explain === null ? "" : unitName(unit.block, unit.ctx);
    unit.term = new BlockTranscriber(this.scope, unit.block, unit.ctx, unit.state, params, writer, key).run();
    this.host = null;
    for (const edge of edgesOf(unit.term)) this.arrive(edge);
  }

  /**
   * Whether the transcription of the current unit goes on into the unit
   * `edge` leads to (see `inlineUnit` in scope.ts): when that unit has not
   * been met yet and no pending unit comes before it in the worklist's
   * order, its only way in so far is this edge, and, in program order,
   * nothing else can reach it before it is transcribed. A straight run of
   * interpreted instructions then becomes one block with no parameters,
   * instead of a unit, a block, and parameters for every runtime value at
   * each instruction. An edge that later reaches it anyway cuts the host's
   * block there (`cut`).
   */
  private inlineUnit(edge: EdgeState, at: number, snapshot: () => EdgeState): boolean {
    const host = this.host;
    if (host === null) return false;
    const key = this.unitKey(edge.block, edge.ctx);
    if (this.units.has(key) || this.inlined.has(key)) return false;
    const first = this.worklist.peek();
    if (first !== undefined && this.order(first.block, first.ctx, edge.block, edge.ctx) <= 0) return false;
    this.checkUnitBudget();
    const site: InlineSite = { key, host, at, edge: snapshot() };
    host.inlines.push(site);
    this.inlined.set(key, site);
    return true;
  }

  /**
   * A second edge reached an inlined unit: its host's block ends where the
   * unit began, with the jump the unit was entered by, and the unit becomes
   * one of its own. What the host's transcription did after that point is
   * thrown away; the edges it had made already joined their targets'
   * states, which only makes those states more general (sound), and the
   * units only they reached stay unreachable.
   */
  private cut(site: InlineSite): void {
    const host = site.host;
    const index = host.inlines.indexOf(site);
    for (const dropped of host.inlines.splice(index)) this.forgetSite(dropped);
    const block = host.out as Block;
    this.out.setBlockInsts(block, this.out.blockInsts(block).slice(0, site.at));
    host.term = { kind: "jump", edge: site.edge };
    this.arrive(site.edge);
  }

  private forgetSite(site: InlineSite): void {
    if (this.inlined.get(site.key) !== site) return;
    this.inlined.delete(site.key);
    this.scope.explain?.forget(unitName(site.edge.block, site.edge.ctx));
  }

  /** Throws when one more unit (with its own block or inlined) would be over the budget. */
  private checkUnitBudget(): void {
    if (this.units.size + this.inlined.size >= this.budget.maxUnits) {
      throw new SpecializationAbandoned(`over budget: more than ${this.budget.maxUnits} (block, context) units`);
    }
  }

  /** The worklist's order on (block, context) pairs. */
  private order(blockA: Block, ctxA: ContextId, blockB: Block, ctxB: ContextId): number {
    return this.scope.contexts.compare(ctxA, ctxB) || this.rpo(blockA) - this.rpo(blockB);
  }

  /** Joins an edge's state into its target unit, queueing the unit if that changed it. */
  private arrive(edge: EdgeState): void {
    const key = this.unitKey(edge.block, edge.ctx);
    const site = this.inlined.get(key);
    if (site !== undefined) this.cut(site);
    let unit = this.units.get(key);
    if (unit === undefined) {
      this.checkUnitBudget();
      unit = {
        block: edge.block, ctx: edge.ctx, state: generalize(edge), incoming: 0, positions: null, out: null, term: null, queued: false, inlines: [],
      };
      this.units.set(key, unit);
    } else {
      if (covers(unit.state, edge.values, edge.objects)) return;
      const joined = joinStates(unit.state, generalize(edge));
      if (statesEqual(joined, unit.state)) return;
      unit.state = joined;
      unit.positions = null;
    }
    if (!unit.queued) {
      unit.queued = true;
      this.worklist.push(unit);
    }
  }

  /** Writes a unit's terminator, completing its edges. */
  private finish(unit: Unit): void {
    const term = unit.term;
    const from = unit.out;
    if (term === null || from === null) throw new Error("internal error: a unit was never transcribed");
    const writer = new OutputWriter(this.outputModule, this.out, from);
    const single = term.kind === "jump";
    const target = (edge: EdgeState): BlockTarget => this.completeEdge(writer, edge, single);
    switch (term.kind) {
      case "jump": this.out.setTerminator(from, { kind: "jump", target: target(term.edge) }); return;
      case "br": this.out.setTerminator(from, { kind: "br", cond: term.cond, then: target(term.then), else: target(term.else) }); return;
      case "switch":
        this.out.setTerminator(from, { kind: "switch", value: term.value, targets: term.targets.map(target), default: target(term.default) });
        return;
      case "return": this.out.setTerminator(from, { kind: "return", value: term.value }); return;
      case "unreachable": this.out.setTerminator(from, { kind: "unreachable" }); return;
    }
  }

  /**
   * The branch target for an edge: the target unit's block with the values
   * of its runtime positions (or, for a unit with no other edge in, the
   * block, its parameters made aliases of those values). Constants and
   * materializations are emitted in the source block when it has a single
   * successor, else in a block of their own on the edge.
   */
  private completeEdge(source: OutputWriter, edge: EdgeState, single: boolean): BlockTarget {
    const unit = this.units.get(this.unitKey(edge.block, edge.ctx)) as Unit;
    const positions = positionsOf(unit);
    const values = new Array<PeVal>(positions.length);
    let needsCode = false;
    for (let i = 0; i < positions.length; i++) {
      const v = positionValue(edge, positions[i] as Position);
      values[i] = v;
      if (v.kind !== "runtime") needsCode = true;
    }
    let writer = source;
    let edgeBlock: Block | null = null;
    if (needsCode && !single) {
      edgeBlock = this.out.addBlock();
      writer = new OutputWriter(this.outputModule, this.out, edgeBlock);
    }
    // The materializer is made at the first virtual array (most edges have none).
    let materialize: ((id: number) => Value) | null = null;
    const make = (id: number): Value => (materialize ??= materializer(writer, (k) => edge.objects.get(k), new Map()))(id);
    let args = new Array<Value>(values.length);
    for (let i = 0; i < values.length; i++) args[i] = writer.value(values[i] as PeVal, make);
    const block = unit.out as Block;
    if (unit.incoming === 1 && block !== this.out.entry) {
      // The only way in: each parameter is the value passed (defined before the edge, so it dominates the unit).
      this.out.removeParams(block).forEach((p, i) => this.out.setAlias(p, args[i] as Value));
      args = [];
    }
    const target: BlockTarget = { block, args };
    if (edgeBlock === null) return target;
    this.out.setTerminator(edgeBlock, { kind: "jump", target });
    return { block: edgeBlock, args: [] };
  }
}

function positionsOf(unit: Unit): Position[] {
  unit.positions ??= runtimePositions(unit.state);
  return unit.positions;
}

function edgesOf(term: PendingTerm): EdgeState[] {
  switch (term.kind) {
    case "jump": return [term.edge];
    case "br": return [term.then, term.else];
    case "switch": return [...term.targets, term.default];
    default: return [];
  }
}

/**
 * Specializes `request.fn` on its constants. On success the result is a
 * new function body with the generic signature (the constant parameters
 * are ignored), already cleaned up by the -O2 pipeline.
 */
export function specializeFunction(request: SpecializationRequest): SpecializationResult {
  // A call that passed an array flattened and then used it again starts the request over with that call passing it whole.
  const noFlattening = new Set<Value>();
  for (;;) {
    const specializer = new Specializer(request, noFlattening);
    try {
      return { ok: true, body: specializer.run(), stats: specializer.stats() };
    } catch (e) {
      if (e instanceof FlattenedArrayReused && !noFlattening.has(e.call)) {
        noFlattening.add(e.call);
        continue;
      }
      if (e instanceof SpecializationAbandoned) return { ok: false, reason: e.message, stats: specializer.stats() };
      throw e;
    }
  }
}

/** Runs the -O2 pipeline on a specialized function (in its module). */
export function optimizeSpecialized(module: Module, fn: IrFunction): void {
  for (const pass of resolvePipeline(PIPELINES["specialized"] as readonly string[])) pass.run(module, fn);
}
