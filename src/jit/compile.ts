/**
 * Ahead-of-time compilation of a Lox program to a WebAssembly module:
 * lower to IR, optimize it, build the initial heap image, lower Lox ops to
 * machine IR with the runtime library, make GC roots precise
 * (spill-roots), and encode the module with the program metadata and its
 * code-offset-to-line table. Each stage is timed.
 */
import { type BackendKind, compileModule, type WasmArtifact } from "../backend/index.ts";
import { type FuncId, type Module, printModule } from "../ir/index.ts";
import { addDispatchPrologues } from "./dispatch-prologue.ts";
import { specializedParams } from "../pe/index.ts";
import type { SpecializationSource } from "./wasm-tiering.ts";
import { lowerProgram } from "../lower/index.ts";
import { PIPELINES, runPipeline } from "../passes/index.ts";
import { CacheCells, lowerLox } from "../passes/lower-lox.ts";
import { inlineHelpers } from "../passes/inline-helpers.ts";
import { spillRoots } from "../passes/spill-roots.ts";
import type { FrontEndResult } from "../sema/index.ts";
import { helperSpec } from "../runtime/wasm-lib/helpers.ts";
import { RuntimeLibrary } from "../runtime/wasm-lib/library.ts";
import { buildImage } from "./image.ts";
import type { MemoryImage } from "../runtime/memory.ts";
import { encodeMeta, META_SECTION, programMeta, type ProgramMeta } from "./metadata.ts";

export interface CompileOptions {
  readonly opt: "O0" | "O2";
  /** The Wasm encoder (default `direct`). */
  readonly backend?: BackendKind;
  /** Route every allocation through the runtime (needed for `--gc-stress`). */
  readonly gcStress?: boolean;
  /** Embed the optimized Lox-level IR (section `sa.ir`), which run-time specialization starts from. */
  readonly withIr?: boolean;
  /** Keep the Lox-level IR in memory and give `@specialize` functions a dispatch prologue, for tiering. */
  readonly keepForJit?: boolean;
}

/** Custom section holding the source map (code offsets to Lox lines), for traces of a stored module. */
export const LINES_SECTION = "sa.lines";
/** Custom section holding the Lox-level IR in its text form. */
export const IR_SECTION = "sa.ir";

export interface CompiledProgram {
  readonly artifact: WasmArtifact;
  readonly meta: ProgramMeta;
  /** Milliseconds per stage. */
  readonly timings: ReadonlyMap<string, number>;
  /** What run-time specialization needs (null without `keepForJit` or without `@specialize` functions). */
  readonly specialization: SpecializationSource | null;
}

/** `@specialize` functions with one constant parameter (the form the dispatch prologue handles). */
function jitSites(module: Module): Map<FuncId, number> {
  const sites = new Map<FuncId, number>();
  for (const fn of module.functions) {
    const params = specializedParams(fn);
    if (params !== null && params.length === 1) sites.set(fn.id, params[0] as number);
  }
  return sites;
}

/**
 * Lox-level module to machine-level module, ready for the backend.
 * `jitSites`: `@specialize` functions (by id, with the index of their
 * constant parameter) that get a dispatch prologue for run-time tiering.
 */
export function lowerToMachine(module: Module, jitSites: ReadonlyMap<FuncId, number> = new Map()): { meta: ProgramMeta; image: MemoryImage } {
  const image = buildImage(module);
  const lib = new RuntimeLibrary(module, helperSpec);
  addDispatchPrologues(module, lib, jitSites);
  lowerLox(module, lib, image.addresses, new CacheCells());
  for (const fn of module.functions) inlineHelpers(module, fn);
  for (const fn of module.functions) spillRoots(module, fn, lib);
  return { meta: programMeta(module, image.strings), image: image.memory };
}

export async function compileProgram(front: FrontEndResult, options: CompileOptions): Promise<CompiledProgram> {
  const timings = new Map<string, number>();
  let t = performance.now();
  const lap = (name: string): void => {
    const now = performance.now();
    timings.set(name, now - t);
    t = now;
  };
  const module = lowerProgram(front);
  lap("lower");
  runPipeline(module, PIPELINES[options.opt] ?? []);
  lap("optimize IR");
  const ir = options.withIr === true ? printModule(module) : null;
  let specialization: SpecializationSource | null = null;
  const sites = options.keepForJit === true ? jitSites(module) : new Map<FuncId, number>();
  if (sites.size > 0) {
    // Lowering is deterministic: a second lowering gives the same ids, and stays at the Lox level.
    const kept = lowerProgram(front);
    runPipeline(kept, PIPELINES[options.opt] ?? []);
    specialization = { module: kept, sites };
    lap("keep IR for the JIT");
  }
  const { meta, image } = lowerToMachine(module, sites);
  lap("lower to machine");
  const sections = new Map([[META_SECTION, encodeMeta(meta)]]);
  if (ir !== null) sections.set(IR_SECTION, new TextEncoder().encode(ir));
  const backend = options.backend ?? "direct";
  const artifact = await compileModule(module, {
    backend,
    optLevel: options.opt === "O2" ? 2 : 0,
    image,
    sourceMap: true,
    customSections: sections,
  });
  lap(backend === "direct" ? "encode" : "binaryen");
  return { artifact, meta, timings, specialization };
}
