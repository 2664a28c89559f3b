/**
 * Runs a compiled Lox program: instantiates the module with the runtime's
 * imports, attaches the heap to the module's memory, calls `main`, and
 * turns what escapes into the reference's exit status: runtime errors with
 * their trace (trace.ts), host stack exhaustion as "Stack overflow.", heap
 * exhaustion as "Out of memory.".
 */
import { LoxRuntimeError, isHostStackOverflow, renderTrace } from "../runtime/errors.ts";
import { Heap } from "../runtime/heap.ts";
import { MachineRuntime, type TracedError } from "../runtime/machine-runtime.ts";
import { IMPORTS } from "../runtime/wasm-lib/imports.ts";
import { MAX_MEMORY_PAGES, NIL_BITS, PAGE_SIZE } from "../runtime/layout.ts";
import { verifyHeap } from "../runtime/heap-verify.ts";
import { WasmMemory } from "../runtime/memory.ts";
import { RuntimeMessage } from "../runtime/messages.ts";
import type { Output } from "../runtime/output.ts";
import { BadModuleError, type ProgramMeta, readMeta } from "./metadata.ts";
import { LineMap, loxFrames, type SpecializedFrame } from "./trace.ts";
import { readLineTable } from "../backend/encoder/line-table.ts";

export interface WasmRunOptions {
  readonly stdout: Output;
  readonly stderr: (text: string) => void;
  readonly gcStress?: boolean;
  /** Checks the heap after every collection (slow; tests): a problem is an internal error. */
  readonly verifyHeap?: boolean;
  /** Memory limit in MiB (default and maximum: 4 GiB); the program fails with "Out of memory." beyond it. */
  readonly maxMemoryMb?: number;
  readonly sourceMap?: string | null;
  /** Whether a runtime error's message is followed by the Lox stack trace (default true). */
  readonly trace?: boolean;
}

export const EXIT_OK = 0;
export const EXIT_RUNTIME_ERROR = 70;

/**
 * Host stack frames kept for traces (paid only when an error is created).
 * Deep recursion has far more; such traces end with a note instead of the
 * outermost frames.
 */
const STACK_TRACE_LIMIT = 10_000;

type WasmFn = (...args: never[]) => unknown;

/**
 * Compiles a program's module; throws BadModuleError for bytes that are
 * not a Sa program. Asynchronously: V8 then finishes the functions its
 * compilation hints ask to compile with the module (small functions with
 * loops, optimized) before the promise resolves. Compiled synchronously,
 * those compiles went on in the background after it returned, and the
 * program's first call of one of them waited for it: the Bagel loader's
 * first call into the interpreter came 3-13 ms after the start of the run,
 * against 2-3 ms this way.
 */
export async function loadModule(binary: Uint8Array): Promise<{ module: WebAssembly.Module; meta: ProgramMeta }> {
  let module: WebAssembly.Module;
  try {
    module = await WebAssembly.compile(binary);
  } catch (e) {
    throw new BadModuleError(`not a valid WebAssembly module (${e instanceof Error ? e.message : String(e)})`);
  }
  return { module, meta: readMeta(module) };
}

/** A program's instance, linked to its runtime, before (or after) running. */
export interface ProgramInstance {
  readonly instance: WebAssembly.Instance;
  readonly memory: WebAssembly.Memory;
  readonly table: WebAssembly.Table;
  readonly ssp: WebAssembly.Global;
  readonly heap: Heap;
  readonly runtime: MachineRuntime;
  /** The runtime's imports, for modules linked into this program at run time. */
  readonly imports: Record<string, WasmFn>;
  /** Functions compiled at run time, by specialization number, for traces. */
  readonly specializedFrames: Map<number, SpecializedFrame>;
  /** Runs the program's script; returns the exit status and writes errors like `sa run`. */
  run(): number;
}

