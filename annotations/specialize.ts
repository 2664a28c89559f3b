/**
 * `@specialize(param, ...)`: marks a function as an interpreter entry point.
 * The named parameters are the specialization constants (typically the
 * bytecode function being interpreted): the partial evaluator produces one
 * compiled version per distinct combination of their values.
 *
 * Checked here: written on a function or method, at least one argument,
 * every argument a parameter name, none repeated.
 */
import { type AnnotationPlugin, checkParameters, nameArguments } from "./plugin.ts";

export const specialize: AnnotationPlugin = {
  name: "specialize",
  syntax: "@specialize(param, ...)",
  summary: "the function is an interpreter entry; the named parameters are specialization constants",
  targets: ["function", "method"],
  check(annotation, site, report) {
    if (site.target === "class") return;
    const names = nameArguments(annotation, 1, 255, "one or more parameter names", report);
    if (names !== null) checkParameters(annotation, site.decl, names, report);
  },
};
