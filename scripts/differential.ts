/**
 * Differential testing of Sa against another Lox implementation, such as
 * the reference C implementation (clox) built locally:
 *
 *   npx tsx scripts/differential.ts --command=/path/to/clox [--standard] [--runs=N] [--seed=S]
 *
 * Generates N random programs (test/property/gen/lox-program.ts; standard
 * Lox only with --standard, which another implementation needs unless it
 * has Sa's dialect), runs each with `node bin/sa run FILE` and with
 * `COMMAND FILE`, and compares stdout, the exit code and, for runtime
 * errors (exit 70), the first stderr line and the first `[line N]`. Prints
 * every mismatch (program, both outputs) and `N programs, M mismatches`;
 * exits 1 on any mismatch. The seed is printed so a run can be repeated.
 *
 * Generated programs stay within clox's limits (call depth well under 64,
 * under 256 constants per function) and never print NaN.
 * Programs are written under os.tmpdir(); mismatching ones are kept there.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { loxProgram } from "../test/property/gen/lox-program.ts";

const SA = fileURLToPath(new URL("../bin/sa", import.meta.url));
const TIMEOUT_MS = 20_000;

interface Result {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
}

function option(name: string): string | undefined {
  const prefix = `--${name}=`;
  return process.argv.slice(2).find((a) => a.startsWith(prefix))?.slice(prefix.length);
}

function exec(command: string, args: readonly string[]): Promise<Result> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, TIMEOUT_MS);
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    child.on("error", (e) => {
      clearTimeout(timer);
      resolve({ code: null, stdout: "", stderr: String(e), timedOut });
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out).toString("latin1"), stderr: Buffer.concat(err).toString("latin1"), timedOut });
    });
  });
}

/** What must agree: exit code, stdout, and for runtime errors the message and innermost line. */
function differences(a: Result, b: Result): string[] {
  const diffs: string[] = [];
  if (a.timedOut || b.timedOut) diffs.push("timeout");
  if (a.code !== b.code) diffs.push(`exit code ${a.code} vs ${b.code}`);
  if (a.stdout !== b.stdout) diffs.push("stdout");
  if (a.code === 70 && b.code === 70) {
    const first = (r: Result): string => r.stderr.split("\n")[0] ?? "";
    const line = (r: Result): string => /\[line \d+\]/.exec(r.stderr)?.[0] ?? "";
    if (first(a) !== first(b)) diffs.push("error message");
    if (line(a) !== line(b)) diffs.push("error line");
  }
  return diffs;
}

function show(label: string, r: Result): string {
  const clip = (s: string): string => (s.length > 4000 ? `${s.slice(0, 4000)}\n... (${s.length} bytes)` : s);
  return `--- ${label}: exit ${r.code}${r.timedOut ? " (timed out)" : ""}\n[stdout]\n${clip(r.stdout)}[stderr]\n${clip(r.stderr)}`;
}

async function main(): Promise<number> {
  const command = option("command");
  if (command === undefined) {
    console.error("usage: npx tsx scripts/differential.ts --command=/path/to/lox [--standard] [--runs=N] [--seed=S]");
    return 64;
  }
  const standard = process.argv.includes("--standard");
  const runs = Number(option("runs") ?? 100);
  const seed = Number(option("seed") ?? Date.now() % 2 ** 31);
  const programs = fc.sample(loxProgram({ dialect: !standard }), { numRuns: runs, seed });
  const dir = mkdtempSync(join(tmpdir(), "sa-differential-"));
  console.log(`seed ${seed}, ${standard ? "standard Lox" : "dialect"}, ${command} vs ${SA}, files in ${dir}`);

  let mismatches = 0;
  let runtimeErrors = 0;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < programs.length) {
      const index = next++;
      const program = programs[index] as string;
      const file = join(dir, `program-${index}.lox`);
      writeFileSync(file, program, "utf8");
      const [sa, other] = await Promise.all([exec(process.execPath, [SA, "run", file]), exec(command, [file])]);
      if (sa.code === 70) runtimeErrors++;
      const diffs = differences(sa, other);
      if (diffs.length === 0) {
        rmSync(file);
        continue;
      }
      mismatches++;
      console.log(`\n=== mismatch in ${file}: ${diffs.join(", ")}\n${program}${show("sa", sa)}${show(command, other)}`);
    }
  };
  const workers = Math.max(1, Math.min(8, Math.floor(availableParallelism() / 2)));
  await Promise.all(Array.from({ length: workers }, worker));
  if (mismatches === 0) rmSync(dir, { recursive: true, force: true });
  console.log(`\n${programs.length} programs, ${mismatches} mismatches (${runtimeErrors} runtime errors in sa; seed ${seed})`);
  return mismatches > 0 ? 1 : 0;
}

process.exit(await main());
