/**
 * Runs a `Task` on a worker thread with a large native stack and returns
 * the exit code. The worker executes dist/worker-start.cjs, which sits next
 * to the CLI bundle and loads the worker bundle (`worker-start.ts`).
 *
 * Starting a worker and loading the compiler into it takes about as long as
 * parsing the command line, so `main.ts` starts one before it parses and
 * hands it the task once the task is known (`ProgramWorker`): the two
 * overlap on two cores.
 */
import { Worker } from "node:worker_threads";
import { ExitCode } from "../config.ts";
import { writeStderr } from "./stderr.ts";
import type { Task } from "./task.ts";

/** The `globalThis` key under which bin/sa leaves the worker it started (spawn.ts). */
export const SPARE_WORKER = Symbol.for("sa.spareWorker");

/** Native stack for programs, in MiB. Only the part actually used is committed. */
export const DEFAULT_STACK_MB = 64;

/**
 * Young generation of the worker's JS heap, in MiB (V8's default tops out
 * at 48). The compiler and the JIT allocate many objects that live for one
 * compile step (IR, PE states), so with the default the scavenger ran every
 * ~20 ms of JIT work and copied most of what it found: 22% of the JIT's
 * time in a profile of `--jit=auto` on 48 large Bagel functions. With 384
 * the scavenges' total time fell from ~1,650 to ~530 ms on that run and the
 * JIT's time by about a quarter; whole runs of the Lox benchmarks did not
 * change. V8 grows the space only as far as the allocation rate needs.
 */
export const YOUNG_GENERATION_MB = 384;

/** A worker started ahead of its task; it waits for one message, the task. */
export class ProgramWorker {
  private readonly worker: Worker;
  private readonly exited: Promise<number>;
  private used = false;

  constructor(readonly stackMb: number) {
    this.worker = new Worker(new URL("./worker-start.cjs", import.meta.url), {
      resourceLimits: { stackSizeMb: stackMb, maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
      stdout: false,
      stderr: false,
    });
    // Until it has a task, an idle worker does not keep the process alive.
    this.worker.unref();
    let failed = false;
    this.worker.on("error", (e) => {
      failed = true;
      const text = e instanceof Error ? (e.stack ?? e.message) : String(e);
      writeStderr(`sa: internal error (please report it): ${text}\n`);
    });
    this.exited = new Promise((resolve) => this.worker.on("exit", (code) => resolve(failed ? ExitCode.runtimeError : code)));
  }

  /** Runs the task; a worker runs one task. */
  run(task: Task): Promise<number> {
    if (this.used) throw new Error("internal error: a program worker runs one task");
    this.used = true;
    this.worker.ref();
    this.worker.postMessage(task);
    return this.exited;
  }

  dispose(): void {
    if (!this.used) void this.worker.terminate();
  }
}

/** Runs a task on `spare` when its stack size fits, else on a new worker. */
export function runOnWorker(task: Task, stackMb = DEFAULT_STACK_MB, spare: ProgramWorker | null = null): Promise<number> {
  if (spare !== null && spare.stackMb === stackMb) return spare.run(task);
  spare?.dispose();
  return new ProgramWorker(stackMb).run(task);
}

/** The `--stack-size` the command line asks for, read without the full parser (the parser validates it later). */
export function requestedStackMb(argv: readonly string[]): number {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const value = arg.startsWith("--stack-size=") ? arg.slice("--stack-size=".length) : arg === "--stack-size" ? argv[i + 1] : undefined;
    if (value === undefined) continue;
    const mb = Number(value);
    return Number.isFinite(mb) && mb > 0 ? mb : DEFAULT_STACK_MB;
  }
  return DEFAULT_STACK_MB;
}
