/**
 * `@readonly(field, ...)` on a class: the named fields of an instance (of
 * the class or a subclass) are set while it is constructed and never
 * written again. Together with frozen arrays this lets the partial
 * evaluator read bytecode and constants out of the live heap.
 *
 * Checked here: written on a class, one or more field names, none repeated,
 * the class has an `init` method, and `init` assigns each field through
 * `this.field = ...`. Enforcement at run time (a write after construction
 * is a runtime error) belongs to the engines: src/runtime/readonly-fields.ts
 * and `LoxOps.set` for the heap engines, src/tree for the tree engine.
 */
import { walkFunctionBody } from "../src/syntax/walk.ts";
import { type AnnotationPlugin, nameArguments } from "./plugin.ts";

export const readonly: AnnotationPlugin = {
  name: "readonly",
  syntax: "@readonly(field, ...)",
  summary: "the named fields are set once, in init, and never again",
  targets: ["class"],
  check(annotation, site, report) {
    if (site.target !== "class") return;
    const names = nameArguments(annotation, 1, Infinity, "one or more field names", report);
    if (names === null) return;
    const klass = site.decl;
    const init = klass.methods.find((m) => m.functionKind === "initializer");
    if (init === undefined) {
      report(annotation.anchor, "annotation-readonly-no-init", [klass.name]);
      return;
    }
    const assigned = new Set<string>();
    walkFunctionBody(init.body, (node) => {
      if (node.kind === "set" && node.object.kind === "this") assigned.add(node.name);
    });
    for (const n of names) {
      if (!assigned.has(n.name)) {
        report(n.anchor, "annotation-unknown-field", [annotation.name, n.name, klass.name]);
        return;
      }
    }
  },
};
