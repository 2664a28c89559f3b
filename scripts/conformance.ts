/**
 * `npm run conformance -- [--engine=NAME] [other sa run flags] [DIR]`: runs
 * a Lox test directory (default ../shared/lox/test) through bin/sa and
 * prints `N passed, N failed` with each failure's reason. Exits 1 on any
 * failure, 2 when the directory is missing. `--command=PATH` runs another
 * Lox implementation instead (`PATH FILE`), for checking the tests.
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { findLoxFiles, formatReport, runSuite, SHARED_LOX } from "../test/conformance/runner.ts";

const args = process.argv.slice(2);
const commandArg = args.find((a) => a.startsWith("--command="));
const command = commandArg === undefined ? null : commandArg.slice("--command=".length);
const flags = args.filter((a) => a.startsWith("-") && a !== commandArg);
const dirArg = args.find((a) => !a.startsWith("-"));
const dir = dirArg !== undefined ? resolve(dirArg) : join(SHARED_LOX, "test");
if (!existsSync(dir)) {
  console.error(`conformance: ${dir} does not exist (the shared Lox suite is not checked out here)`);
  process.exit(2);
}
const started = performance.now();
const report = await runSuite(findLoxFiles(dir), flags, dir, undefined, command);
console.log(formatReport(report));
console.log(`(${dir}, ${command ?? "bin/sa run"}, flags: ${flags.join(" ") || "none"}, ${((performance.now() - started) / 1000).toFixed(1)} s)`);
process.exit(report.failed > 0 ? 1 : 0);
