/**
 * Encodes a machine-level IR module as a WebAssembly binary
 * (https://webassembly.github.io/spec/core/binary/modules.html), the same
 * module the binaryen backend builds (see ../index.ts): memory, table and
 * `ssp` defined and exported for a program, or imported from `env` for a
 * module linked into a running program; runtime imports from `rt`; Lox
 * functions in the table at their IR ids; `main`; a name section; the
 * caller's custom sections; and the line table (line-table.ts).
 *
 * Function indices: imports first, in IR order, then the defined functions
 * in IR order (Lox functions and the helpers some `call` names), then, for
 * a program, the function that fills the table's holes.
 */
import type { IrFunction, Module } from "../../ir/index.ts";
import { MAX_MEMORY_PAGES, PAGE_SIZE, SHADOW_STACK_BASE } from "../../runtime/layout.ts";
import type { MemoryImage } from "../../runtime/memory.ts";
import { ByteWriter } from "./bytes.ts";
import { encodeFunction, type EncodedFunction } from "./function.ts";
import { customSection, encodeLineTable, LINE_TABLE_SECTION } from "./line-table.ts";
import { ValType, valType, W } from "./wasm-opcodes.ts";

export interface EncodeOptions {
  /** Linear memory contents (the initial heap image); unused when linked. */
  readonly image: MemoryImage;
  readonly linked: boolean;
  /** Name of each function in the name section. */
  readonly functionName: (fn: IrFunction) => string;
  /** Which helpers to emit (the others are never called). */
  readonly emitted: (fn: IrFunction) => boolean;
  readonly customSections?: ReadonlyMap<string, Uint8Array>;
}

const Section = { custom: 0, type: 1, import: 2, function: 3, table: 4, memory: 5, global: 6, export: 7, element: 9, code: 10, data: 11 } as const;
const ExternalKind = { func: 0, table: 1, memory: 2, global: 3 } as const;
const FUNC_TYPE = 0x60;
const NO_MAXIMUM_TABLE = 0xffffffff;

/** Function types, deduplicated. */
class TypeTable {
  private readonly index = new Map<string, number>();
  readonly entries: [readonly number[], readonly number[]][] = [];

  of(params: readonly number[], results: readonly number[]): number {
    const key = `${params.join(",")}:${results.join(",")}`;
    let i = this.index.get(key);
    if (i === undefined) {
      i = this.entries.length;
      this.entries.push([params, results]);
      this.index.set(key, i);
    }
    return i;
  }

  ofFunction(fn: IrFunction): number {
    const result = valType(fn.result);
    return this.of(fn.params.map((t) => valType(t) as number), result === null ? [] : [result]);
  }
}

/**
 * V8's compilation hints (a custom section it reads with
 * `--experimental-wasm-compilation-hints`, between the function and code
 * sections; other engines ignore it): one byte per defined function,
 * bits 0-1 the strategy (0 = the engine's choice, lazy: at the first call;
 * 2 = eager: with the module), 2-3 the first tier, 4-5 the top tier (1 =
 * the baseline compiler, Liftoff; 2 = the optimizing one, TurboFan; 0 =
 * the engine's choice).
 *
 * A function with a loop is compiled optimized: V8 cannot move a running
 * call to optimized code, so a loop entered once (a script's main loop)
 * would otherwise run to its end in baseline code. A small one (at most
 * MAX_EAGER_LOOP_BYTES) is compiled with the module (eager strategy), on
 * V8's background threads, which the asynchronous compile of a program
 * waits for (`loadModule` in jit/wasm-engine.ts); compiled lazily instead,
 * its optimizing compile blocked its first call: measured on the Bagel
 * loader's `decodeNumbers` (4 KB), 10-15 ms at its first call; with the
 * module, the loader's whole run took 2-3 ms and the compile no longer. A larger one, such as an interpreter's
 * dispatch loop, is compiled at its first call, since it may never be
 * called: the Bagel interpreter's generic `execute` (about 100 KB) is not
 * when the JIT specializes every function at once. Every other function
 * of a program starts in baseline code, which compiles about ten times
 * faster, and V8 optimizes it once it is hot: code that runs once, such
 * as a program's setup, does not pay for the optimizing compiler. Code
 * linked at run time is specialized because it is hot: all of it is
 * compiled optimized (the linker also turns lazy compilation off).
 */
