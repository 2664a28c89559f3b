/**
 * The IR verifier: checks that a function body is well formed. Run after
 * every pass in tests. Checks: every block ends in a terminator; operand
 * counts and types agree with the opcode table (and with the callee's
 * signature for calls); immediates name existing entities; branch
 * arguments match the target's parameters; `br` conditions are i32;
 * returns match the function's result type; no operand is an alias or a
 * removed value; and SSA dominance (every use is dominated by its
 * definition, in reachable code).
 */
import { LOX_KIND_NAMES } from "./lox-kinds.ts";
import { ControlFlow } from "./cfg.ts";
import { type Block, type BlockTarget, type FuncId, type GlobalId, type SymbolId, type Value, ValueKind } from "./entities.ts";
import type { IrFunction, Module } from "./module.ts";
import { Op, OPCODES } from "./opcodes.ts";
import { formatInst } from "./printer.ts";
import { Type, typeName } from "./types.ts";

export class VerifyError extends Error {}

export function verifyFunction(module: Module, fn: IrFunction): string[] {
  if (fn.kind === "import") return [];
  const body = fn.body;
  const errors: string[] = [];
  const where = (b: Block, v?: Value): string =>
    v === undefined ? `f${fn.id} "${fn.name}" block${b}` : `f${fn.id} "${fn.name}" block${b}: ${formatInst(module, body, v)}`;
  const cfg = new ControlFlow(body);
  /** Position of each instruction in its block, for same-block dominance. */
  const position = new Map<Value, number>();
  for (const b of body.blocks()) body.blockInsts(b).forEach((v, i) => position.set(v, i));

  const checkUse = (b: Block, used: Value, at: number, context: string): void => {
    if (used < 0 || used >= body.valueCount) {
      errors.push(`${context}: operand v${used} does not exist`);
      return;
    }
    const kind = body.kind(used);
    if (kind === ValueKind.alias) { errors.push(`${context}: operand v${used} is an alias of v${body.resolve(used)}`); return; }
    if (kind === ValueKind.placeholder) { errors.push(`${context}: operand v${used} is an undefined placeholder`); return; }
    const home = body.home(used);
    if (home === -1 || body.isRemoved(home)) { errors.push(`${context}: operand v${used} is not in any block`); return; }
    if (!cfg.isReachable(b)) return;
    if (home === b) {
      if (kind === ValueKind.inst && (position.get(used) as number) >= at) errors.push(`${context}: v${used} is used before it is defined`);
    } else if (!cfg.dominates(home, b)) {
      errors.push(`${context}: v${used} (defined in block${home}) does not dominate this use`);
    }
  };

  const checkTarget = (b: Block, t: BlockTarget, at: number): void => {
    if (t.block < 0 || t.block >= body.blockCount || body.isRemoved(t.block)) {
      errors.push(`${where(b)}: branch to missing block${t.block}`);
      return;
    }
    const params = body.blockParams(t.block);
    if (params.length !== t.args.length) {
      errors.push(`${where(b)}: block${t.block} takes ${params.length} arguments, given ${t.args.length}`);
      return;
    }
    t.args.forEach((a, i) => {
      checkUse(b, a, at, `${where(b)} (argument ${i} to block${t.block})`);
      const p = params[i] as Value;
      if (a < body.valueCount && body.type(a) !== body.type(p)) {
        errors.push(`${where(b)}: argument v${a} has type ${typeName(body.type(a))}, block${t.block} parameter v${p} is ${typeName(body.type(p))}`);
      }
    });
  };

  const entryParams = body.blockParams(body.entry);
  if (entryParams.length !== fn.params.length || entryParams.some((p, i) => body.type(p) !== fn.params[i])) {
    errors.push(`f${fn.id} "${fn.name}": entry block parameters do not match the signature`);
  }

  for (const b of body.blocks()) {
    for (const p of body.blockParams(b)) if (body.home(p) !== b) errors.push(`${where(b)}: parameter v${p} belongs elsewhere`);
    const insts = body.blockInsts(b);
    insts.forEach((v, i) => {
      const ctx = where(b, v);
      if (body.home(v) !== b) errors.push(`${ctx}: instruction belongs to block${body.home(v)}`);
      if (body.kind(v) !== ValueKind.inst) { errors.push(`${ctx}: not an instruction`); return; }
      const op = body.opcode(v);
      const info = OPCODES[op];
      if (info === undefined) { errors.push(`${ctx}: unknown opcode ${op}`); return; }
      const args = body.args(v);
      args.forEach((a) => checkUse(b, a, i, ctx));
      const types = args.map((a) => (a < body.valueCount ? body.type(a) : Type.none));
      // Operand types.
      if (op === Op.select) {
        if (args.length !== 3) errors.push(`${ctx}: select takes a condition and two values`);
        else {
          if (types[0] !== Type.i32) errors.push(`${ctx}: select condition must be i32`);
          if (types[1] !== types[2] || types[1] !== body.type(v)) errors.push(`${ctx}: select operands and result must have one type`);
        }
      } else if (op === Op.call) {
        const callee = module.functions[body.imm(v)];
        if (callee === undefined) errors.push(`${ctx}: call of missing function f${body.imm(v)}`);
        else {
          if (callee.params.length !== args.length || callee.params.some((t, k) => t !== types[k])) {
            errors.push(`${ctx}: arguments do not match f${callee.id} "${callee.name}"(${callee.params.map(typeName).join(", ")})`);
          }
          if (callee.result !== body.type(v)) errors.push(`${ctx}: result type must be ${typeName(callee.result)}`);
        }
      } else {
        const fixed = info.operands.length;
        if (args.length < fixed || (info.variadic === null && args.length !== fixed)) {
          errors.push(`${ctx}: ${info.name} takes ${fixed}${info.variadic === null ? "" : " or more"} operands, has ${args.length}`);
        } else {
          types.forEach((t, k) => {
            const want = k < fixed ? (info.operands[k] as Type) : (info.variadic as Type);
            if (t !== want) errors.push(`${ctx}: operand ${k} has type ${typeName(t)}, expected ${typeName(want)}`);
          });
        }
        if (info.result !== "dynamic" && body.type(v) !== info.result) errors.push(`${ctx}: result type must be ${typeName(info.result)}`);
      }
      // Immediates.
      const imm = body.imm(v);
      switch (info.imm) {
        case "func": if (module.functions[imm as FuncId] === undefined) errors.push(`${ctx}: no function f${imm}`); break;
        case "class": if (module.classes[imm] === undefined) errors.push(`${ctx}: no class c${imm}`); break;
        case "global": if (imm < 0 || imm >= module.globalCount) errors.push(`${ctx}: no global ${imm as GlobalId}`); break;
        case "symbol": if (imm < 0 || imm >= module.symbolCount) errors.push(`${ctx}: no symbol ${imm as SymbolId}`); break;
        case "i32": if (imm !== (imm | 0)) errors.push(`${ctx}: immediate is not a 32-bit integer`); break;
        case "kind": if (LOX_KIND_NAMES[imm] === undefined) errors.push(`${ctx}: no kind of value ${imm}`); break;
        default: break;
      }
      if (op === Op.loxClosure) {
        const callee = module.functions[imm];
        if (callee !== undefined && callee.kind !== "lox") errors.push(`${ctx}: closure of a non-Lox function`);
      }
    });
    const t = body.terminator(b);
    const at = insts.length;
    switch (t.kind) {
      case "none": errors.push(`${where(b)}: no terminator`); break;
      case "jump": checkTarget(b, t.target, at); break;
      case "br":
        checkUse(b, t.cond, at, `${where(b)} (branch condition)`);
        if (t.cond < body.valueCount && body.type(t.cond) !== Type.i32) errors.push(`${where(b)}: branch condition must be i32`);
        checkTarget(b, t.then, at);
        checkTarget(b, t.else, at);
        break;
      case "switch":
        checkUse(b, t.value, at, `${where(b)} (switch value)`);
        if (t.value < body.valueCount && body.type(t.value) !== Type.i32) errors.push(`${where(b)}: switch value must be i32`);
        t.targets.forEach((x) => checkTarget(b, x, at));
        checkTarget(b, t.default, at);
        break;
      case "return":
        if (t.value === null) {
          if (fn.result !== Type.none) errors.push(`${where(b)}: return without a value in a function returning ${typeName(fn.result)}`);
        } else {
          checkUse(b, t.value, at, `${where(b)} (return value)`);
          if (t.value < body.valueCount && body.type(t.value) !== fn.result) errors.push(`${where(b)}: returns ${typeName(body.type(t.value))}, function returns ${typeName(fn.result)}`);
        }
        break;
      case "unreachable": break;
    }
  }
  return errors;
}

export function verifyModule(module: Module): string[] {
  return module.functions.flatMap((fn) => verifyFunction(module, fn));
}

/** Throws a `VerifyError` listing every problem, if any. */
export function assertValid(module: Module, after = ""): void {
  const errors = verifyModule(module);
  if (errors.length > 0) throw new VerifyError(`IR verification failed${after ? ` after ${after}` : ""}:\n  ${errors.join("\n  ")}`);
}
