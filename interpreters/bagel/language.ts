/**
 * Bagel as a guest language of Sa: compiles a Bagel source to the Lox text
 * that, appended to interpreter.lox, loads and runs it. Compile errors come
 * back rendered in Lox's format. This is the module the manifest names as
 * the front end.
 */
import { compileBagel, loxProgramText, renderBagelDiagnostic } from "./frontend/index.ts";

export type GuestCompileResult =
  | { readonly ok: true; readonly loxText: string }
  | { readonly ok: false; readonly errors: readonly string[] };

export function compileBagelToLox(source: string, entry: string): GuestCompileResult {
  const result = compileBagel(source);
  if (!result.ok) return { ok: false, errors: result.diagnostics.map(renderBagelDiagnostic) };
  return { ok: true, loxText: loxProgramText(result.program, entry) };
}
