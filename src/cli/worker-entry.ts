/**
 * Entry of the worker bundle (dist/worker.mjs): waits for its task (see
 * worker.ts), executes it, and exits the thread with the task's exit code.
 */
import { isMainThread, parentPort } from "node:worker_threads";
import { executeTask, type Task } from "./task.ts";

if (!isMainThread && parentPort !== null) {
  parentPort.once("message", (task: Task) => {
    void executeTask(task).then((code) => process.exit(code));
  });
}
