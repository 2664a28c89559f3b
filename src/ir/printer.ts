/**
 * The canonical text form of IR. `parseModule(printModule(m))` rebuilds the
 * same module and prints identically (the round trip is tested). Grammar:
 *
 *   module   := (global | class | function)*
 *   global   := "global" "@" name
 *   class    := "class" "c"N string attr*
 *   function := "function" "f"N string "(" types ")" "->" type ("#"line)? attr* "{" block* "}"
 *   block    := "block"N ("(" v: type, ... ")")? ":" inst* terminator
 *   inst     := (vN (":" type)? "=")? opname imm? operands ("#"line)?
 *
 * An immediate prints by its kind: a number, `@global`, `fN`, `cN`, a
 * field or method name as `.name`, a string constant as a quoted string, a
 * memory offset as `+N`. Results of opcodes whose type is not fixed print
 * their type (`v4: i32 = call f2 v1`). `#N` is the source line.
 */
import { LOX_KIND_NAMES } from "./lox-kinds.ts";
import type { Block, BlockTarget, ClassId, FuncId, GlobalId, SymbolId, Value } from "./entities.ts";
import type { FunctionBody } from "./function-body.ts";
import type { Attribute, IrFunction, Module } from "./module.ts";
import { Op, opInfo } from "./opcodes.ts";
import { Type, typeName } from "./types.ts";
import { assertNever } from "../support/assert.ts";

export function formatF64(x: number): string {
  if (x !== x) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  if (Object.is(x, -0)) return "-0";
  return String(x);
}

export function quote(text: string): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) out += '\\"';
    else if (c === 92) out += "\\\\";
    else if (c >= 32 && c < 127) out += text[i];
    else out += "\\x" + c.toString(16).padStart(2, "0");
  }
  return out + '"';
}

function formatAttribute(a: Attribute): string {
  if (a.args.length === 0) return `@${a.name}`;
  return `@${a.name}(${a.args.map((x) => (typeof x === "number" ? formatF64(x) : /^[A-Za-z_][A-Za-z0-9_]*$/.test(x) ? x : quote(x))).join(", ")})`;
}

function target(t: BlockTarget): string {
  return t.args.length === 0 ? `block${t.block}` : `block${t.block}(${t.args.map((a) => `v${a}`).join(", ")})`;
}

export function formatImmediate(module: Module, body: FunctionBody, v: Value): string | null {
  const op = body.opcode(v);
  const imm = body.imm(v);
  const kind = opInfo(op).imm;
  switch (kind) {
    case "none": return null;
    case "f64": return formatF64(imm);
    case "i32": return String(imm);
    case "i64": return String(body.i64Constant(imm));
    case "offset": return `+${imm}`;
    case "symbol": {
      const text = module.symbolText(imm as SymbolId);
      return op === Op.loxStr ? quote(text) : `.${text}`;
    }
    case "global": return `@${module.globalName(imm as GlobalId)}`;
    case "func": return `f${imm as FuncId}`;
    case "class": return `c${imm as ClassId}`;
    case "kind": return LOX_KIND_NAMES[imm] ?? `kind${imm}`;
    default: return assertNever(kind, "immediate kind");
  }
}

export function formatInst(module: Module, body: FunctionBody, v: Value): string {
  const info = opInfo(body.opcode(v));
  const type = body.type(v);
  let text = "";
  if (type !== Type.none) text += info.result === "dynamic" ? `v${v}: ${typeName(type)} = ` : `v${v} = `;
  text += info.name;
  const imm = formatImmediate(module, body, v);
  if (imm !== null) text += " " + imm;
  const args = body.args(v);
  if (args.length > 0) text += " " + args.map((a) => `v${a}`).join(", ");
  const span = body.span(v);
  if (span !== null) text += ` #${span.line}`;
  return text;
}

export function formatTerminator(body: FunctionBody, b: Block): string {
  const t = body.terminator(b);
  switch (t.kind) {
    case "none": return "; (no terminator)";
    case "jump": return `jump ${target(t.target)}`;
    case "br": return `br v${t.cond}, ${target(t.then)}, ${target(t.else)}`;
    case "switch": return `switch v${t.value}, [${t.targets.map(target).join(", ")}], ${target(t.default)}`;
    case "return": return t.value === null ? "return" : `return v${t.value}`;
    case "unreachable": return "unreachable";
    default: return assertNever(t, "terminator");
  }
}

const KEYWORD: Record<IrFunction["kind"], string> = { lox: "function", helper: "helper", import: "import" };

export function printFunction(module: Module, fn: IrFunction): string {
  const body = fn.body;
  const lines: string[] = [];
  let header = `${KEYWORD[fn.kind]} f${fn.id} ${quote(fn.name)}(${fn.params.map(typeName).join(", ")}) -> ${typeName(fn.result)}`;
  if (fn.kind === "import") return header + "\n";
  if (fn.line > 0) header += ` #${fn.line}`;
  for (const a of fn.attributes) header += " " + formatAttribute(a);
  lines.push(header + " {");
  for (const b of body.blocks()) {
    const params = body.blockParams(b);
    lines.push(params.length === 0 ? `block${b}:` : `block${b}(${params.map((p) => `v${p}: ${typeName(body.type(p))}`).join(", ")}):`);
    for (const v of body.blockInsts(b)) lines.push("    " + formatInst(module, body, v));
    lines.push("    " + formatTerminator(body, b));
  }
  lines.push("}");
  return lines.join("\n") + "\n";
}

export function printModule(module: Module): string {
  const parts: string[] = [];
  const decls: string[] = [];
  for (let g = 0; g < module.globalCount; g++) decls.push(`global @${module.globalName(g as GlobalId)}`);
  for (const c of module.classes) {
    decls.push([`class c${c.id} ${quote(c.name)}`, ...c.attributes.map(formatAttribute)].join(" "));
  }
  if (decls.length > 0) parts.push(decls.join("\n") + "\n");
  for (const fn of module.functions) parts.push(printFunction(module, fn));
  return parts.join("\n");
}
