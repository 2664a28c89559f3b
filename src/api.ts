/**
 * The embedding API: compile and run Lox programs from TypeScript without
 * the command line. The CLI is a thin layer over these functions.
 *
 * Sources are byte strings (one UTF-16 unit per byte; see `Scanner`); use
 * `decodeSource` for a Buffer or `sourceFromText` for ordinary text.
 */
import type { AnnotationRegistry } from "../annotations/index.ts";
import { analyze, type FrontEndResult } from "./sema/index.ts";
import { renderTrace, LoxRuntimeError } from "./runtime/errors.ts";
import type { Output } from "./runtime/output.ts";
import { renderDiagnostic } from "./syntax/index.ts";
import { TreeInterpreter } from "./tree/interpreter.ts";
import { lowerProgram } from "./lower/index.ts";
import { runPipeline, PIPELINES } from "./passes/index.ts";
import { Heap } from "./runtime/heap.ts";
import { IrHost } from "./runtime/ir-host.ts";
import { IrTiering, type JitMode, type TieringEvent, type TieringOptions } from "./jit/ir-tiering.ts";
export { JIT_MODES, type JitMode, type TieringEvent } from "./jit/ir-tiering.ts";

export { FdOutput, StringOutput, type Output } from "./runtime/output.ts";
export type { Diagnostic } from "./syntax/index.ts";

export { BACKENDS, type BackendKind, ENGINES, type Engine, ExitCode, OPT_LEVELS, type OptLevel } from "./config.ts";
import { type BackendKind, type Engine, ExitCode, type OptLevel } from "./config.ts";

export { decodeSource, sourceFromText } from "./source-text.ts";

export interface CompileOptions {
  readonly registry?: AnnotationRegistry;
  /** Annotations checked as usual but without effect: an ablation (`--disable-annotation`). */
  readonly disabledAnnotations?: ReadonlySet<string>;
}

/** Front end only: the tree, bindings and diagnostics (empty when valid). */
export function compile(source: string, options: CompileOptions = {}): FrontEndResult {
  return analyze(source, {
    ...(options.registry === undefined ? {} : { registry: options.registry }),
    ...(options.disabledAnnotations === undefined ? {} : { disabledAnnotations: options.disabledAnnotations }),
  });
}

export interface RunOptions extends CompileOptions {
  readonly engine?: Engine;
  /** Optimization level for the compiling engines (ir): O2 by default. */
  readonly opt?: OptLevel;
  /** IR engine: abandon the run (throwing `FuelExhausted`) after this many executed blocks. */
  readonly fuel?: number;
  /**
   * Run-time specialization of `@specialize` functions (ir and wasm engines):
   * `auto` after a few calls with the same constants (default), `eager` at
   * the first, `off` never.
   */
  readonly jit?: JitMode;
  /** For `jit: auto`: calls on the generic code per constant before specializing. */
  readonly jitThreshold?: number;
  /** Receives what the JIT did (specialized, abandoned and why). */
  readonly jitReport?: (event: TieringEvent) => void;
  /** Include the explain report (per bytecode pc, what stayed dynamic and why) in `jitReport`'s events. */
  readonly explain?: boolean;
  /** Include each specialized function's optimized IR in `jitReport`'s events. */
  readonly jitIr?: boolean;
  /** Verify each specialized function (for tests; invalid IR makes the JIT give up with an internal error). */
  readonly verifyJit?: boolean;
  /** Receives where the time went once the program has run (also after a runtime error). */
  readonly onTimings?: (timings: RunTimings) => void;
  readonly stdout: Output;
  /** Receives diagnostics and runtime error traces (already newline-terminated). */
  readonly stderr: (text: string) => void;
  /**
   * Whether a runtime error's message is followed by the Lox stack trace
   * (`[line N] in ...` lines); default true. Off for guest languages whose
   * interpreter reports its own line in the message.
   */
  readonly trace?: boolean;
}

/** Where a run's time went, in milliseconds, and what the JIT produced. */
export interface RunTimings {
  /** Front end, lowering, optimization and (wasm) code generation and instantiation. */
  readonly compileMs: number;
  /** Running the program, JIT work included. */
  readonly runMs: number;
  /** Of `runMs`: specializing and compiling specialized code. */
  readonly jitMs: number;
  /** Size of the specialized code (Wasm bytes; IR instructions on the IR engine). */
  readonly jitSize: number;
  /** Functions specialized. */
  readonly specialized: number;
  /** Of `compileMs`, by step in the order they ran (the wasm engine; empty on the others). */
  readonly compileSteps: ReadonlyMap<string, number>;
}

/**
 * Compiles and runs a program on any engine (the Wasm engine compiles
 * asynchronously); returns the process exit code the reference would use.
 */
export interface WasmOptions {
  /** Collect garbage at every safepoint. */
  readonly gcStress?: boolean;
  /** Verify the heap after every collection (tests). */
  readonly verifyHeap?: boolean;
  /** Memory limit in MiB (default 4096, the most Wasm allows). */
  readonly maxMemoryMb?: number;
  /** How the module is built (default `direct`). */
  readonly backend?: BackendKind;
}

