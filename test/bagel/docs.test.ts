/**
 * The examples of interpreters/bagel/README.md are programs: every ```bagel
 * block must print exactly the ```output block after it and write exactly
 * the ```stderr block after that if there is one (exit 65 or 70), or
 * nothing; on the JavaScript twin and on the Lox interpreter (tree engine).
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../conformance/runner.ts";
import { docExamples } from "../docs/examples.ts";
import { runOnLox, runOnTwin } from "./run-bagel.ts";

function examples(): { line: number; program: string; stdout: string; stderr: string }[] {
  return docExamples(join(REPO_ROOT, "interpreters", "bagel", "README.md"), "bagel").map((e) => ({ ...e, stderr: e.stderr ?? "" }));
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
