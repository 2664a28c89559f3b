/**
 * The work the CLI hands to a worker thread, and its execution. Programs run
 * on a worker because only a worker can be given a large native stack
 * (deeply nested input, deep Lox recursion); the worker writes to the
 * process's stdout/stderr directly and reports the exit code.
 */
import { writeSync } from "node:fs";
import { compile, type Engine, ExitCode, FdOutput, run } from "../api.ts";
import { renderDiagnostic } from "../syntax/index.ts";
import { isHostStackOverflow } from "../runtime/errors.ts";
import { assertNever } from "../support/assert.ts";

export type Task =
  | { readonly kind: "run"; readonly source: string; readonly engine: Engine }
  | { readonly kind: "check"; readonly path: string; readonly source: string; readonly format: "text" | "json" };

export function writeStderr(text: string): void {
  try {
    writeSync(2, Buffer.from(text, "latin1"));
  } catch {
    // Nowhere left to report to.
  }
}

export function executeTask(task: Task): number {
  try {
    switch (task.kind) {
      case "run": {
        const stdout = new FdOutput(1);
        const code = run(task.source, { engine: task.engine, stdout, stderr: writeStderr });
        stdout.flush();
        return code;
      }
      case "check":
        return check(task);
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