export async function runAsync(source: string, options: RunOptions & WasmOptions): Promise<number> {
  if ((options.engine ?? "tree") !== "wasm") return run(source, options);
  const started = performance.now();
  const front = compile(source, options);
  if (front.diagnostics.length > 0) {
    options.stderr(front.diagnostics.map((d) => renderDiagnostic(d) + "\n").join(""));
    return ExitCode.compileError;
  }
  const frontMs = performance.now() - started;
  const { compileProgram } = await import("./jit/compile.ts");
  const { instantiateProgram, loadModule } = await import("./jit/wasm-engine.ts");
  const { enableCompilationHints } = await import("./jit/tier-flags.ts");
  const { WasmTiering } = await import("./jit/wasm-tiering.ts");
  const backend = options.backend ?? "direct";
  const jit = options.jit ?? "auto";
  const compiled = await compileProgram(front, {
    opt: options.opt ?? "O2", backend, gcStress: options.gcStress ?? false, keepForJit: jit !== "off",
  });
  if (backend === "direct") enableCompilationHints();
  const loading = performance.now();
  const { module, meta } = await loadModule(compiled.artifact.binary);
  const instantiating = performance.now();
  const program = instantiateProgram(module, meta, {
    stdout: options.stdout,
    stderr: options.stderr,
    gcStress: options.gcStress ?? false,
    verifyHeap: options.verifyHeap ?? false,
    sourceMap: compiled.artifact.sourceMap,
    trace: options.trace ?? true,
    ...(options.maxMemoryMb === undefined ? {} : { maxMemoryMb: options.maxMemoryMb }),
  });
  const tiering = compiled.specialization === null ? null : new WasmTiering(compiled.specialization, program, meta, tieringOptions(options));
  tiering?.install();
  const ran = performance.now();
  const code = program.run();
  const steps = new Map([["front end", frontMs], ...compiled.timings, ["V8 compile", instantiating - loading], ["instantiate", ran - instantiating]]);
  options.onTimings?.({
    compileMs: ran - started, runMs: performance.now() - ran, jitMs: tiering?.work.millis ?? 0, jitSize: tiering?.work.size ?? 0,
    specialized: tiering?.work.functions ?? 0, compileSteps: steps,
  });
  return code;
}

function tieringOptions(options: RunOptions): TieringOptions {
  return {
    mode: options.jit ?? "auto",
    ...(options.jitThreshold === undefined ? {} : { threshold: options.jitThreshold }),
    ...(options.jitReport === undefined ? {} : { report: options.jitReport }),
    ...(options.explain === true ? { explain: true } : {}),
    ...(options.jitIr === true ? { printIr: true } : {}),
    ...(options.verifyJit === true ? { verify: true } : {}),
  };
}

/** Compiles and runs a program on the tree or IR engine; returns the process exit code the reference would use. */
export function run(source: string, options: RunOptions): number {
  const started = performance.now();
  let ran = started;
  let tiering: IrTiering | null = null;
  const front = compile(source, options);
  if (front.diagnostics.length > 0) {
    options.stderr(front.diagnostics.map((d) => renderDiagnostic(d) + "\n").join(""));
    return ExitCode.compileError;
  }
  try {
    const engine = options.engine ?? "tree";
    switch (engine) {
      case "wasm":
        throw new Error("internal error: the wasm engine runs through runAsync");
      case "tree":
        ran = performance.now();
        new TreeInterpreter(front.program, front.resolution, options.stdout, front.disabledAnnotations).run();
        break;
      case "ir": {
        const module = lowerProgram(front);
        runPipeline(module, PIPELINES[options.opt ?? "O2"] ?? []);
        const heap = Heap.create();
        const host = new IrHost(module, heap, options.stdout, options.fuel);
        tiering = new IrTiering(module, heap, tieringOptions(options));
        tiering.install(host.interpreter);
        ran = performance.now();
        host.runScript();
        break;
      }
    }
    return ExitCode.ok;
  } catch (e) {
    if (!(e instanceof LoxRuntimeError)) throw e;
    options.stdout.flush();
    options.stderr(renderTrace(e.message, options.trace === false ? [] : e.frames));
    return ExitCode.runtimeError;
  } finally {
    options.onTimings?.({
      compileMs: ran - started, runMs: performance.now() - ran, jitMs: tiering?.work.millis ?? 0, jitSize: tiering?.work.size ?? 0,
      specialized: tiering?.work.functions ?? 0, compileSteps: new Map(),
    });
  }
}

export { findLanguage, type GuestLanguage } from "./languages.ts";
import type { GuestLanguage } from "./languages.ts";

/**
 * Compiles a program of a guest language (an interpreter written in Lox,
 * see `findLanguage`) and runs the interpreter on it with any engine. Guest
 * compile errors exit with 65; a guest run-time error is the interpreter's
 * `error(...)`, whose message carries the guest's line: it is reported
 * without the Lox trace of the interpreter, and exits with 70.
 */
export async function runGuestAsync(language: GuestLanguage, source: string, options: RunOptions & WasmOptions): Promise<number> {
  const compiled = language.compile(source);
  if (!compiled.ok) {
    options.stderr(compiled.errors.map((e) => e + "\n").join(""));
    return ExitCode.compileError;
  }
  return runAsync(language.interpreterSource + compiled.loxText, { ...options, trace: false });
}
