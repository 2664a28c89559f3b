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

export { FdOutput, StringOutput, type Output } from "./runtime/output.ts";
export type { Diagnostic } from "./syntax/index.ts";

export { BACKENDS, type BackendKind, ENGINES, type Engine, ExitCode, OPT_LEVELS, type OptLevel } from "./config.ts";
import { type BackendKind, type Engine, ExitCode, type OptLevel } from "./config.ts";

export { decodeSource, sourceFromText } from "./source-text.ts";

export interface CompileOptions {
  readonly registry?: AnnotationRegistry;
}

/** Front end only: the tree, bindings and diagnostics (empty when valid). */
export function compile(source: string, options: CompileOptions = {}): FrontEndResult {
  return analyze(source, options.registry === undefined ? {} : { registry: options.registry });
}

export interface RunOptions extends CompileOptions {
  readonly engine?: Engine;
  /** Optimization level for the compiling engines (ir): O2 by default. */
  readonly opt?: OptLevel;
  /** IR engine: abandon the run (throwing `FuelExhausted`) after this many executed blocks. */
  readonly fuel?: number;
  readonly stdout: Output;
  /** Receives diagnostics and runtime error traces (already newline-terminated). */
  readonly stderr: (text: string) => void;
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
  const front = compile(source, options);
  if (front.diagnostics.length > 0) {
    options.stderr(front.diagnostics.map((d) => renderDiagnostic(d) + "\n").join(""));
    return ExitCode.compileError;
  }
  const { compileProgram } = await import("./jit/compile.ts");
  const { loadModule, preferOptimizingTier, runModule } = await import("./jit/wasm-engine.ts");
  const backend = options.backend ?? "direct";
  const compiled = await compileProgram(front, { opt: options.opt ?? "O2", backend, gcStress: options.gcStress ?? false });
  if (backend === "direct") preferOptimizingTier();
  const { module, meta } = loadModule(compiled.artifact.binary);
  return runModule(module, meta, {
    stdout: options.stdout,
    stderr: options.stderr,
    gcStress: options.gcStress ?? false,
    verifyHeap: options.verifyHeap ?? false,
    sourceMap: compiled.artifact.sourceMap,
    ...(options.maxMemoryMb === undefined ? {} : { maxMemoryMb: options.maxMemoryMb }),
  });
}

/** Compiles and runs a program on the tree or IR engine; returns the process exit code the reference would use. */
export function run(source: string, options: RunOptions): number {
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
        new TreeInterpreter(front.program, front.resolution, options.stdout).run();
        break;
      case "ir": {
        const module = lowerProgram(front);
        runPipeline(module, PIPELINES[options.opt ?? "O2"] ?? []);
        new IrHost(module, Heap.create(), options.stdout, options.fuel).runScript();
        break;
      }
    }
    return ExitCode.ok;
  } catch (e) {
    if (!(e instanceof LoxRuntimeError)) throw e;
    options.stdout.flush();
    options.stderr(renderTrace(e.message, e.frames));
    return ExitCode.runtimeError;
  }
}

export { findLanguage, type GuestLanguage } from "./languages.ts";
import { GuestErrorCapture, type GuestLanguage } from "./languages.ts";

/**
 * Compiles a program of a guest language (an interpreter written in Lox,
 * see `findLanguage`) and runs the interpreter on it with any engine. Guest
 * compile errors exit with 65; guest run-time errors print
 * `message\n[line N]\n` and exit with 70.
 */
export async function runGuestAsync(language: GuestLanguage, source: string, options: RunOptions & WasmOptions): Promise<number> {
  const compiled = language.compile(source);
  if (!compiled.ok) {
    options.stderr(compiled.errors.map((e) => e + "\n").join(""));
    return ExitCode.compileError;
  }
  const stdout = new GuestErrorCapture(options.stdout);
  let loxStderr = "";
  const code = await runAsync(language.interpreterSource + compiled.loxText, {
    ...options, stdout, stderr: (text) => { loxStderr += text; },
  });
  if (loxStderr !== "") options.stderr(stdout.render(loxStderr));
  return code;
}
