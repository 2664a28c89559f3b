/**
 * The examples of interpreters/bagel/README.md are programs: every ```bagel
 * block must print exactly the ```output block after it and write exactly
 * the ```stderr block after that if there is one (exit 65 or 70), or
 * nothing; on the JavaScript twin and on the Lox interpreter (tree engine).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../conformance/runner.ts";
import { runOnLox, runOnTwin } from "./run-bagel.ts";

interface Example {
  readonly line: number;
  readonly program: string;
  readonly stdout: string;
  readonly stderr: string;
}

function examples(): Example[] {
  const text = readFileSync(join(REPO_ROOT, "interpreters", "bagel", "README.md"), "utf8");
  const blocks: { lang: string; body: string; line: number }[] = [];
  const fence = /^```(\w*)\n([\s\S]*?)^```$/gm;
  for (let m = fence.exec(text); m !== null; m = fence.exec(text)) {
    blocks.push({ lang: m[1] as string, body: m[2] as string, line: text.slice(0, m.index).split("\n").length });
  }
  const result: Example[] = [];
  blocks.forEach((block, i) => {
    if (block.lang !== "bagel") return;
    const output = blocks[i + 1];
    if (output?.lang !== "output") throw new Error(`README.md:${block.line}: a bagel example needs an output block after it`);
    const stderr = blocks[i + 2]?.lang === "stderr" ? (blocks[i + 2]?.body ?? "") : "";
    result.push({ line: block.line, program: block.body, stdout: output.body, stderr });
  });
  return result;
}

describe("Bagel README examples", () => {
  const all = examples();
  it("has examples", () => expect(all.length).toBeGreaterThanOrEqual(5));
  for (const example of all) {
    const expected = (code: number): void => {
      if (example.stderr === "") expect(code).toBe(0);
      else expect([65, 70]).toContain(code);
    };
    it(`line ${example.line} on the twin`, () => {
      const r = runOnTwin(example.program);
      expected(r.code);
      expect({ stdout: r.stdout, stderr: r.stderr }).toEqual({ stdout: example.stdout, stderr: example.stderr });
    });
    it(`line ${example.line} on the tree engine`, async () => {
      const r = await runOnLox(example.program, "tree");
      expected(r.code);
      expect({ stdout: r.stdout, stderr: r.stderr }).toEqual({ stdout: example.stdout, stderr: example.stderr });
    });
  }
});
