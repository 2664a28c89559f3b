/**
 * Entry of dist/batch.mjs, a worker that runs many programs in one
 * process: it receives `{ id, source, options }` messages and answers
 * `{ id, stdout, stderr, code }`. Test suites use it to run whole
 * conformance suites on the Wasm engine without paying for process start
 * and binaryen's load per program. Output and errors are captured exactly
 * as `sa run` would write them.
 */
import { parentPort } from "node:worker_threads";
import { type BackendKind, type Engine, type OptLevel, runAsync, StringOutput } from "../api.ts";
import { isHostStackOverflow } from "../runtime/errors.ts";

export interface BatchRequest {
  readonly id: number;
  readonly source: string;
  readonly engine: Engine;
  readonly opt: OptLevel;
  readonly gcStress: boolean;
  readonly verifyHeap: boolean;
  readonly backend: BackendKind;
  /** Follow a runtime error's message with the Lox stack trace (default true). */
  readonly trace?: boolean;
}

export interface BatchReply {
  readonly id: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number;
}

parentPort?.on("message", (request: BatchRequest) => {
  void (async () => {
    const stdout = new StringOutput();
    let stderr = "";
    let code: number;
    try {
      code = await runAsync(request.source, {
        engine: request.engine, opt: request.opt, backend: request.backend, gcStress: request.gcStress, verifyHeap: request.verifyHeap,
        trace: request.trace ?? true, stdout, stderr: (t) => (stderr += t),
      });
    } catch (e) {
      if (isHostStackOverflow(e)) {
        stderr += "sa: the program is nested too deeply to compile (the compiler ran out of stack).\n";
        code = 65;
      } else {
        stderr += `sa: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`;
        code = 70;
      }
    }
    const reply: BatchReply = { id: request.id, stdout: stdout.text, stderr, code };
    parentPort?.postMessage(reply);
  })();
});
