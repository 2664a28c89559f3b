/**
 * Run-time specialization agrees with the generic code: the interpreters
 * of the partial evaluator's file tests (test/filetests/pe) run on the tree
 * engine (the reference), and with the JIT off, eager and automatic on the
 * IR and Wasm engines; output, exit code and errors must be the same, and
 * the eager runs must actually have specialized (or, where the file says
 * the PE gives up, have reported why).
 */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type JitMode, run, runAsync, StringOutput, sourceFromText } from "../../src/api.ts";

const dir = new URL("../filetests/pe/", import.meta.url);
const programs = readdirSync(dir).filter((f) => f.endsWith(".sir")).sort().map((f) => {
  const text = readFileSync(new URL(f, dir), "utf8");
  const source = text.slice(text.indexOf("\n") + 1, text.indexOf("; ---- expect ----"));
  return { name: f, source: sourceFromText(source), abandons: text.includes("; abandoned") };
});

interface Outcome { code: number; stdout: string; stderr: string; events: string[] }

async function outcome(source: string, engine: "tree" | "ir" | "wasm", jit: JitMode): Promise<Outcome> {
  const stdout = new StringOutput();
  let stderr = "";
  const events: string[] = [];
  const options = { engine, jit, stdout, stderr: (t: string) => (stderr += t), jitReport: (e: { kind: string }) => events.push(e.kind) };
  const code = engine === "wasm" ? await runAsync(source, options) : run(source, options);
  return { code, stdout: stdout.text, stderr, events };
}

describe("run-time specialization", () => {
  it("has programs", () => {
    expect(programs.length).toBeGreaterThanOrEqual(5);
  });
  it.each(programs)("$name: specialized runs agree with the reference", async ({ source, abandons }) => {
    const reference = await outcome(source, "tree", "off");
    for (const engine of ["ir", "wasm"] as const) {
      for (const jit of ["off", "eager", "auto"] as const) {
        const got = await outcome(source, engine, jit);
        expect({ engine, jit, code: got.code, stdout: got.stdout, stderr: got.stderr })
          .toEqual({ engine, jit, code: reference.code, stdout: reference.stdout, stderr: reference.stderr });
        if (jit === "off") expect(got.events).toEqual([]);
        if (jit === "eager") expect(got.events).toContain(abandons ? "abandoned" : "specialized");
      }
    }
  });
});
