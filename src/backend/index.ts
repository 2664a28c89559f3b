/**
 * The Wasm backend: a machine-level IR module (after lower-lox and
 * spill-roots) to a WebAssembly binary, by the direct encoder (encoder/) or
 * through binaryen — the only part of Sa that uses binaryen.
 *
 * The module it builds (docs/wasm-engine.md): memory exported as `memory`
 * with the initial heap image as data segments; a funcref `table` (exported)
 * whose slot i holds IR function i when it is a Lox function; the mutable
 * global `ssp` (exported) for the shadow stack; imports from `rt`; the
 * entry function exported as `main`; a name section (function names
 * `f<id>_<name>`, which runtime error traces read back) and, on request, a
 * source map from code offsets to Lox lines. It validates the module, and
 * optimizes at -O2.
 */
import type { BackendKind } from "../config.ts";
import { type IrFunction, type Module, Op } from "../ir/index.ts";
import { MAX_MEMORY_PAGES, PAGE_SIZE, SHADOW_STACK_BASE } from "../runtime/layout.ts";
import type { MemoryImage } from "../runtime/memory.ts";
import { type Binaryen, loadBinaryen } from "./binaryen-loader.ts";
import { FunctionCodegen, type WasmNames, wasmType } from "./codegen.ts";
import { encodeModule } from "./encoder/module.ts";
import { IrreducibleControlFlow } from "./encoder/structure.ts";

export { loadBinaryen } from "./binaryen-loader.ts";

export { BACKENDS, type BackendKind } from "../config.ts";

export interface BackendOptions {
  readonly backend?: BackendKind;
  /** binaryen only: 0, no binaryen optimization; 2, binaryen -O2. */
  readonly optLevel: 0 | 2;
  /** Linear memory contents (the initial heap image). */
  readonly image: MemoryImage;
  /** Emit a source map (needed for the lines of outer frames in runtime error traces). */
  readonly sourceMap: boolean;
  /** Custom sections to embed (name -> bytes), e.g. program metadata. */
  readonly customSections?: ReadonlyMap<string, Uint8Array>;
  /** Print binaryen's text format of the final module (debugging). */
  readonly text?: boolean;
  /**
   * Build a module that links into a running program instead of a program:
   * memory, table and `ssp` are imported from `env`, there is no image and
   * no table segment, and every Lox function is exported by its Wasm name
   * for the runtime to install into the program's table.
   */
  readonly linked?: boolean;
}

export interface WasmArtifact {
  readonly binary: Uint8Array;
  readonly sourceMap: string | null;
  readonly text: string | null;
}

const PREFIX: Record<IrFunction["kind"], string> = { lox: "f", helper: "h", import: "i" };

/**
 * The Wasm name of an IR function: `f<id>_<name>` for Lox functions,
 * `h<id>_` for helpers, `i<id>_` for imports (traces parse the id back; the
 * `f` prefix alone marks what binaryen must not inline). Code the partial
 * evaluator made (`@specialization(n)`) is `f<id>s<n>_<name>`: traces find
 * it by `n`, which is unique in a run; the dispatch stub of an
 * `@specialize` function is `f<id>d_<name>` (traces leave it out).
 */
export function wasmFunctionName(fn: IrFunction): string {
  const specialization = fn.attributes.find((a) => a.name === "specialization")?.args[0];
  const dispatch = fn.attributes.some((a) => a.name === "dispatch");
  const tag = specialization !== undefined ? `s${String(specialization)}` : dispatch ? "d" : "";
  return `${PREFIX[fn.kind]}${fn.id}${tag}_${fn.name.replace(/[^A-Za-z0-9_.]/g, "_")}`;
}

/** The IR function id in a Wasm function name, or null. */
export function functionIdOfName(name: string): number | null {
  const m = /^[fhi](\d+)_/.exec(name);
  return m === null ? null : Number(m[1]);
}

const HOLE = "$table_hole";

/** Functions that some `call` names (helpers nobody calls, e.g. all inlined, are not emitted). */
function calledFunctions(module: Module): Set<number> {
  const called = new Set<number>();
  for (const fn of module.functions) {
    if (fn.kind === "import") continue;
    for (const b of fn.body.blocks()) {
      for (const v of fn.body.blockInsts(b)) if (fn.body.opcode(v) === Op.call) called.add(fn.body.imm(v));
    }
  }
  return called;
}

function features(b: Binaryen): number {
  const F = b.Features;
  return F.MutableGlobals | F.NontrappingFPToInt | F.BulkMemory | F.BulkMemoryOpt | F.SignExt;
}

/**
 * Builds the module with the chosen backend. The direct encoder needs a
 * reducible CFG, which everything Sa generates has; code that is not (hand
 * written IR) goes through binaryen, whose Relooper takes any CFG.
 */
