/**
 * Test helpers: run a Bagel source on the Lox interpreter (any engine, in
 * process) or on the JavaScript twin, as an outcome (exit code, stdout,
 * stderr) in the format `sa run` uses.
 */
import { type Engine, findLanguage, type JitMode, runGuestAsync, StringOutput, type TieringEvent } from "../../src/api.ts";
import { compileBagel, renderBagelDiagnostic } from "../../interpreters/bagel/frontend/index.ts";
import { BagelRuntimeError, runProgram } from "../../interpreters/bagel/twins/interpreter.ts";

export interface Outcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

const bagel = findLanguage("program.bagel");
if (bagel === null) throw new Error("the Bagel manifest was not found");
export const BAGEL = bagel;

/**
 * Runs on the Lox interpreter; `jit` and `report` choose and observe
 * run-time specialization (ir and wasm engines); `disabled` names
 * interpreter annotations to ignore (an ablation).
 */
export async function runOnLox(
  source: string, engine: Engine = "tree", jit: JitMode = "auto", report?: (e: TieringEvent) => void,
  disabled: ReadonlySet<string> = new Set(),
): Promise<Outcome> {
  const stdout = new StringOutput();
  let stderr = "";
  const code = await runGuestAsync(BAGEL, source, {
    engine, jit, verifyJit: true, stdout, stderr: (t) => { stderr += t; }, ...(report === undefined ? {} : { jitReport: report }),
    disabledAnnotations: disabled,
  });
  return { code, stdout: stdout.text, stderr };
}

export function runOnTwin(source: string): Outcome {
  const compiled = compileBagel(source);
  if (!compiled.ok) return { code: 65, stdout: "", stderr: compiled.diagnostics.map((d) => renderBagelDiagnostic(d) + "\n").join("") };
  let stdout = "";
  try {
    runProgram(compiled.program, (t) => { stdout += t; });
    return { code: 0, stdout, stderr: "" };
  } catch (e) {
    if (!(e instanceof BagelRuntimeError)) throw e;
    return { code: 70, stdout, stderr: `${e.message}\n[line ${e.line}]\n` };
  }
}
