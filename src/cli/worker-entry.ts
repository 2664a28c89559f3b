/**
 * Entry of the worker bundle (dist/worker.mjs): executes the task it was
 * given and exits the thread with the task's exit code.
 */
import { workerMain } from "./worker.ts";

await workerMain();
