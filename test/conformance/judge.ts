/**
 * Judges one run of a Lox test against its expectations, exactly as
 * ../shared/lox/FORMAT.md §3 describes: stderr (runtime error message and
 * innermost `[line N]`, or the set of compile errors and nothing else),
 * exit code, then stdout line by line. Returns the failures (empty = pass).
 */
import { type Expectations, splitLines } from "./expectations.ts";

export interface RunResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number | null;
}

const LINE_REF = /\[line (\d+)\]/;
const ERROR_LINE = /\[.*line (\d+)\] (Error.+)/;

export function judge(expect: Expectations, result: RunResult): string[] {
  const failures: string[] = [];
  const stderr = splitLines(result.stderr);
  if (stderr.length > 0 && stderr[stderr.length - 1] === "") stderr.pop();

  if (expect.runtimeError !== null) {
    const { message, line } = expect.runtimeError;
    if (stderr.length < 2) {
      failures.push(`Expected runtime error '${message}' and got none.`);
    } else {
      if (stderr[0] !== message) failures.push(`Expected runtime error '${message}' and got: ${stderr[0]}`);
      const traceLine = stderr.slice(1).map((l) => LINE_REF.exec(l)).find((m) => m !== null);
      if (traceLine === undefined || traceLine === null) {
        failures.push(`Expected stack trace and got: ${stderr.slice(1).join(" | ")}`);
      } else if (Number(traceLine[1]) !== line) {
        failures.push(`Expected runtime error on line ${line} but was on line ${traceLine[1]}.`);
      }
    }
  } else {
    const found = new Set<string>();
    for (const l of stderr) {
      const m = ERROR_LINE.exec(l);
      if (m !== null) {
        const error = `[${m[1]}] ${m[2]}`;
        if (expect.compileErrors.has(error)) found.add(error);
        else failures.push(`Unexpected error: ${l}`);
      } else if (l !== "") {
        failures.push(`Unexpected output on stderr: ${l}`);
      }
    }
    for (const e of expect.compileErrors) if (!found.has(e)) failures.push(`Missing expected error: ${e}`);
  }

  if (result.exitCode !== expect.exitCode) {
    failures.push(`Expected return code ${expect.exitCode} and got ${result.exitCode}.`);
  }

  const stdout = splitLines(result.stdout);
  if (stdout.length > 0 && stdout[stdout.length - 1] === "") stdout.pop();
  for (let i = 0; i < stdout.length; i++) {
    if (i >= expect.stdout.length) failures.push(`Got output '${stdout[i]}' when none was expected.`);
    else if (stdout[i] !== expect.stdout[i]) failures.push(`Expected output '${expect.stdout[i]}' and got '${stdout[i]}'.`);
  }
  for (let i = stdout.length; i < expect.stdout.length; i++) failures.push(`Missing expected output '${expect.stdout[i]}'.`);
  return failures;
}
