/**
 * Linking code made at run time into a running program (DESIGN.md §8): a
 * module of new Lox functions is lowered against the program's live heap
 * (its strings, globals), compiled as a linked module that imports the
 * program's memory, function table, shadow stack pointer and runtime, and
 * instantiated; its functions can then be installed in table slots, where
 * closures and `call.lox` reach them.
 */
import { setFlagsFromString } from "node:v8";
import { type BackendKind, compileModule, encodeDirect, wasmFunctionName } from "../backend/index.ts";
import type { ClassId, GlobalId, Module, SymbolId } from "../ir/index.ts";
import { CacheCells, type ImageAddresses, lowerLox } from "../passes/lower-lox.ts";
import { inlineHelpers } from "../passes/inline-helpers.ts";
import { spillRoots } from "../passes/spill-roots.ts";
import { helperSpec } from "../runtime/wasm-lib/helpers.ts";
import { RuntimeLibrary } from "../runtime/wasm-lib/library.ts";
import { EMPTY_IMAGE } from "../runtime/memory.ts";
import type { ProgramMeta } from "./metadata.ts";
import type { ProgramInstance } from "./wasm-engine.ts";

export interface LinkedModule {
  readonly module: WebAssembly.Module;
  /** Size of the module's binary. */
  readonly bytes: number;
  /** Exported Lox functions, by IR function id of the linked module. */
  readonly functions: ReadonlyMap<number, (...args: bigint[]) => bigint>;
}

/** Milliseconds of each step of `linkModuleNow`. */
export interface LinkTimes {
  /** Lox-level IR to machine level: lowering, helper inlining, GC roots. */
  readonly lower: number;
  /** The direct encoder: machine IR to Wasm bytes. */
  readonly encode: number;
  /** V8 compiling the module (all of it, eagerly) and instantiating it. */
  readonly compile: number;
}

/** Addresses in the running program's heap for code compiled now. */
export function liveAddresses(program: ProgramInstance, meta: ProgramMeta, module: Module): ImageAddresses {
  const heap = program.heap;
  const globalIds = new Map(meta.globals.map((name, id) => [name, id]));
  return {
    symbol: (id: SymbolId) => heap.intern(module.symbolText(id)),
    className: (id: ClassId) => heap.intern(module.classDecl(id).name),
    globalSlot: (id: GlobalId) => {
      const programId = globalIds.get(module.globalName(id));
      if (programId === undefined) throw new Error(`internal error: the program has no global '${module.globalName(id)}'`);
      return heap.globalAddr(programId);
    },
  };
}

/** Lox-level functions to machine level, against the running program's heap. */
function lowerForLinking(program: ProgramInstance, meta: ProgramMeta, module: Module, caches: CacheCells): void {
  const lib = new RuntimeLibrary(module, helperSpec);
  lowerLox(module, lib, liveAddresses(program, meta, module), caches, false);
  for (const fn of module.functions) inlineHelpers(module, fn);
  for (const fn of module.functions) spillRoots(module, fn, lib);
}

const LINKED_OPTIONS = { optLevel: 2, image: EMPTY_IMAGE, sourceMap: false, linked: true } as const;

export async function linkModule(
  program: ProgramInstance, meta: ProgramMeta, module: Module, caches: CacheCells = new CacheCells(0, 0),
  backend: BackendKind = "direct",
): Promise<LinkedModule> {
  lowerForLinking(program, meta, module, caches);
  const artifact = await compileModule(module, { backend, ...LINKED_OPTIONS });
  return instantiateLinked(program, module, artifact.binary);
}

/**
 * The same with the direct encoder, synchronously: for code compiled while
 * the program runs (a host import cannot wait for a promise).
 */
export function linkModuleNow(program: ProgramInstance, meta: ProgramMeta, module: Module): LinkedModule & { readonly times: LinkTimes } {
  const started = performance.now();
  lowerForLinking(program, meta, module, new CacheCells(0, 0));
  const lowered = performance.now();
  const binary = encodeDirect(module, { backend: "direct", ...LINKED_OPTIONS }).binary;
  const encoded = performance.now();
  const linked = instantiateLinked(program, module, binary);
  return { ...linked, times: { lower: lowered - started, encode: encoded - lowered, compile: performance.now() - encoded } };
}

function instantiateLinked(program: ProgramInstance, module: Module, binary: Uint8Array): LinkedModule {
  // V8 compiles a module's functions lazily, at their first call, by
  // default. Code made at run time is called at once, so compiling it all
  // now costs the same and counts where it belongs, in the JIT's time
  // (measured: sieve.bagel's run outside the JIT dropped by ~50 ms, the
  // TurboFan compilation of its 35 KB of specialized code).
  setFlagsFromString("--no-wasm-lazy-compilation");
  let wasmModule: WebAssembly.Module;
  try {
    wasmModule = new WebAssembly.Module(binary);
  } finally {
    setFlagsFromString("--wasm-lazy-compilation");
  }
  const instance = new WebAssembly.Instance(wasmModule, {
    env: { memory: program.memory, table: program.table, ssp: program.ssp },
    rt: program.imports,
  });
  const functions = new Map<number, (...args: bigint[]) => bigint>();
  for (const fn of module.functions) {
    if (fn.kind !== "lox") continue;
    const exported = instance.exports[wasmFunctionName(fn)];
    if (typeof exported === "function") functions.set(fn.id, exported as (...args: bigint[]) => bigint);
  }
  return { module: wasmModule, bytes: binary.length, functions };
}
