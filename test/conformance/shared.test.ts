/**
 * The shared Lox conformance suite (../shared/lox/test), run through the
 * real command line. The suite is not part of the project: when it is
 * absent the test is reported as skipped, with a notice.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BatchRunner, CONFIGURATIONS, findLoxFiles, formatReport, runSuite, SHARED_LOX } from "./runner.ts";

const dir = join(SHARED_LOX, "test");
const present = existsSync(dir);
if (!present) console.warn(`NOTICE: ${dir} is not present; the shared Lox conformance suite is not run.`);

/** Wasm runs go through long-lived workers (binaryen loads once); the others through the real `sa` command. */
let batch: BatchRunner | null = null;
afterAll(async () => {
  await batch?.close();
});

describe("shared Lox conformance suite", () => {
  it.skipIf(!present).each(CONFIGURATIONS.map((flags) => [flags.join(" "), flags] as const))("passes with %s", async (name, flags) => {
    if (flags.includes("--engine=wasm")) batch ??= new BatchRunner();
    const report = await runSuite(findLoxFiles(dir), flags, dir, undefined, null, flags.includes("--engine=wasm") ? batch : null);
    console.log(`shared suite, ${name}: ${report.passed} passed, ${report.failed} failed`);
    expect(report.failed, formatReport(report)).toBe(0);
    expect(report.passed).toBeGreaterThanOrEqual(194);
  });
  it.skipIf(present)(`is absent (${dir}): not run`, () => {});
});
