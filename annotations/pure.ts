/**
 * `@pure`: the function has no side effects and its result depends only on
 * its arguments, so calls with constant arguments can be evaluated during
 * specialization and repeated calls merged.
 *
 * Checked here: written on a function or method, with no arguments, and
 * the body passes the conservative purity proof of purity.ts.
 */
import type { AnnotationPlugin } from "./plugin.ts";
import { checkPurity } from "./purity.ts";

export const pure: AnnotationPlugin = {
  name: "pure",
  syntax: "@pure",
  summary: "no side effects; the result depends only on the arguments",
  targets: ["function", "method"],
  check(annotation, site, report) {
    if (annotation.args.length !== 0) report(annotation.anchor, "annotation-argument-count", [annotation.name, "no arguments"]);
    else if (site.target !== "class") checkPurity(site.decl, site.program, report);
  },
};
