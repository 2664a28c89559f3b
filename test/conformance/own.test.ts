/**
 * The project's own Lox test programs (test/lox), in the same expectation
 * format as the shared suite, run through the real command line; and a
 * check that every diagnostic in the catalogue and every runtime error
 * message is exercised by at least one of them.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DIAGNOSTICS } from "../../src/syntax/diagnostics.ts";
import { RuntimeMessage } from "../../src/runtime/messages.ts";
import { BatchRunner, CONFIGURATIONS, findLoxFiles, formatReport, REPO_ROOT, runSuite } from "./runner.ts";

const dir = join(REPO_ROOT, "test", "lox");
const files = findLoxFiles(dir);
const sources = files.map((f) => readFileSync(f, "latin1"));

/** The fixed text of a message before its first parameter. */
function staticPrefix(text: string): string {
  const cut = text.search(/\{\d\}|\u0000/);
  return cut === -1 ? text : text.slice(0, cut);
}

/** Messages only engines other than the tree engine can produce; each is tested with its engine. */
const NOT_TREE_ENGINE = new Set(["outOfMemory"]);

/** Wasm runs go through long-lived workers (binaryen loads once); the others through the real `sa` command. */
let batch: BatchRunner | null = null;
afterAll(async () => {
  await batch?.close();
});

describe("own Lox tests (test/lox)", () => {
  it.each(CONFIGURATIONS.map((flags) => [flags.join(" "), flags] as const))("pass with %s", async (name, flags) => {
    if (flags.includes("--engine=wasm")) batch ??= new BatchRunner();
    const report = await runSuite(files, flags, dir, undefined, null, flags.includes("--engine=wasm") ? batch : null);
    console.log(`own suite, ${name}: ${report.passed} passed, ${report.failed} failed`);
    expect(report.failed, formatReport(report)).toBe(0);
    expect(report.passed).toBe(files.length);
  });

  it("cover every compile-time diagnostic", () => {
    const missing = Object.entries(DIAGNOSTICS)
      .filter(([, d]) => !sources.some((s) => s.includes(staticPrefix(d.message))))
      .map(([id]) => id);
    expect(missing).toEqual([]);
  });

  it("cover every runtime error message", () => {
    const missing: string[] = [];
    for (const [name, message] of Object.entries(RuntimeMessage)) {
      if (NOT_TREE_ENGINE.has(name)) continue;
      const text = typeof message === "string" ? message : (message as (...a: unknown[]) => string)("\u0000", "\u0000", "\u0000");
      const prefix = staticPrefix(text);
      if (!sources.some((s) => s.includes(`expect runtime error: ${prefix}`))) missing.push(name);
    }
    expect(missing).toEqual([]);
  });
});
