/**
 * Annotation checking: every annotation in the program must name a
 * registered plug-in, sit on a declaration the plug-in accepts, appear at
 * most once per declaration, and pass the plug-in's own checks.
 */
import type { AnnotationRegistry, AnnotationSite, ProgramFacts } from "../../annotations/index.ts";
import { DEFAULT_REGISTRY, describeTargets } from "../../annotations/index.ts";
import type { Anchor, ClassStmt, FunctionStmt, Program, Stmt } from "../syntax/ast.ts";
import { type Diagnostic, type DiagnosticId, DIAGNOSTICS, formatMessage } from "../syntax/diagnostics.ts";
import { afterToken } from "../syntax/recovery.ts";
import { forEachChild, type Node } from "../syntax/walk.ts";

export function checkAnnotations(program: Program, registry: AnnotationRegistry = DEFAULT_REGISTRY): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const report = (anchor: Anchor, id: DiagnosticId, args: readonly string[] = []): void => {
    diagnostics.push({
      id, code: DIAGNOSTICS[id].code, message: formatMessage(id, args), line: anchor.line,
      site: { kind: "lexeme", text: program.source.slice(anchor.start, anchor.end) },
      start: anchor.start, end: anchor.end, seq: afterToken(anchor.seq),
    });
  };

  const facts = programFacts(program);
  const checkSite = (site: AnnotationSite): void => {
    const seen = new Set<string>();
    for (const annotation of site.decl.annotations) {
      const plugin = registry.get(annotation.name);
      if (plugin === undefined) {
        const known = [...registry.keys()].sort().map((n) => `@${n}`).join(", ");
        report(annotation.anchor, "unknown-annotation", [annotation.name, known]);
        continue;
      }
      if (seen.has(annotation.name)) {
        report(annotation.anchor, "annotation-duplicate", [annotation.name]);
        continue;
      }
      seen.add(annotation.name);
      if (!plugin.targets.includes(site.target)) {
        const what = site.target === "class" ? `class '${site.decl.name}'`
          : `${site.target === "method" ? "method" : "function"} '${site.decl.name}'`;
        report(annotation.anchor, "annotation-wrong-target", [annotation.name, describeTargets(plugin.targets), what]);
        continue;
      }
      plugin.check(annotation, site, report);
    }
  };

  const visit = (node: Node, ownerClass: ClassStmt | null): void => {
    if (node.kind === "function") {
      const decl: FunctionStmt = node;
      checkSite({ target: ownerClass === null ? "function" : "method", decl, ownerClass, program: facts });
    } else if (node.kind === "class") {
      checkSite({ target: "class", decl: node, ownerClass: null, program: facts });
      for (const method of node.methods) visit(method, node);
      return;
    }
    forEachChild(node, (child) => visit(child, null));
  };
  for (const stmt of program.body as readonly Stmt[]) visit(stmt, null);
  return diagnostics;
}

/** Top-level declarations and the names that can change, for checks that look at callees (`@pure`). */
function programFacts(program: Program): ProgramFacts {
  const topLevelFunctions = new Map<string, FunctionStmt>();
  const globalNames = new Set<string>();
  const unstableNames = new Set<string>();
  for (const stmt of program.body as readonly Stmt[]) {
    if (stmt.kind !== "function" && stmt.kind !== "var" && stmt.kind !== "class") continue;
    if (globalNames.has(stmt.name)) unstableNames.add(stmt.name);
    globalNames.add(stmt.name);
    if (stmt.kind === "function") topLevelFunctions.set(stmt.name, stmt);
  }
  const visit = (node: Node): void => {
    if (node.kind === "assign") unstableNames.add(node.name);
    forEachChild(node, visit);
  };
  for (const stmt of program.body as readonly Stmt[]) visit(stmt);
  return { source: program.source, topLevelFunctions, globalNames, unstableNames };
}