const COMPILATION_HINTS_SECTION = "compilationHints";
const HINT_OPTIMIZED = (2 << 2) | (2 << 4);
const HINT_EAGER_OPTIMIZED = 2 | HINT_OPTIMIZED;
const HINT_DEFAULT = 0;
const MAX_EAGER_LOOP_BYTES = 16 * 1024;

function hint(body: EncodedFunction, linked: boolean): number {
  if (linked) return HINT_OPTIMIZED;
  if (!body.hasLoop) return HINT_DEFAULT;
  return body.bytes.length <= MAX_EAGER_LOOP_BYTES ? HINT_EAGER_OPTIMIZED : HINT_OPTIMIZED;
}

function compilationHints(bodies: readonly EncodedFunction[], linked: boolean): Uint8Array {
  const w = new ByteWriter(bodies.length + 8);
  // A program has one function more than its bodies: the hole that fills empty table slots.
  w.u32(bodies.length + (linked ? 0 : 1));
  for (const b of bodies) w.byte(hint(b, linked));
  if (!linked) w.byte(HINT_DEFAULT);
  return w.finish();
}

function section(out: ByteWriter, id: number, contents: ByteWriter): number {
  out.byte(id);
  out.u32(contents.length);
  const start = out.length;
  out.bytes(contents.view());
  return start;
}

function importName(fn: IrFunction): [string, string] {
  const dot = fn.name.indexOf(".");
  return dot >= 0 ? [fn.name.slice(0, dot), fn.name.slice(dot + 1)] : ["rt", fn.name];
}

function constExprI32(w: ByteWriter, value: number): void {
  w.byte(W.i32Const);
  w.s32(value);
  w.byte(W.end);
}