export async function compileModule(module: Module, options: BackendOptions): Promise<WasmArtifact> {
  if ((options.backend ?? "direct") === "direct") {
    try {
      return encodeDirect(module, options);
    } catch (e) {
      if (!(e instanceof IrreducibleControlFlow)) throw e;
    }
  }
  return compileWithBinaryen(module, options);
}

/** The direct encoder; the line table travels in the module (section `sa.lines2`), so there is no source map. */
export function encodeDirect(module: Module, options: BackendOptions): WasmArtifact {
  const called = calledFunctions(module);
  const binary = encodeModule(module, {
    image: options.image,
    linked: options.linked === true,
    functionName: wasmFunctionName,
    emitted: (fn) => fn.kind === "lox" || called.has(fn.id),
    ...(options.customSections !== undefined ? { customSections: options.customSections } : {}),
  });
  return { binary, sourceMap: null, text: null };
}

async function compileWithBinaryen(module: Module, options: BackendOptions): Promise<WasmArtifact> {
  const b = await loadBinaryen();
  b.setDebugInfo(options.sourceMap);
  const m = new b.Module();
  try {
    m.setFeatures(features(b));
    const fileIndex = options.sourceMap ? m.addDebugInfoFileName("program.lox") : 0;
    const names: WasmNames = {
      func: (id) => wasmFunctionName(module.func(id as never)),
      table: "table",
      ssp: "ssp",
    };
    const linked = options.linked === true;
    if (linked) {
      m.setMemory(1, MAX_MEMORY_PAGES, null, []);
      m.addMemoryImport("0", "env", "memory");
      m.addTable("table", 0, 0xffffffff);
      m.addTableImport("table", "env", "table");
      m.addGlobalImport("ssp", "env", "ssp", b.i32, true);
    } else {
      // Memory with the image.
      const pages = Math.max(1, Math.ceil(options.image.size / PAGE_SIZE) + 1);
      const segments = options.image.segments.map((seg) => ({ offset: m.i32.const(seg.offset), data: seg.bytes, passive: false }));
      m.setMemory(pages, MAX_MEMORY_PAGES, "memory", segments);
      m.addGlobal("ssp", b.i32, true, m.i32.const(SHADOW_STACK_BASE));
      m.addGlobalExport("ssp", "ssp");
    }
    // Imports first, then bodies.
    for (const fn of module.functions) {
      if (fn.kind !== "import") continue;
      const [mod, base] = fn.name.includes(".") ? fn.name.split(".", 2) as [string, string] : ["rt", fn.name];
      m.addFunctionImport(names.func(fn.id), mod, base, b.createType(fn.params.map((t) => wasmType(b, t))), wasmType(b, fn.result));
    }
    const debug: [number, number, number][] = [];
    const called = calledFunctions(module);
    for (const fn of module.functions) {
      if (fn.kind === "import" || (fn.kind === "helper" && !called.has(fn.id))) continue;
      const located = new FunctionCodegen(b, m, module, fn, names).emit();
      if (options.sourceMap) {
        const ref = m.getFunction(names.func(fn.id));
        for (const [expr, line] of located) debug.push([ref, expr, line]);
      }
    }
    for (const [ref, expr, line] of debug) m.setDebugLocation(ref, expr, fileIndex, line, 0);
    if (linked) {
      for (const fn of module.functions) if (fn.kind === "lox") m.addFunctionExport(names.func(fn.id), names.func(fn.id));
    } else {
      // The function table: slot i is IR function i when it is a Lox function.
      m.addFunction(HOLE, b.none, b.none, [], m.unreachable());
      const slots = module.functions.map((fn) => (fn.kind === "lox" ? names.func(fn.id) : HOLE));
      m.addTable("table", slots.length, 0xffffffff);
      m.addActiveElementSegment("table", "lox_functions", slots, m.i32.const(0));
      m.addTableExport("table", "table");
      if (module.entry !== null) m.addFunctionExport(names.func(module.entry), "main");
    }
    for (const [name, bytes] of options.customSections ?? []) m.addCustomSection(name, bytes);
    if (!m.validate()) throw new Error("internal error: binaryen rejected the generated module (see the validation messages above)");
    if (options.optLevel === 2) {
      b.setOptimizeLevel(2);
      b.setShrinkLevel(0);
      b.setPassArgument("no-inline", "f*");
      m.runPasses(["no-inline"]);
      m.optimize();
    }
    const text = options.text === true ? m.emitText() : null;
    if (options.sourceMap) {
      const out = m.emitBinary("program.map");
      return { binary: out.binary, sourceMap: out.sourceMap, text };
    }
    return { binary: m.emitBinary(), sourceMap: null, text };
  } finally {
    m.dispose();
  }
}
