/**
 * `@pure`: the function has no side effects and its result depends only on
 * its arguments, so calls with constant arguments can be evaluated during
 * specialization and repeated calls merged.
 *
 * Checked here: written on a function or method, with no arguments. The
 * conservative purity proof of the body is part of the annotation checker.
 */
import type { AnnotationPlugin } from "./plugin.ts";

export const pure: AnnotationPlugin = {
  name: "pure",
  syntax: "@pure",
  summary: "no side effects; the result depends only on the arguments",
  targets: ["function", "method"],
  check(annotation, _site, report) {
    if (annotation.args.length !== 0) report(annotation.anchor, "annotation-argument-count", [annotation.name, "no arguments"]);
  },
};