export function instantiateProgram(module: WebAssembly.Module, meta: ProgramMeta, options: WasmRunOptions): ProgramInstance {
  // The runtime needs the instance's memory, so imports forward to it once it exists.
  let imports: Record<string, WasmFn> | null = null;
  const rt: Record<string, WasmFn> = {};
  // Fixed parameters, not a rest parameter and a spread: this runs on every call into the runtime (imports have at most 7).
  for (const name of Object.keys(IMPORTS)) {
    rt[name] = ((a: never, b: never, c: never, d: never, e: never, f: never, g: never) => (imports as Record<string, WasmFn>)[name]?.(a, b, c, d, e, f, g)) as WasmFn;
  }
  let instance: WebAssembly.Instance;
  try {
    instance = new WebAssembly.Instance(module, { rt });
  } catch (e) {
    throw new BadModuleError(`cannot link the module (${e instanceof Error ? e.message : String(e)})`);
  }
  const exports = instance.exports;
  const memory = exports["memory"] as WebAssembly.Memory;
  const table = exports["table"] as WebAssembly.Table;
  const ssp = exports["ssp"] as WebAssembly.Global;
  const main = exports["main"] as (closure: bigint, receiver: bigint) => bigint;
  if (memory === undefined || table === undefined || ssp === undefined || main === undefined) {
    throw new BadModuleError("the module lacks the exports of a Sa program (memory, table, ssp, main)");
  }
  const maxPages = Math.min(MAX_MEMORY_PAGES, Math.floor(((options.maxMemoryMb ?? 4096) * 1024 * 1024) / PAGE_SIZE));
  const heap = Heap.attach(new WasmMemory(memory, maxPages), meta.imageStrings, {
    gcStress: options.gcStress ?? false,
    shadowStackPointer: () => ssp.value as number,
    ...(options.verifyHeap === true ? { afterCollect: checkHeap } : {}),
  });
  const program = {
    functionName: (index: number) => meta.functions[index]?.name ?? "?",
    globalName: (id: number) => meta.globals[id] ?? "?",
  };
  const runtime = new MachineRuntime(heap, program, options.stdout, {
    callLox: (index, args) => (table.get(index) as unknown as (...a: bigint[]) => bigint)(...args),
  });
  imports = runtime.imports() as Record<string, WasmFn>;
  const specializedFrames = new Map<number, SpecializedFrame>();
  const run = (): number => {
    const previousLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = STACK_TRACE_LIMIT;
    try {
      main(NIL_BITS, NIL_BITS);
      options.stdout.flush();
      return EXIT_OK;
    } catch (e) {
      options.stdout.flush();
      const lines = options.sourceMap !== undefined && options.sourceMap !== null
        ? LineMap.fromSourceMap(options.sourceMap)
        : LineMap.fromTable(readLineTable(module));
      const error = describe(e, meta, lines, specializedFrames);
      if (error === null) throw e;
      if (options.trace === false) {
        options.stderr(renderTrace(error.message, []));
        return EXIT_RUNTIME_ERROR;
      }
      const truncated = error.frames.length > 0 && error.frames[error.frames.length - 1]?.name !== null;
      options.stderr(renderTrace(error.message, error.frames) + (truncated ? "... (outer calls not shown)\n" : ""));
      return EXIT_RUNTIME_ERROR;
    } finally {
      Error.stackTraceLimit = previousLimit;
    }
  };
  return { instance, memory, table, ssp, heap, runtime, imports, specializedFrames, run };
}

export function runModule(module: WebAssembly.Module, meta: ProgramMeta, options: WasmRunOptions): number {
  return instantiateProgram(module, meta, options).run();
}

function checkHeap(heap: Heap): void {
  const problems = verifyHeap(heap);
  if (problems.length > 0) throw new Error(`internal error: heap verification failed after a collection:\n  ${problems.slice(0, 20).join("\n  ")}`);
}

/** The message and Lox frames of an exception that escaped compiled code, or null if it is not the program's. */
function describe(
  e: unknown, meta: ProgramMeta, lines: LineMap, specialized: ReadonlyMap<number, SpecializedFrame>,
): { message: string; frames: ReturnType<typeof loxFrames> } | null {
  if (e instanceof LoxRuntimeError) {
    const stack = (e as TracedError).wasmStack ?? "";
    const overflow = e.message === RuntimeMessage.stackOverflow;
    const frames = loxFrames(stack, meta, lines, overflow ? 0 : e.line, overflow, false, specialized);
    return { message: e.message, frames: frames.length > 0 ? frames : [{ name: null, line: e.line }] };
  }
  if (isHostStackOverflow(e)) {
    const frames = loxFrames((e as Error).stack ?? "", meta, lines, 0, false, true, specialized);
    return { message: RuntimeMessage.stackOverflow, frames };
  }
  return null;
}
