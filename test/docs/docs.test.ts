/**
 * The documentation's examples are programs: every ```lox block in docs/
 * must print exactly the ```output block that follows it, and write exactly
 * the ```stderr block after that if there is one (exit 65 for compile
 * errors, 70 for runtime errors), or nothing.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { run, sourceFromText, StringOutput } from "../../src/api.ts";
import { REPO_ROOT } from "../conformance/runner.ts";

interface Example {
  readonly doc: string;
  readonly line: number;
  readonly program: string;
  readonly stdout: string;
  readonly stderr: string | null;
}

function examples(doc: string): Example[] {
  const text = readFileSync(join(REPO_ROOT, "docs", doc), "utf8");
  const blocks: { lang: string; body: string; line: number }[] = [];
  const fence = /^```(\w*)\n([\s\S]*?)^```$/gm;
  for (let m = fence.exec(text); m !== null; m = fence.exec(text)) {
    blocks.push({ lang: m[1] as string, body: m[2] as string, line: text.slice(0, m.index).split("\n").length });
  }
  const result: Example[] = [];
  blocks.forEach((block, i) => {
    if (block.lang !== "lox") return;
    const output = blocks[i + 1];
    if (output?.lang !== "output") throw new Error(`${doc}:${block.line}: a lox example needs an output block after it`);
    const stderr = blocks[i + 2]?.lang === "stderr" ? (blocks[i + 2]?.body ?? null) : null;
    result.push({ doc, line: block.line, program: block.body, stdout: output.body, stderr });
  });
  return result;
}

const docs = readdirSync(join(REPO_ROOT, "docs")).filter((f) => f.endsWith(".md"));
const all = docs.flatMap(examples);

describe("documentation examples", () => {
  it("exist", () => {
    expect(all.length).toBeGreaterThanOrEqual(8);
  });
  it.each(all.map((e) => [`${e.doc}:${e.line}`, e] as const))("%s runs as documented", (_, e) => {
    const stdout = new StringOutput();
    let stderr = "";
    const code = run(sourceFromText(e.program), { stdout, stderr: (t) => (stderr += t) });
    const expectedCode = e.stderr === null ? 0 : e.stderr.startsWith("[line") ? 65 : 70;
    expect({ stdout: stdout.text, stderr, code }).toEqual({
      stdout: sourceFromText(e.stdout), stderr: sourceFromText(e.stderr ?? ""), code: expectedCode,
    });
  });
});
