/**
 * The -O2 pipeline on real programs: for every test/lox/language and
 * test/lox/extensions program that compiles, the optimized IR verifies
 * after every pass, and the IR engine prints the same output, exits with
 * the same code and reports the same runtime error trace at O0 and O2.
 *
 * Programs run through `run` (src/api.ts) on a worker thread with the CLI's
 * native stack (64 MiB, see src/cli/worker.ts), loading the sources with
 * tsx: on the test runner's own small stack deep Lox recursion exhausts the
 * host stack at a point that depends on the host, not on the program.
 * Programs taking more than SLOW_MS at O0 are skipped (conformance covers
 * them). The "... N more calls ..." line of a stack-overflow trace counts
 * frames down to the host's limit, so its number is not compared.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compile, decodeSource, type OptLevel } from "../../src/api.ts";
import { assertValid } from "../../src/ir/index.ts";
import { lowerProgram } from "../../src/lower/index.ts";
import { PIPELINES, runPipeline } from "../../src/passes/index.ts";

const LOX = fileURLToPath(new URL("../lox/", import.meta.url));
const SLOW_MS = 2000;

function find(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((e) => {
    const p = join(dir, e);
    return statSync(p).isDirectory() ? find(p) : e.endsWith(".lox") ? [p] : [];
  });
}

const programs = [...find(join(LOX, "language")), ...find(join(LOX, "extensions"))]
  .map((path) => ({ name: relative(LOX, path), source: decodeSource(readFileSync(path)) }))
  .filter((p) => compile(p.source).diagnostics.length === 0);

interface Outcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** Worker code: loads src/api.ts through tsx, then runs each program it is sent (a crash is exit code -1). */
const WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
(async () => {
  const { tsImport } = await import(workerData.tsx);
  const api = await tsImport(workerData.api, workerData.api);
  parentPort.on("message", ({ source, opt }) => {
    const stdout = new api.StringOutput();
    let stderr = "";
    const start = performance.now();
    let code;
    try {
      code = api.run(source, { engine: "ir", opt, stdout, stderr: (t) => (stderr += t) });
    } catch (e) {
      code = -1;
      stderr += "internal error: " + String(e && e.stack || e);
    }
    parentPort.postMessage({ code, stdout: stdout.text, stderr, ms: performance.now() - start });
  });
  parentPort.postMessage("ready");
})();`;

let worker: Worker;

function reply<T>(): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: T): void => { worker.off("error", onError); resolve(m); };
    const onError = (e: Error): void => { worker.off("message", onMessage); reject(e); };
    worker.once("message", onMessage);
    worker.once("error", onError);
  });
}

async function runAt(source: string, opt: OptLevel): Promise<Outcome> {
  const answer = reply<Outcome>();
  worker.postMessage({ source, opt });
  const o = await answer;
  return { ...o, stderr: o.stderr.replace(/^\.\.\. \d+ more calls \.\.\.$/m, "... N more calls ...") };
}

beforeAll(async () => {
  worker = new Worker(WORKER, {
    eval: true,
    workerData: { tsx: import.meta.resolve("tsx/esm/api"), api: new URL("../../src/api.ts", import.meta.url).href },
    resourceLimits: { stackSizeMb: 64 },
  });
  expect(await reply<string>()).toBe("ready");
});

afterAll(async () => {
  await worker.terminate();
});

describe("the O2 pipeline", () => {
  it("has programs to run", () => {
    expect(programs.length).toBeGreaterThanOrEqual(40);
  });

  it.each(programs.map((p) => [p.name, p.source] as const))("keeps %s valid", (_, source) => {
    const module = lowerProgram(compile(source));
    assertValid(module, "lowering");
    runPipeline(module, PIPELINES["O2"] ?? [], { verify: true });
    assertValid(module, "O2");
  });

  for (const { name, source } of programs) {
    it(`runs ${name} as at O0`, async (ctx) => {
      const { ms, ...o0 } = await runAt(source, "O0");
      if (ms > SLOW_MS) ctx.skip(`takes ${Math.round(ms)} ms at O0`);
      const { ms: _, ...o2 } = await runAt(source, "O2");
      expect(o2).toEqual(o0);
    });
  }
});
