/**
 * The contract every annotation plug-in fulfils, and helpers the plug-ins
 * share for checking their arguments.
 *
 * A plug-in owns one annotation: its name, what it may be written on, a
 * one-line summary for `--help` and docs, and its compile-time checks
 * (argument shapes and binding-time rules). Misuse is always a diagnostic
 * pointing at the annotation or the offending argument, never a silent
 * no-op. Later stages (the engines, the partial evaluator) see annotations
 * as the IR attributes lowering makes of them; an ablation
 * (`--disable-annotation`) checks an annotation as usual and then leaves
 * its attribute out, so it is disabled everywhere at once.
 */
import type { Anchor, Annotation, AnnotationArg, ClassStmt, FunctionStmt } from "../src/syntax/ast.ts";
import type { DiagnosticId } from "../src/syntax/diagnostics.ts";
import { assertNever } from "../src/support/assert.ts";

export type AnnotationTarget = "function" | "method" | "class";

/** What checks that look beyond the annotated declaration know about the whole program. */
export interface ProgramFacts {
  readonly source: string;
  /** Functions declared at the top level, by name (the last declaration of a name). */
  readonly topLevelFunctions: ReadonlyMap<string, FunctionStmt>;
  /** Names declared at the top level (`var`, `fun`, `class`). */
  readonly globalNames: ReadonlySet<string>;
  /** Names that may not keep their first value: declared at the top level more than once, or assigned anywhere. */
  readonly unstableNames: ReadonlySet<string>;
}

/** The declaration an annotation is written on. */
export type AnnotationSite =
  | {
    readonly target: "function" | "method"; readonly decl: FunctionStmt; readonly ownerClass: ClassStmt | null;
    readonly program: ProgramFacts;
  }
  | { readonly target: "class"; readonly decl: ClassStmt; readonly ownerClass: null; readonly program: ProgramFacts };

export type Report = (anchor: Anchor, id: DiagnosticId, args?: readonly string[]) => void;

export interface AnnotationPlugin {
  readonly name: string;
  readonly summary: string;
  /** How it is written, e.g. `@specialize(param, ...)`. */
  readonly syntax: string;
  readonly targets: readonly AnnotationTarget[];
  check(annotation: Annotation, site: AnnotationSite, report: Report): void;
}

export function describeTargets(targets: readonly AnnotationTarget[]): string {
  const words = targets.map((t) => (t === "function" ? "functions" : t === "method" ? "methods" : "classes"));
  return words.length <= 1 ? (words[0] ?? "nothing") : `${words.slice(0, -1).join(", ")} and ${words[words.length - 1]}`;
}

function describeArg(arg: AnnotationArg): string {
  switch (arg.kind) {
    case "name": return `the name '${arg.name}'`;
    case "number": return `the number ${arg.value}`;
    case "string": return `the string "${arg.value}"`;
    default: return assertNever(arg, "annotation argument");
  }
}

/**
 * Checks that the arguments are names, between `min` and `max` of them,
 * none repeated. Returns the names, or null after reporting a problem.
 */
export function nameArguments(
  annotation: Annotation, min: number, max: number, countText: string, report: Report,
): { name: string; anchor: Anchor }[] | null {
  const { args } = annotation;
  if (args.length < min || args.length > max) {
    report(annotation.anchor, "annotation-argument-count", [annotation.name, countText]);
    return null;
  }
  const names: { name: string; anchor: Anchor }[] = [];
  for (const arg of args) {
    if (arg.kind !== "name") {
      report(arg.anchor, "annotation-argument-kind", [annotation.name, describeArg(arg)]);
      return null;
    }
    if (names.some((n) => n.name === arg.name)) {
      report(arg.anchor, "annotation-repeated-argument", [annotation.name, arg.name]);
      return null;
    }
    names.push({ name: arg.name, anchor: arg.anchor });
  }
  return names;
}

/** Checks that every name is a parameter of the annotated function. */
export function checkParameters(
  annotation: Annotation, decl: FunctionStmt, names: readonly { name: string; anchor: Anchor }[], report: Report,
): boolean {
  for (const n of names) {
    if (!decl.params.some((p) => p.name === n.name)) {
      report(n.anchor, "annotation-unknown-parameter", [annotation.name, n.name, decl.name]);
      return false;
    }
  }
  return true;
}
