/**
 * `@monomorphize(param)`: compile one version of the function per run-time
 * type of the parameter, dispatching on entry; where the type is known, the
 * partial evaluator calls the matching version directly.
 *
 * Checked here: written on a function or method, exactly one argument, and
 * it is a parameter name.
 */
import { type AnnotationPlugin, checkParameters, nameArguments } from "./plugin.ts";

export const monomorphize: AnnotationPlugin = {
  name: "monomorphize",
  syntax: "@monomorphize(param)",
  summary: "one compiled version per run-time type of the named parameter",
  targets: ["function", "method"],
  check(annotation, site, report) {
    if (site.target === "class") return;
    const names = nameArguments(annotation, 1, 1, "exactly one parameter name", report);
    if (names !== null) checkParameters(annotation, site.decl, names, report);
  },
};
