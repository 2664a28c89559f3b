/**
 * The documentation's examples are programs: every ```lox block in docs/
 * must print exactly the ```output block that follows it, and write exactly
 * the ```stderr block after that if there is one (exit 65 for compile
 * errors, 70 for runtime errors), or nothing.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { run, sourceFromText, StringOutput } from "../../src/api.ts";
import { REPO_ROOT } from "../conformance/runner.ts";
import { type DocExample, docExamples } from "./examples.ts";

function examples(doc: string): (DocExample & { readonly doc: string })[] {
  return docExamples(join(REPO_ROOT, "docs", doc), "lox").map((e) => ({ ...e, doc }));
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
