/**
 * Runs a `Task` on a worker thread with a large native stack and returns
 * the exit code. The worker executes dist/worker.mjs, which sits next to
 * the CLI bundle (`worker-entry.ts`).
 */
import { isMainThread, Worker, workerData } from "node:worker_threads";
import { ExitCode } from "../api.ts";
import { executeTask, type Task, writeStderr } from "./task.ts";

/** Native stack for programs, in MiB. Only the part actually used is committed. */
export const DEFAULT_STACK_MB = 64;

export function runOnWorker(task: Task, stackMb = DEFAULT_STACK_MB): Promise<number> {
  return new Promise((resolve) => {
    const worker = new Worker(new URL("./worker.mjs", import.meta.url), {
      workerData: task,
      resourceLimits: { stackSizeMb: stackMb },
      stdout: false,
      stderr: false,
    });
    let failed = false;
    worker.on("error", (e) => {
      failed = true;
      const text = e instanceof Error ? (e.stack ?? e.message) : String(e);
      writeStderr(`sa: internal error (please report it): ${text}\n`);
    });
    worker.on("exit", (code) => resolve(failed ? ExitCode.runtimeError : code));
  });
}

/** Worker side: run the task and exit the thread with its code. */
export async function workerMain(): Promise<void> {
  if (isMainThread) return;
  process.exit(await executeTask(workerData as Task));
}
