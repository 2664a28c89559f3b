/**
 * Runs a directory of Lox tests through `bin/sa run` (the real command
 * line, as a user would) with a chosen engine and extra flags, several at a
 * time, and judges each (`judge.ts`). Used by the vitest suites and by
 * `npm run conformance`.
 */
import { spawn } from "node:child_process";
import { Worker } from "node:worker_threads";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parseExpectations } from "./expectations.ts";
import { judge, type RunResult } from "./judge.ts";

export const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const SA_BIN = join(REPO_ROOT, "bin", "sa");
/** The shared conformance suite, present in CI and development checkouts, not in the project. */
export const SHARED_LOX = join(REPO_ROOT, "..", "shared", "lox");

/** Engine configurations the conformance suites must pass, as `sa run` flags. */
export const CONFIGURATIONS: readonly (readonly string[])[] = [
  ["--engine=tree"], ["--engine=ir", "-O0"], ["--engine=ir", "-O2"],
  ["--engine=wasm", "-O2"], ["--engine=wasm", "-O0"], ["--engine=wasm", "--gc-stress", "--verify-heap"],
  ["--engine=wasm", "--backend=binaryen"],
];

export interface TestOutcome {
  readonly file: string;
  readonly failures: readonly string[];
}

export interface SuiteReport {
  readonly passed: number;
  readonly failed: number;
  readonly outcomes: readonly TestOutcome[];
}

export function findLoxFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) files.push(...findLoxFiles(path));
    else if (entry.endsWith(".lox")) files.push(path);
  }
  return files;
}

export function runSa(args: readonly string[], timeoutMs = 60_000): Promise<RunResult> {
  return runCommand(process.execPath, [SA_BIN, ...args], timeoutMs);
}

export function runCommand(command: string, args: readonly string[], timeoutMs = 60_000): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (d: Buffer) => out.push(d));
    child.stderr.on("data", (d: Buffer) => err.push(d));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({
        stdout: Buffer.concat(out).toString("latin1"),
        stderr: Buffer.concat(err).toString("latin1"),
        exitCode: code,
      });
    });
  });
}

/**
 * Runs programs inside long-lived worker threads (dist/batch.mjs, built by
 * the test setup) instead of one `sa` process each: same engines, same
 * output, but binaryen is loaded once per worker. Flags: `--engine=NAME`,
 * `-O0`/`-O2`, `--gc-stress`, `--verify-heap`.
 */
export class BatchRunner {
  private readonly workers: Worker[] = [];
  private readonly waiting = new Map<number, (r: RunResult) => void>();
  private nextId = 0;
  private turn = 0;

  constructor(count = availableParallelism(), stackMb = 64) {
    for (let i = 0; i < count; i++) {
      const worker = new Worker(join(REPO_ROOT, "dist", "batch.mjs"), { resourceLimits: { stackSizeMb: stackMb } });
      worker.on("message", (reply: { id: number; stdout: string; stderr: string; code: number }) => {
        const done = this.waiting.get(reply.id);
        this.waiting.delete(reply.id);
        done?.({ stdout: reply.stdout, stderr: reply.stderr, exitCode: reply.code });
      });
      this.workers.push(worker);
    }
  }

  run(source: string, flags: readonly string[]): Promise<RunResult> {
    const engine = flags.find((f) => f.startsWith("--engine="))?.slice("--engine=".length) ?? "wasm";
    const opt = flags.includes("-O0") ? "O0" : "O2";
    const gcStress = flags.includes("--gc-stress");
    const verifyHeap = flags.includes("--verify-heap");
    const backend = flags.includes("--backend=binaryen") ? "binaryen" : "direct";
    const id = this.nextId++;
    const worker = this.workers[this.turn++ % this.workers.length] as Worker;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      worker.postMessage({ id, source, engine, opt, gcStress, verifyHeap, backend });
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/**
 * Runs and judges every test. By default each runs as `bin/sa run FLAGS FILE`;
 * with `command`, as `COMMAND FILE` (another Lox implementation, e.g. the
 * reference, to check the tests themselves).
 */
export async function runSuite(
  files: readonly string[], flags: readonly string[], root: string, parallel = availableParallelism(),
  command: string | null = null, batch: BatchRunner | null = null,
): Promise<SuiteReport> {
  const outcomes: TestOutcome[] = new Array(files.length);
  let next = 0;
  let counted = 0;
  const worker = async (): Promise<void> => {
    while (next < files.length) {
      const i = next++;
      const file = files[i] as string;
      const expect = parseExpectations(readFileSync(file, "latin1"));
      const name = relative(root, file);
      if (expect.nontest) continue;
      counted++;
      if (expect.malformed !== null) {
        outcomes[i] = { file: name, failures: [`test error: ${expect.malformed}`] };
        continue;
      }
      const result = batch !== null ? await batch.run(readFileSync(file, "latin1"), flags)
        : command === null ? await runSa(["run", ...flags, file]) : await runCommand(command, [file]);
      outcomes[i] = { file: name, failures: judge(expect, result) };
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, parallel) }, worker));
  const done = outcomes.filter((o) => o !== undefined);
  const failed = done.filter((o) => o.failures.length > 0).length;
  return { passed: counted - failed, failed, outcomes: done };
}

export function formatReport(report: SuiteReport): string {
  const lines = [`${report.passed} passed, ${report.failed} failed`];
  for (const o of report.outcomes) {
    if (o.failures.length === 0) continue;
    lines.push(`FAIL ${o.file}`);
    for (const f of o.failures) lines.push(`  ${f}`);
  }
  return lines.join("\n");
}
