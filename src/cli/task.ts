/**
 * The work the CLI hands to a worker thread, and its execution. Programs run
 * on a worker because only a worker can be given a large native stack
 * (deeply nested input, deep Lox recursion); the worker writes to the
 * process's stdout/stderr directly and reports the exit code.
 */
import { writeFileSync } from "node:fs";
import { writeStderr } from "./stderr.ts";
import {
  type BackendKind, compile, type Engine, ExitCode, FdOutput, findLanguage, type JitMode, type OptLevel, runAsync, runGuestAsync,
  type RunTimings, type TieringEvent,
} from "../api.ts";
import { printFunction } from "../ir/index.ts";
import type { SpecializationStats } from "../pe/index.ts";
import { lowerProgram } from "../lower/index.ts";
import { PASSES, PIPELINES, runPipeline, UnknownPassError } from "../passes/index.ts";
import { renderDiagnostic } from "../syntax/index.ts";
import { isHostStackOverflow } from "../runtime/errors.ts";
import { assertNever } from "../support/assert.ts";

export type Task =
  | {
    readonly kind: "run"; readonly path: string; readonly source: string; readonly engine: Engine; readonly opt: OptLevel; readonly backend: BackendKind;
    readonly gcStress: boolean; readonly verifyHeap: boolean; readonly maxMemoryMb: number;
    readonly jit: JitMode; readonly jitThreshold: number; readonly jitLog: boolean; readonly explain: boolean;
    readonly jitIr: boolean;
    /** Report compile, run and JIT times on stderr. */
    readonly time: boolean;
    /** Follow a runtime error's message with the Lox stack trace (default true). */
    readonly trace?: boolean;
    /** Annotations checked but ignored (an ablation). */
    readonly disabledAnnotations?: readonly string[];
  }
  | {
    readonly kind: "compile"; readonly source: string; readonly output: string; readonly opt: OptLevel;
    readonly backend: BackendKind; readonly withIr: boolean;
  }
  | {
    readonly kind: "exec"; readonly path: string; readonly bytes: Uint8Array; readonly gcStress: boolean;
    readonly verifyHeap: boolean; readonly maxMemoryMb: number; readonly trace?: boolean;
  }
  | {
    readonly kind: "ir"; readonly source: string; readonly passes: readonly string[] | null; readonly opt: OptLevel;
    readonly fn: string | null; readonly timePasses: boolean;
  }
  | { readonly kind: "check"; readonly path: string; readonly source: string; readonly format: "text" | "json" };


export async function executeTask(task: Task): Promise<number> {
  try {
    switch (task.kind) {
      case "run": {
        const stdout = new FdOutput(1);
        const options = {
          engine: task.engine, opt: task.opt, backend: task.backend, gcStress: task.gcStress, verifyHeap: task.verifyHeap,
          maxMemoryMb: task.maxMemoryMb, stdout, stderr: writeStderr, trace: task.trace ?? true, jit: task.jit,
          jitThreshold: task.jitThreshold, disabledAnnotations: new Set(task.disabledAnnotations ?? []),
          ...(task.jitLog || task.explain || task.jitIr
            ? { explain: task.explain, jitIr: task.jitIr, jitReport: (e: TieringEvent) => writeStderr(describeJitEvent(task, e)) }
            : {}),
          ...(task.time ? { onTimings: (t: RunTimings) => writeStderr(describeTimings(t)) } : {}),
        };
        // A guest language's program runs on its interpreter (see src/languages.ts).
        const language = findLanguage(task.path);
        const code = language === null ? await runAsync(task.source, options) : await runGuestAsync(language, task.source, options);
        stdout.flush();
        return code;
      }
      case "compile":
        return await compileToFile(task);
      case "exec":
        return execFile(task);
      case "check":
        return check(task);
      case "ir":
        return printIr(task);
      default:
        return assertNever(task, "task");
    }
  } catch (e) {
    if (isHostStackOverflow(e)) {
      writeStderr("sa: the program is nested too deeply to compile (the compiler ran out of stack).\n");
      return ExitCode.compileError;
    }
    throw e;
  }
}

/** The line of `--time` (the bench harness reads it). */
function describeTimings(t: RunTimings): string {
  const jit = `jit ${t.jitMs.toFixed(2)} ms, ${t.specialized} functions, ${t.jitSize} bytes`;
  const steps = [...t.compileSteps].map(([name, ms]) => `${name} ${ms.toFixed(2)}`).join(", ");
  const compile = `compile ${t.compileMs.toFixed(2)} ms${steps === "" ? "" : ` (${steps})`}`;
  return `sa: time: ${compile}, run ${t.runMs.toFixed(2)} ms (${jit})\n`;
}

/** What `--jit-log`, `--explain` and `--jit-ir` print of one JIT event. */
function describeJitEvent(task: { readonly jitLog: boolean }, e: TieringEvent): string {
  const ir = e.kind === "specialized" && e.ir !== null ? e.ir + "\n" : "";
  const explain = e.kind === "linked" ? null : e.explain;
  return (task.jitLog ? describeTiering(e) : "") + (explain ?? "") + ir;
}

