/**
 * Runs every test/filetests/**.sir file (see filetest.ts). Set
 * UPDATE_FILETESTS=1 to rewrite expectations from the actual output.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { bless, parseFileTest, runFileTest } from "./filetest.ts";

const root = fileURLToPath(new URL(".", import.meta.url));

function find(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((e) => {
    const p = join(dir, e);
    return statSync(p).isDirectory() ? find(p) : e.endsWith(".sir") ? [p] : [];
  });
}

const files = find(root);
const update = process.env["UPDATE_FILETESTS"] === "1";

describe("IR file tests", () => {
  it("exist", () => {
    expect(files.length).toBeGreaterThanOrEqual(40);
  });
  it.each(files.map((f) => [relative(root, f), f] as const))("%s", (_, path) => {
    const test = parseFileTest(readFileSync(path, "utf8"), path);
    const actual = runFileTest(test, path);
    if (update) bless(path, actual);
    else expect(actual).toBe(test.expected);
  });
});
