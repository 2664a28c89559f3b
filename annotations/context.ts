/**
 * `@context(pc)`: names the interpreter's program-counter variable, the
 * weval "context" (C. Fallin et al., "Partial Evaluation, Whole-Program
 * Compilation", PLDI 2025). Specialization unrolls the dispatch loop once
 * per distinct value of the variable.
 *
 * Checked here: written on a function or method, exactly one name, the name
 * is a parameter or a local of the function itself (not of a nested
 * function), and some loop of the function assigns to it; otherwise the
 * annotation could not do anything and says so.
 */
import { walkFunctionBody } from "../src/syntax/walk.ts";
import { type AnnotationPlugin, nameArguments } from "./plugin.ts";

export const context: AnnotationPlugin = {
  name: "context",
  syntax: "@context(variable)",
  summary: "the named variable is the interpreter's program counter; specialization unrolls the dispatch loop per value",
  targets: ["function", "method"],
  check(annotation, site, report) {
    if (site.target === "class") return;
    const names = nameArguments(annotation, 1, 1, "exactly one variable name", report);
    if (names === null) return;
    const [target] = names;
    if (target === undefined) return;
    const decl = site.decl;
    let declared = decl.params.some((p) => p.name === target.name);
    let assignedInLoop = false;
    walkFunctionBody(decl.body, (node, inLoop) => {
      if (node.kind === "var" && node.name === target.name) declared = true;
      if (node.kind === "assign" && node.name === target.name && inLoop) assignedInLoop = true;
    });
    if (!declared) report(target.anchor, "annotation-context-not-local", [target.name, decl.name]);
    else if (!assignedInLoop) report(target.anchor, "annotation-context-not-updated", [target.name, decl.name]);
  },
};
