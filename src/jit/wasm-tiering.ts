/**
 * Tiering for the Wasm engine (DESIGN.md §8): the dispatch prologue of
 * every `@specialize` function calls `rt.jitEnter`, which lands here. Calls
 * are counted per specialization constant; past the threshold the partial
 * evaluator specializes the function's Lox-level IR (kept from compilation)
 * on the constant, reading the program's live heap, and the result is
 * compiled into a new module linked into the running program (same memory,
 * table, runtime), installed in a fresh table slot, and returned: from then
 * on the prologue calls it directly.
 *
 * One request is one batch: the function asked for plus the specialized
 * callees the partial evaluator discovers (direct calls inside the batch's
 * module; calls to earlier batches go through their prologue). A function
 * whose specialization fails forwards to the generic code. Objects the code
 * embeds, and the keys, are pinned as GC roots (the collector does not move
 * objects, so addresses stay valid).
 */
import {
  type FuncId, FunctionBody, FunctionBuilder, type IrFunction, Module, Op, printFunction, Type, ValueKind,
} from "../ir/index.ts";
import {
  ExplainLog, GenericAnalyses, genericArguments, NO_SPECIALIZATION_STATS, NOTHING_FLATTENED, optimizeSpecialized, SPECIALIZATION_ATTRIBUTE, specializationAttribute, specializationLabel,
  specializeFunction, type SpecializationSignature, signatureKey, signatureParams,
} from "../pe/index.ts";
import { bitsToVal } from "../runtime/boxing.ts";
import { readLineTable } from "../backend/encoder/line-table.ts";
import { linkModuleNow } from "./link.ts";
import { LineMap } from "./trace.ts";
import type { ProgramMeta } from "./metadata.ts";
import { knownFromRuntime, RuntimeHeapView } from "./pe-heap.ts";
import { checkSpecialized, DEFAULT_JIT_THRESHOLD, explainText, type JitWork, type TieringOptions } from "./ir-tiering.ts";
import type { ProgramInstance } from "./wasm-engine.ts";

/** What compilation keeps for run-time specialization. */
export interface SpecializationSource {
  /** The program's functions at the Lox level, optimized, before lowering (same ids as the program's). */
  readonly module: Module;
  /** `@specialize` functions by id, with the index of their (single) constant parameter. */
  readonly sites: ReadonlyMap<FuncId, number>;
}

interface Member {
  readonly key: string;
  readonly generic: IrFunction;
  readonly target: IrFunction;
  readonly signature: SpecializationSignature;
}

/** A module whose symbol, global and class tables have the same ids as `source`'s. */
function mirrorTables(source: Module): Module {
  const m = new Module();
  m.slotOwner = source;
  for (let i = 0; i < source.symbolCount; i++) m.symbol(source.symbolText(i as never));
  for (let i = 0; i < source.globalCount; i++) m.global(source.globalName(i as never));
  for (const c of source.classes) m.addClass(c.name, c.attributes);
  return m;
}

function refersToFunctions(fn: IrFunction): boolean {
  const body = fn.body;
  return body.blocks().some((b) => body.blockInsts(b).some((v) => body.kind(v) === ValueKind.inst && body.opcode(v) === Op.loxClosure));
}

export class WasmTiering {
  readonly work: JitWork = { millis: 0, size: 0, functions: 0 };
  /** Table slot per key; 0 for keys whose specialization failed (the generic code runs). */
  private readonly slots = new Map<string, number>();
  private readonly counts = new Map<string, number>();
  private readonly view: RuntimeHeapView;
  private readonly threshold: number;
  private readonly analyses: GenericAnalyses;

  constructor(
    private readonly source: SpecializationSource, private readonly program: ProgramInstance,
    private readonly meta: ProgramMeta, private readonly options: TieringOptions,
  ) {
    this.view = new RuntimeHeapView(program.heap);
    this.analyses = new GenericAnalyses(source.module);
    this.threshold = options.mode === "eager" ? 0 : (options.threshold ?? DEFAULT_JIT_THRESHOLD);
  }

  /** Installs the policy behind `rt.jitEnter` (nothing for `off`). */
  install(): void {
    if (this.options.mode === "off" || this.source.sites.size === 0) return;
    this.program.runtime.jitEnter = (func, lo, hi) => this.enter(func, lo, hi);
  }

