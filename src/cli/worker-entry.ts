/**
 * Entry of the worker bundle (dist/worker.cjs, loaded by worker-start.ts):
 * waits for its task (see worker.ts), executes it, and exits the thread
 * with the task's exit code. `warmUp` is for the build, which runs it
 * before saving V8's code cache of the bundle.
 */
import { isMainThread, parentPort } from "node:worker_threads";
import { executeTask, type Task } from "./task.ts";

export { warmUp } from "./warm-up.ts";

if (!isMainThread && parentPort !== null) {
  parentPort.once("message", (task: Task) => {
    void executeTask(task).then((code) => process.exit(code));
  });
}