export function encodeModule(module: Module, options: EncodeOptions): Uint8Array {
  const types = new TypeTable();
  const imports = module.functions.filter((fn) => fn.kind === "import");
  const defined = module.functions.filter((fn) => fn.kind !== "import" && options.emitted(fn));
  const wasmIndex = new Int32Array(module.functions.length).fill(-1);
  imports.forEach((fn, i) => (wasmIndex[fn.id] = i));
  defined.forEach((fn, i) => (wasmIndex[fn.id] = imports.length + i));
  const holeIndex = imports.length + defined.length;
  const indices = {
    func: (id: number): number => {
      const i = wasmIndex[id] as number;
      if (i < 0) throw new Error(`internal error: function ${id} is called but not emitted`);
      return i;
    },
    loxCallType: (argc: number): number => types.of(Array.from({ length: argc }, () => ValType.i64), [ValType.i64]),
  };
  const bodies: EncodedFunction[] = defined.map((fn) => encodeFunction(fn, indices));
  const definedTypes = defined.map((fn) => types.ofFunction(fn));
  const holeType = types.of([], []);
  const importTypes = imports.map((fn) => types.ofFunction(fn));

  const out = new ByteWriter(4096);
  out.bytes([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);

  const typeSec = new ByteWriter();
  typeSec.u32(types.entries.length);
  for (const [params, results] of types.entries) {
    typeSec.byte(FUNC_TYPE);
    typeSec.u32(params.length);
    typeSec.bytes(params);
    typeSec.u32(results.length);
    typeSec.bytes(results);
  }
  section(out, Section.type, typeSec);

  const importSec = new ByteWriter();
  importSec.u32(imports.length + (options.linked ? 3 : 0));
  imports.forEach((fn, i) => {
    const [mod, base] = importName(fn);
    importSec.name(mod);
    importSec.name(base);
    importSec.byte(ExternalKind.func);
    importSec.u32(importTypes[i] as number);
  });
  if (options.linked) {
    importSec.name("env");
    importSec.name("memory");
    importSec.byte(ExternalKind.memory);
    importSec.byte(0x01);
    importSec.u32(1);
    importSec.u32(MAX_MEMORY_PAGES);
    importSec.name("env");
    importSec.name("table");
    importSec.byte(ExternalKind.table);
    importSec.byte(ValType.funcref);
    importSec.byte(0x00);
    importSec.u32(0);
    importSec.name("env");
    importSec.name("ssp");
    importSec.byte(ExternalKind.global);
    importSec.byte(ValType.i32);
    importSec.byte(0x01);
  }
  section(out, Section.import, importSec);

  const funcSec = new ByteWriter();
  funcSec.u32(defined.length + (options.linked ? 0 : 1));
  for (const t of definedTypes) funcSec.u32(t);
  if (!options.linked) funcSec.u32(holeType);
  section(out, Section.function, funcSec);
  out.bytes(customSection(COMPILATION_HINTS_SECTION, compilationHints(bodies, options.linked)));

  const slots = module.functions.map((fn) => (fn.kind === "lox" && wasmIndex[fn.id] !== -1 ? (wasmIndex[fn.id] as number) : holeIndex));
  if (!options.linked) {
    const tableSec = new ByteWriter();
    tableSec.u32(1);
    tableSec.byte(ValType.funcref);
    tableSec.byte(0x01);
    tableSec.u32(slots.length);
    tableSec.u32(NO_MAXIMUM_TABLE);
    section(out, Section.table, tableSec);

    const pages = Math.max(1, Math.ceil(options.image.size / PAGE_SIZE) + 1);
    const memSec = new ByteWriter();
    memSec.u32(1);
    memSec.byte(0x01);
    memSec.u32(pages);
    memSec.u32(MAX_MEMORY_PAGES);
    section(out, Section.memory, memSec);

    const globalSec = new ByteWriter();
    globalSec.u32(1);
    globalSec.byte(ValType.i32);
    globalSec.byte(0x01);
    constExprI32(globalSec, SHADOW_STACK_BASE);
    section(out, Section.global, globalSec);
  }

  const exportSec = new ByteWriter();
  const exports: [string, number, number][] = [];
  if (options.linked) {
    for (const fn of defined) if (fn.kind === "lox") exports.push([options.functionName(fn), ExternalKind.func, wasmIndex[fn.id] as number]);
  } else {
    exports.push(["memory", ExternalKind.memory, 0], ["table", ExternalKind.table, 0], ["ssp", ExternalKind.global, 0]);
    if (module.entry !== null) exports.push(["main", ExternalKind.func, indices.func(module.entry)]);
  }
  exportSec.u32(exports.length);
  for (const [name, kind, index] of exports) {
    exportSec.name(name);
    exportSec.byte(kind);
    exportSec.u32(index);
  }
  section(out, Section.export, exportSec);

  if (!options.linked) {
    const elemSec = new ByteWriter();
    elemSec.u32(1);
    elemSec.u32(0);
    constExprI32(elemSec, 0);
    elemSec.u32(slots.length);
    for (const s of slots) elemSec.u32(s);
    section(out, Section.element, elemSec);
  }

  // Code: remember where each body starts for the line table.
  const codeSec = new ByteWriter(bodies.reduce((n, b) => n + b.bytes.length + 5, 8));
  codeSec.u32(bodies.length + (options.linked ? 0 : 1));
  const starts: number[] = [];
  for (const b of bodies) {
    codeSec.u32(b.bytes.length);
    starts.push(codeSec.length);
    codeSec.bytes(b.bytes);
  }
  if (!options.linked) codeSec.bytes([3, 0, W.unreachable, W.end]);
  const codeStart = section(out, Section.code, codeSec);

  if (!options.linked) {
    const segments = options.image.segments;
    const dataSec = new ByteWriter(segments.reduce((n, seg) => n + seg.bytes.length + 16, 16));
    dataSec.u32(segments.length);
    for (const seg of segments) {
      dataSec.u32(0);
      constExprI32(dataSec, seg.offset);
      dataSec.u32(seg.bytes.length);
      dataSec.bytes(seg.bytes);
    }
    section(out, Section.data, dataSec);
  }

  const names = new ByteWriter();
  names.byte(1);
  const sub = new ByteWriter();
  sub.u32(imports.length + defined.length);
  for (const fn of [...imports, ...defined]) {
    sub.u32(wasmIndex[fn.id] as number);
    sub.name(options.functionName(fn));
  }
  names.u32(sub.length);
  names.bytes(sub.view());
  out.bytes(customSection("name", names.finish()));

  for (const [name, bytes] of options.customSections ?? []) out.bytes(customSection(name, bytes));

  const offsets: number[] = [];
  const lines: number[] = [];
  bodies.forEach((b, i) => {
    const base = codeStart + (starts[i] as number);
    offsets.push(base);
    lines.push(0);
    for (let k = 0; k < b.lines.length; k += 2) {
      offsets.push(base + (b.lines[k] as number));
      lines.push(b.lines[k + 1] as number);
    }
  });
  out.bytes(customSection(LINE_TABLE_SECTION, encodeLineTable({ offsets: Int32Array.from(offsets), lines: Int32Array.from(lines) })));
  return out.finish();
}
