/**
 * Times whole processes with tinybench: each sample is one run of a
 * command, from spawn to exit, so a Lox program's time includes starting
 * Node, compiling and running, as a user sees it. A run that exits with a
 * non-zero status stops the benchmark with its stderr.
 */
import { spawnSync } from "node:child_process";
import { Bench } from "tinybench";

/** Statistics of a command's wall-clock time, in seconds. */
export interface Timing {
  readonly median: number;
  /** Median absolute deviation. */
  readonly mad: number;
  readonly min: number;
  readonly max: number;
  readonly samples: number;
}

export interface Command {
  readonly program: string;
  readonly args: readonly string[];
  readonly cwd?: string;
}

export class CommandFailed extends Error {}

/** Runs a command to its end and returns its stderr; a failure to start or a non-zero exit is CommandFailed. */
function runOnce(command: Command): string {
  const result = spawnSync(command.program, command.args, {
    cwd: command.cwd, stdio: ["ignore", "ignore", "pipe"], maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error !== undefined) throw new CommandFailed(`${command.program}: ${result.error.message}`);
  const stderr = result.stderr.toString("utf8");
  if (result.status !== 0) {
    const err = stderr.trim().split("\n").slice(0, 5).join("\n  ");
    throw new CommandFailed(`${[command.program, ...command.args].join(" ")} exited with ${result.status ?? result.signal}:\n  ${err}`);
  }
  return stderr;
}

/** Adds the named milliseconds `parse` finds in one run's stderr to `samples`. */
function addSamples(samples: Map<string, number[]>, parsed: Record<string, number>): void {
  for (const [name, ms] of Object.entries(parsed)) samples.set(name, [...(samples.get(name) ?? []), ms]);
}

export async function timeCommand(command: Command, iterations: number): Promise<Timing> {
  const bench = new Bench({ iterations, time: 0, warmup: false, throws: true });
  bench.add("run", () => runOnce(command));
  await bench.run();
  const task = bench.tasks[0];
  const result = task?.result;
  if (result === undefined || !("latency" in result)) throw new CommandFailed(`no timing for ${command.program}`);
  const s = result.latency;
  return { median: s.p50 / 1000, mad: s.mad / 1000, min: s.min / 1000, max: s.max / 1000, samples: s.samplesCount };
}

/** Median and median absolute deviation of samples (milliseconds in, seconds out). */
function statistics(samplesMs: readonly number[]): Timing {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const median = (xs: readonly number[]): number => {
    const mid = xs.length >> 1;
    return xs.length % 2 === 1 ? (xs[mid] as number) : ((xs[mid - 1] as number) + (xs[mid] as number)) / 2;
  };
  const m = median(sorted);
  const mad = median(sorted.map((x) => Math.abs(x - m)).sort((a, b) => a - b));
  return { median: m / 1000, mad: mad / 1000, min: (sorted[0] ?? 0) / 1000, max: (sorted[sorted.length - 1] ?? 0) / 1000, samples: sorted.length };
}

/**
 * Runs a command `iterations` times under tinybench and collects the
 * times the process reports about itself on stderr (e.g. `sa run --time`):
 * `parse` turns one run's stderr into named milliseconds. Measuring inside
 * the process leaves out starting Node and compiling, which every
 * configuration pays alike and would blur the ratios.
 */
export async function timeReported(
  command: Command, iterations: number, parse: (stderr: string) => Record<string, number>,
): Promise<Record<string, Timing>> {
  const samples = new Map<string, number[]>();
  const bench = new Bench({ iterations, time: 0, warmup: false, throws: true });
  bench.add("run", async () => addSamples(samples, parse(runOnce(command))));
  await bench.run();
  return Object.fromEntries([...samples].map(([name, xs]) => [name, statistics(xs)]));
}

/** One of the commands `timeReportedRounds` alternates between. */
export interface ReportedCommand {
  readonly label: string;
  readonly command: Command;
  readonly parse: (stderr: string) => Record<string, number>;
}

/**
 * Like `timeReported` for several commands whose times are compared with
 * one another: each tinybench iteration is one round that runs every
 * command once, in order, so slow drifts of the machine (frequency,
 * caches, other load) fall on all of them alike instead of on whichever
 * ran last. A command that fails is reported (`progress`) and left out of
 * later rounds; its result is the failure's message.
 */
export async function timeReportedRounds(
  commands: readonly ReportedCommand[], iterations: number, progress: (line: string) => void = () => {},
): Promise<Map<string, Record<string, Timing> | string>> {
  const samples = commands.map(() => new Map<string, number[]>());
  const failures = new Map<string, string>();
  const bench = new Bench({ iterations, time: 0, warmup: false, throws: true });
  // Async functions: tinybench calls a plain one once more to find out whether it is async (a sample too many).
  bench.add("round", async () => {
    commands.forEach(({ label, command, parse }, i) => {
      if (failures.has(label)) return;
      try {
        addSamples(samples[i] as Map<string, number[]>, parse(runOnce(command)));
      } catch (e) {
        if (!(e instanceof CommandFailed)) throw e;
        progress(`  ${label} failed: ${e.message}`);
        failures.set(label, e.message);
      }
    });
  });
  await bench.run();
  return new Map(commands.map(({ label }, i) => [
    label, failures.get(label) ?? Object.fromEntries([...(samples[i] as Map<string, number[]>)].map(([name, xs]) => [name, statistics(xs)])),
  ]));
}

export function geometricMean(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  return Math.exp(values.reduce((sum, v) => sum + Math.log(v), 0) / values.length);
}

/** a / b of two medians, or null when either is missing. */
export function ratio(a: Timing | null, b: Timing | null): number | null {
  return a === null || b === null ? null : a.median / b.median;
}

/** The geometric mean of the values present, or null if there are none. */
export function geometricMeanOfPresent(values: readonly (number | null)[]): number | null {
  const present = values.filter((v): v is number => v !== null);
  return present.length === 0 ? null : geometricMean(present);
}
