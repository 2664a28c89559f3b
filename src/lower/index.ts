/**
 * AST to Lox-level SSA IR for a whole program: one IR function per Lox
 * function and method, plus the script (f0), numbered in source order; one
 * class descriptor per class declaration; globals by name. Each function is
 * lowered by `FunctionLowering`; afterwards blocks after `return` that no
 * path reaches are dropped and block parameters that SSA construction left
 * trivial are removed (see `ssa.ts`).
 */
import type { FrontEndResult } from "../sema/index.ts";
import { type Attribute, type ClassId, type FuncId, type GlobalId, LOX_IMPLICIT_PARAMS, Module, Type } from "../ir/index.ts";
import type { Annotation, ClassStmt, FunctionStmt } from "../syntax/index.ts";
import { forEachChild, type Node } from "../syntax/index.ts";
import { readonlyFieldNames } from "../runtime/readonly-fields.ts";
import { removeTrivialParams } from "../passes/remove-trivial-params.ts";
import { eliminateUnreachableBlocks } from "../passes/unreachable-blocks.ts";
import { expandMonomorphic } from "../passes/monomorphize.ts";
import { PIPELINES, resolvePipeline } from "../passes/registry.ts";
import { FunctionLowering, type ProgramContext } from "./lower-function.ts";

/** A declaration's annotations as IR attributes, leaving out disabled ones (an ablation). */
function attributes(annotations: readonly Annotation[], disabled: ReadonlySet<string>): Attribute[] {
  return annotations.filter((a) => !disabled.has(a.name)).map((a) => ({
    name: a.name,
    args: a.args.map((x) => (x.kind === "name" ? x.name : x.value)),
  }));
}

function loxSignature(arity: number): Type[] {
  return new Array<Type>(arity + LOX_IMPLICIT_PARAMS).fill(Type.val);
}

export function lowerProgram(front: FrontEndResult): Module {
  const module = new Module();
  const { program, resolution } = front;
  const funcIds = new Map<FunctionStmt, FuncId>();
  const classIds = new Map<ClassStmt, ClassId>();
  const globalIds = resolution.globalNames.map((name) => module.global(name));

  const script = module.addFunction("script", loxSignature(0), Type.val);
  module.entry = script.id;
  const functions: FunctionStmt[] = [];
  const collect = (node: Node): void => {
    if (node.kind === "function") {
      const fn = module.addFunction(node.name, loxSignature(node.params.length), Type.val, attributes(node.annotations, front.disabledAnnotations), node.anchor.line);
      funcIds.set(node, fn.id);
      functions.push(node);
    } else if (node.kind === "class") {
      const decl = module.addClass(node.name, attributes(node.annotations, front.disabledAnnotations));
      classIds.set(node, decl.id);
      // Readonly field names are symbols, so that compiled code can name them (lower-lox).
      for (const name of readonlyFieldNames(decl.attributes)) module.symbol(name);
    }
    forEachChild(node, collect);
  };
  program.body.forEach(collect);

  const ctx: ProgramContext = {
    module,
    resolution,
    funcId: (decl) => funcIds.get(decl) as FuncId,
    classId: (decl) => classIds.get(decl) as ClassId,
    globalId: (index) => globalIds[index] as GlobalId,
  };
  const end = { line: Math.max(1, program.source.split("\n").length), start: program.source.length, end: program.source.length };
  new FunctionLowering(ctx, script, resolution.script, "script").lower([], program.body, end);
  for (const decl of functions) {
    const fn = module.func(funcIds.get(decl) as FuncId);
    const scope = resolution.functions.get(decl);
    if (scope === undefined) throw new Error(`internal error: function '${decl.name}' was not resolved`);
    new FunctionLowering(ctx, fn, scope, decl.functionKind).lower(decl.params.map((p) => ({ name: p.name })), decl.body, decl);
  }
  for (const fn of module.functions) {
    eliminateUnreachableBlocks(fn.body);
    removeTrivialParams(fn.body);
  }
  expandMonomorphic(module, resolvePipeline(PIPELINES.version ?? []));
  return module;
}
