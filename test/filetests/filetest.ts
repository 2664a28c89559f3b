/**
 * Cranelift-style file tests for the IR. A `.sir` file is:
 *
 *   ; test: lower                     (input: Lox source; output: its IR)
 *   ; test: passes fold,dce           (input: IR text; output: after the passes)
 *   ; test: pipeline O2               (input: IR text or Lox; a named pipeline)
 *   ; test: specialize                (input: Lox with an @specialize function;
 *                                      output: the program's output, what the
 *                                      partial evaluator reported, with its
 *                                      units of work, and each specialized
 *                                      function's IR)
 *   ; fn: NAME                        (optional: print only functions named NAME)
 *   <input>
 *   ; ---- expect ----
 *   <expected output>
 *
 * The verifier runs on the input IR and after every pass. With
 * UPDATE_FILETESTS=1 the expected part is rewritten from the actual output
 * (bless mode); review the diff before committing.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { compile, sourceFromText } from "../../src/api.ts";
import { assertValid, type Module, parseModule, printFunction, verifyFunction } from "../../src/ir/index.ts";
import { IrTiering } from "../../src/jit/ir-tiering.ts";
import { LoxRuntimeError } from "../../src/runtime/errors.ts";
import { Heap } from "../../src/runtime/heap.ts";
import { IrHost } from "../../src/runtime/ir-host.ts";
import { StringOutput } from "../../src/runtime/output.ts";
import { lowerProgram } from "../../src/lower/index.ts";
import { PIPELINES, runPipeline } from "../../src/passes/index.ts";
import { renderDiagnostic } from "../../src/syntax/index.ts";

export const SEPARATOR = "; ---- expect ----";

export interface FileTest {
  readonly kind: "lower" | "passes" | "pipeline" | "specialize";
  readonly passes: readonly string[];
  readonly fn: string | null;
  readonly input: string;
  readonly expected: string;
}

export function parseFileTest(text: string, path: string): FileTest {
  const sep = text.indexOf(SEPARATOR);
  if (sep === -1) throw new Error(`${path}: missing '${SEPARATOR}' line`);
  const head = text.slice(0, sep);
  const expected = text.slice(sep + SEPARATOR.length).replace(/^\n/, "");
  const lines = head.split("\n");
  const header = /^; test: (lower|passes|pipeline|specialize)\s*(.*)$/.exec(lines[0] ?? "");
  if (header === null) throw new Error(`${path}: first line must be '; test: lower|passes NAMES|pipeline NAME|specialize'`);
  const kind = header[1] as FileTest["kind"];
  const arg = (header[2] ?? "").trim();
  let fn: string | null = null;
  let bodyStart = 1;
  const fnLine = /^; fn: (\S+)$/.exec(lines[1] ?? "");
  if (fnLine !== null) {
    fn = fnLine[1] as string;
    bodyStart = 2;
  }
  const passes = kind === "passes" ? arg.split(",").map((s) => s.trim()).filter((s) => s !== "")
    : kind === "pipeline" ? [...(PIPELINES[arg] ?? (() => { throw new Error(`${path}: unknown pipeline '${arg}'`); })())]
    : [];
  return { kind, passes, fn, input: lines.slice(bodyStart).join("\n"), expected };
}

function looksLikeIr(input: string): boolean {
  return /^\s*(function|global|class)\b/m.test(input) && !/^\s*(fun|var|print)\b/m.test(input);
}

function toModule(test: FileTest, path: string): Module {
  if (test.kind === "lower" || test.kind === "specialize" || !looksLikeIr(test.input)) {
    const front = compile(sourceFromText(test.input));
    if (front.diagnostics.length > 0) {
      throw new Error(`${path}: the Lox input does not compile:\n${front.diagnostics.map(renderDiagnostic).join("\n")}`);
    }
    return lowerProgram(front);
  }
  return parseModule(test.input);
}

/**
 * Runs a Lox program on the IR engine (-O2) with eager specialization:
 * its output, the tiering reports, and the specialized functions.
 */
function runSpecializeTest(module: Module): string {
  runPipeline(module, PIPELINES["O2"] as readonly string[], { verify: true });
  const heap = Heap.create();
  const out = new StringOutput();
  const host = new IrHost(module, heap, out, 10_000_000);
  const reports: string[] = [];
  new IrTiering(module, heap, {
    mode: "eager",
    report: (e) => {
      // The units count shows how much work the partial evaluator did (its folds at work: kind-facts.ts, compare-steps.ts),
      // the inlined count how many of them went into another unit's block.
      if (e.kind === "specialized") reports.push(`; specialized ${e.generic} as ${e.name} (${e.stats.units} units, ${e.stats.inlined} inlined)`);
      else if (e.kind === "abandoned") reports.push(`; abandoned ${e.generic}: ${e.reason}`);
    },
  }).install(host.interpreter);
  let error = "";
  try {
    host.runScript();
  } catch (e) {
    if (!(e instanceof LoxRuntimeError)) throw e;
    error = `; runtime error: ${e.message}\n`;
  }
  const specialized = module.functions.filter((f) => f.attributes.some((a) => a.name === "specialization"));
  for (const f of specialized) {
    const problems = verifyFunction(module, f);
    if (problems.length > 0) throw new Error(`specialized function ${f.name} does not verify:\n${problems.join("\n")}`);
  }
  const output = out.text.split("\n").filter((l) => l !== "").map((l) => `; output: ${l}`).join("\n");
  // Heap addresses depend on the heap's layout: name them by first appearance.
  const objects = new Map<string, number>();
  const name = (addr: string): string => `lox.object <object ${objects.get(addr) ?? (objects.set(addr, objects.size + 1), objects.size)}>`;
  const text = [output, error + reports.join("\n"), ...specialized.map((f) => printFunction(module, f))].filter((part) => part !== "").join("\n").replace(/lox\.object (\d+)/g, (_, addr: string) => name(addr));
  return text.endsWith("\n") ? text : text + "\n";
}

export function runFileTest(test: FileTest, path: string): string {
  const module = toModule(test, path);
  assertValid(module, "parsing the input");
  if (test.kind === "specialize") return runSpecializeTest(module);
  runPipeline(module, test.passes, { verify: true });
  return module.functions
    .filter((f) => test.fn === null || f.name === test.fn)
    .map((f) => printFunction(module, f))
    .join("\n");
}

export function bless(path: string, actual: string): void {
  const text = readFileSync(path, "utf8");
  const sep = text.indexOf(SEPARATOR);
  writeFileSync(path, text.slice(0, sep + SEPARATOR.length) + "\n" + actual);
}