  enter(func: number, lo: number, hi: number): number {
    const param = this.source.sites.get(func as FuncId);
    if (param === undefined) return 0;
    const known = knownFromRuntime(this.program.heap, bitsToVal((BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0)));
    if (known === null) return 0;
    const generic = this.source.module.func(func as FuncId);
    const signature = { constants: new Map([[param, known]]), flattened: NOTHING_FLATTENED };
    const key = signatureKey(generic, signature);
    const slot = this.slots.get(key);
    if (slot !== undefined) return slot;
    const count = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, count);
    if (count <= this.threshold) return 0;
    const started = performance.now();
    try {
      this.specializeBatch(key, generic, signature);
    } catch (e) {
      // A failure of the JIT itself must not take the program down: the generic code runs.
      this.slots.set(key, 0);
      const reason = `internal error in the JIT: ${e instanceof Error ? e.message : String(e)}`;
      this.options.report?.({ kind: "abandoned", generic: generic.name, reason, stats: NO_SPECIALIZATION_STATS, explain: null });
    }
    this.work.millis += performance.now() - started;
    return this.slots.get(key) ?? 0;
  }

  private specializeBatch(key: string, generic: IrFunction, signature: SpecializationSignature): void {
    const module = mirrorTables(this.source.module);
    const members: Member[] = [];
    const byKey = new Map<string, Member>();
    const reserve = (k: string, fn: IrFunction, sig: SpecializationSignature): Member => {
      const params = signatureParams(fn, sig);
      const target = module.addFunction(fn.name, params, fn.result, [specializationAttribute(this.slots.size + members.length + 1)], fn.line);
      const member = { key: k, generic: fn, target, signature: sig };
      members.push(member);
      byKey.set(k, member);
      return member;
    };
    reserve(key, generic, signature);
    const pins: number[] = [];
    const started = performance.now();
    let specializing = 0;
    let optimizing = 0;
    for (let i = 0; i < members.length; i++) {
      const member = members[i] as Member;
      const explain = this.options.explain === true ? new ExplainLog() : null;
      const specializeStart = performance.now();
      const result = specializeFunction({
        ...(explain === null ? {} : { explain }),
        module: this.source.module, outputModule: module, fn: member.generic, heap: this.view,
        constants: member.signature.constants, flattened: member.signature.flattened, analyses: this.analyses,
        directCall: (callee, calleeSignature) => {
          if (!this.source.sites.has(callee.id)) return null;
          const k = signatureKey(callee, calleeSignature);
          if (this.slots.has(k)) return null;
          return (byKey.get(k) ?? reserve(k, callee, calleeSignature)).target.id;
        },
      });
      specializing += performance.now() - specializeStart;
      if (result.ok) {
        member.target.body = result.body;
        if (!refersToFunctions(member.target)) {
          const optimizeStart = performance.now();
          optimizeSpecialized(module, member.target);
          optimizing += performance.now() - optimizeStart;
          checkSpecialized(this.options, module, member.target);
          pins.push(...embeddedObjects(member.target));
          const name = specializationLabel(member.target) ?? member.target.name;
          this.options.report?.({
            kind: "specialized", generic: member.generic.name, name, stats: result.stats,
            instructions: member.target.body.blocks().reduce((n, b) => n + member.target.body.blockInsts(b).length, 0),
            explain: explainText(explain, name),
            ir: this.options.printIr === true ? printFunction(module, member.target) : null,
          });
          continue;
        }
        this.options.report?.({
          kind: "abandoned", generic: member.generic.name, reason: "the specialized code creates closures", stats: result.stats,
          explain: explainText(explain, member.generic.name),
        });
      } else {
        this.options.report?.({
          kind: "abandoned", generic: member.generic.name, reason: result.reason, stats: result.stats,
          explain: explainText(explain, member.generic.name),
        });
      }
      forwardToGeneric(module, member);
      this.slots.set(member.key, 0);
    }
    const linked = linkModuleNow(this.program, this.meta, module);
    this.work.size += linked.bytes;
    const functions = members.filter((m) => this.slots.get(m.key) !== 0).length;
    this.options.report?.({
      kind: "linked", functions, bytes: linked.bytes,
      times: { specialize: specializing, optimize: optimizing, ...linked.times, total: performance.now() - started },
    });
    const lines = LineMap.fromTable(readLineTable(linked.module));
    const heap = this.program.heap;
    for (const addr of pins) heap.pin(BigInt(addr));
    for (const member of members) {
      if (this.slots.get(member.key) === 0) continue;
      for (const c of member.signature.constants.values()) if (c.kind === "ref") heap.pin(BigInt(c.addr));
      const exported = linked.functions.get(member.target.id);
      if (exported === undefined) throw new Error(`internal error: linked module lacks ${member.target.name}`);
      const number = member.target.attributes.find((a) => a.name === SPECIALIZATION_ATTRIBUTE)?.args[0] as number;
      this.program.specializedFrames.set(number, { name: member.generic.name, lines });
      const slot = this.program.table.grow(1);
      this.program.table.set(slot, exported as never);
      this.work.functions++;
      this.slots.set(member.key, slot);
    }
  }
}

/** Heap addresses specialized code embeds (`lox.object`). */
function embeddedObjects(fn: IrFunction): number[] {
  const body = fn.body;
  const out: number[] = [];
  for (const b of body.blocks()) {
    for (const v of body.blockInsts(b)) if (body.opcode(v) === Op.loxObject) out.push(body.imm(v) >>> 0);
  }
  return out;
}

/** A member whose specialization failed calls the generic function through its table slot (its id in the program). */
function forwardToGeneric(module: Module, member: Member): void {
  const fn = member.target;
  fn.body = new FunctionBody();
  const b = new FunctionBuilder(fn.body, module);
  const entry = b.newBlock();
  b.switchTo(entry);
  const params = fn.params.map((t) => b.param(entry, t));
  const args = genericArguments(b, member.generic, member.signature, params);
  const slot = b.i32(member.generic.id);
  b.ret(b.inst(Op.callLox, [slot, ...args], 0, Type.val));
}