/** One line of `--jit-log`. */
function describeTiering(e: TieringEvent): string {
  const work = (s: SpecializationStats): string =>
    `${s.units} units, ${s.inlined} of them inlined, transcribed ${s.transcriptions} times, ${s.transcribed} instructions, ${s.millis.toFixed(1)} ms`;
  switch (e.kind) {
    case "specialized": return `sa: jit: specialized ${e.generic} as ${e.name}: ${e.instructions} instructions (${work(e.stats)})\n`;
    case "abandoned": return `sa: jit: did not specialize ${e.generic}: ${e.reason} (${work(e.stats)}); the generic code runs\n`;
    case "linked": {
      const t = e.times;
      const steps = `specialize ${t.specialize.toFixed(1)}, optimize ${t.optimize.toFixed(1)}, lower ${t.lower.toFixed(1)}, ` +
        `encode ${t.encode.toFixed(1)}, V8 compile ${t.compile.toFixed(1)}`;
      return `sa: jit: linked ${e.functions} functions, ${e.bytes} bytes, in ${t.total.toFixed(1)} ms (${steps})\n`;
    }
    default: return assertNever(e, "tiering event");
  }
}

async function compileToFile(task: Extract<Task, { kind: "compile" }>): Promise<number> {
  const front = compile(task.source);
  if (front.diagnostics.length > 0) {
    writeStderr(front.diagnostics.map((d) => renderDiagnostic(d) + "\n").join(""));
    return ExitCode.compileError;
  }
  const { compileProgram, storedProgram } = await import("../jit/index.ts");
  const compiled = await compileProgram(front, { opt: task.opt, backend: task.backend, withIr: task.withIr });
  try {
    writeFileSync(task.output, storedProgram(compiled));
  } catch (e) {
    writeStderr(`sa: cannot write '${task.output}': ${e instanceof Error ? e.message : String(e)}\n`);
    return ExitCode.ioError;
  }
  return ExitCode.ok;
}

async function execFile(task: Extract<Task, { kind: "exec" }>): Promise<number> {
  const { BadModuleError, enableCompilationHints, loadModule, readStoredSourceMap, runModule } = await import("../jit/index.ts");
  const stdout = new FdOutput(1);
  try {
    enableCompilationHints();
    const { module, meta } = await loadModule(task.bytes);
    const code = runModule(module, meta, {
      stdout, stderr: writeStderr, gcStress: task.gcStress, verifyHeap: task.verifyHeap, maxMemoryMb: task.maxMemoryMb,
      sourceMap: readStoredSourceMap(module), trace: task.trace ?? true,
    });
    stdout.flush();
    return code;
  } catch (e) {
    if (!(e instanceof BadModuleError)) throw e;
    writeStderr(`sa: '${task.path}' is not a program sa can run: ${e.message}\n`);
    return ExitCode.compileError;
  }
}

function printIr(task: Extract<Task, { kind: "ir" }>): number {
  if (task.passes !== null && task.passes.includes("help")) {
    const lines = [...PASSES.values()].map((p) => `  ${p.name.padEnd(30)} ${p.description}`);
    process.stdout.write(`Passes:\n${lines.join("\n")}\nPipelines:\n${Object.entries(PIPELINES).map(([n, p]) => `  -${n}: ${p.join(", ") || "(none)"}`).join("\n")}\n`);
    return ExitCode.ok;
  }
  const frontStart = performance.now();
  const front = compile(task.source);
  if (front.diagnostics.length > 0) {
    writeStderr(front.diagnostics.map((d) => renderDiagnostic(d) + "\n").join(""));
    return ExitCode.compileError;
  }
  const timings = new Map<string, number>();
  const started = performance.now();
  const module = lowerProgram(front);
  const lowered = performance.now();
  try {
    runPipeline(module, task.passes ?? PIPELINES[task.opt] ?? [], { timings });
  } catch (e) {
    if (!(e instanceof UnknownPassError)) throw e;
    writeStderr(`sa: ${e.message}\n`);
    return ExitCode.usage;
  }
  const functions = module.functions.filter((f) => task.fn === null || f.name === task.fn);
  if (functions.length === 0) {
    writeStderr(`sa: no function named '${task.fn}'\n`);
    return ExitCode.usage;
  }
  const stdout = new FdOutput(1);
  stdout.write(functions.map((f) => printFunction(module, f)).join("\n"));
  stdout.flush();
  if (task.timePasses) {
    const rows = [`front end: ${(started - frontStart).toFixed(2)} ms`, `lowering: ${(lowered - started).toFixed(2)} ms`];
    for (const [name, ms] of timings) rows.push(`${name}: ${ms.toFixed(2)} ms`);
    rows.push(`total: ${(performance.now() - frontStart).toFixed(2)} ms`);
    writeStderr(rows.join("\n") + "\n");
  }
  return ExitCode.ok;
}

function check(task: Extract<Task, { kind: "check" }>): number {
  const { diagnostics } = compile(task.source);
  if (task.format === "json") {
    const records = diagnostics.map((d) => ({
      file: task.path, code: d.code, id: d.id, line: d.line, start: d.start, end: d.end, message: d.message,
      rendered: renderDiagnostic(d),
    }));
    process.stdout.write(JSON.stringify(records, null, 2) + "\n");
  } else if (diagnostics.length > 0) {
    writeStderr(diagnostics.map((d) => renderDiagnostic(d) + "\n").join(""));
  }
  return diagnostics.length > 0 ? ExitCode.compileError : ExitCode.ok;
}
