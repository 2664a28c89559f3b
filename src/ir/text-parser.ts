/**
 * Parses the canonical text form (see `printer.ts`) back into a module,
 * keeping every entity number as written so that printing the result gives
 * the same text. Syntax errors throw `IrParseError` with a line and column.
 */
import { LOX_KIND_NAMES, loxKindByName } from "./lox-kinds.ts";
import type { Block, BlockTarget, ClassId, FuncId, GlobalId, Terminator, Value } from "./entities.ts";
import type { FunctionBody } from "./function-body.ts";
import { type Attribute, Module } from "./module.ts";
import { Op, opcodeByName, opInfo, type Opcode } from "./opcodes.ts";
import { parseTypeName, Type } from "./types.ts";

export class IrParseError extends Error {
  constructor(message: string, readonly line: number, readonly column: number) {
    super(`${line}:${column}: ${message}`);
  }
}

type TokKind = "word" | "value" | "block" | "func" | "class" | "global" | "field" | "offset" | "line" | "string" | "number" | "punct" | "eof";
interface Tok {
  readonly kind: TokKind;
  readonly text: string;
  readonly num: number;
  readonly line: number;
  readonly col: number;
}

const NUMBER = /^-?(nan|inf|\d+(\.\d+)?([eE][+-]?\d+)?)/;

function tokenize(src: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const push = (kind: TokKind, text: string, num: number, at: number): void => {
    toks.push({ kind, text, num, line, col: at - lineStart + 1 });
  };
  while (i < src.length) {
    const c = src[i] as string;
    if (c === "\n") { line++; i++; lineStart = i; continue; }
    if (c === " " || c === "\t" || c === "\r") { i++; continue; }
    if (c === ";") { while (i < src.length && src[i] !== "\n") i++; continue; }
    const start = i;
    if (c === '"') {
      let text = "";
      i++;
      while (i < src.length && src[i] !== '"') {
        if (src[i] === "\\") {
          const e = src[i + 1];
          if (e === "x") { text += String.fromCharCode(parseInt(src.slice(i + 2, i + 4), 16)); i += 4; continue; }
          text += e ?? "";
          i += 2;
          continue;
        }
        text += src[i];
        i++;
      }
      if (i >= src.length) throw new IrParseError("unterminated string", line, start - lineStart + 1);
      i++;
      push("string", text, 0, start);
      continue;
    }
    if (c === "-" && src[i + 1] === ">") { push("punct", "->", 0, start); i += 2; continue; }
    if ("(),:={}[]".includes(c)) { push("punct", c, 0, start); i++; continue; }
    const rest = src.slice(i, i + 64);
    if (c === "#" || c === "+") {
      const m = /^[#+](\d+)/.exec(rest);
      if (m === null) throw new IrParseError(`expected a number after '${c}'`, line, start - lineStart + 1);
      push(c === "#" ? "line" : "offset", m[0], Number(m[1]), start);
      i += m[0].length;
      continue;
    }
    if (c === "@" || c === ".") {
      const m = /^[@.]([A-Za-z_][A-Za-z0-9_]*)/.exec(rest);
      if (m === null) throw new IrParseError(`expected a name after '${c}'`, line, start - lineStart + 1);
      push(c === "@" ? "global" : "field", m[1] as string, 0, start);
      i += m[0].length;
      continue;
    }
    const num = NUMBER.exec(rest);
    if (num !== null && (c === "-" || (c >= "0" && c <= "9") || num[0] === "nan" || num[0] === "inf")) {
      const t = num[0];
      const v = t === "nan" || t === "-nan" ? NaN : t === "inf" ? Infinity : t === "-inf" ? -Infinity : Number(t);
      push("number", t, v, start);
      i += t.length;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(rest);
    if (word === null) throw new IrParseError(`unexpected character '${c}'`, line, start - lineStart + 1);
    const w = word[0];
    const entity = /^(v|block|f|c)(\d+)$/.exec(w);
    if (entity !== null) {
      const kinds: Record<string, TokKind> = { v: "value", block: "block", f: "func", c: "class" };
      push(kinds[entity[1] as string] as TokKind, w, Number(entity[2]), start);
    } else {
      push("word", w, 0, start);
    }
    i += w.length;
  }
  toks.push({ kind: "eof", text: "", num: 0, line, col: i - lineStart + 1 });
  return toks;
}

interface InstRecord {
  readonly result: number | null;
  readonly type: Type | null;
  readonly op: Opcode;
  readonly imm: number;
  readonly i64: bigint | null;
  readonly args: number[];
  readonly line: number | null;
}
interface TargetRecord { readonly block: number; readonly args: number[] }
type TermRecord =
  | { kind: "jump"; target: TargetRecord }
  | { kind: "br"; cond: number; then: TargetRecord; else: TargetRecord }
  | { kind: "switch"; value: number; targets: TargetRecord[]; default: TargetRecord }
  | { kind: "return"; value: number | null }
  | { kind: "unreachable" };
interface BlockRecord {
  readonly id: number;
  readonly params: { v: number; type: Type }[];
  readonly insts: InstRecord[];
  term: TermRecord | null;
}

class TextParser {
  private pos = 0;
  constructor(private readonly toks: Tok[], private readonly module: Module) {}

  private peek(): Tok {
    return this.toks[this.pos] as Tok;
  }
  private next(): Tok {
    return this.toks[this.pos++] as Tok;
  }
  private fail(message: string, t: Tok = this.peek()): never {
    throw new IrParseError(`${message} (found '${t.text || t.kind}')`, t.line, t.col);
  }
  private expect(kind: TokKind, text?: string): Tok {
    const t = this.next();
    if (t.kind !== kind || (text !== undefined && t.text !== text)) this.fail(`expected ${text ?? kind}`, t);
    return t;
  }
  private isPunct(text: string): boolean {
    const t = this.peek();
    return t.kind === "punct" && t.text === text;
  }
  private type(): Type {
    const t = this.expect("word");
    const type = parseTypeName(t.text);
    if (type === undefined) this.fail("expected a type", t);
    return type;
  }

  parseModule(): Module {
    for (;;) {
      const t = this.peek();
      if (t.kind === "eof") return this.module;
      if (t.kind !== "word") this.fail("expected 'global', 'class', 'function', 'helper' or 'import'");
      if (t.text === "global") {
        this.next();
        this.module.global(this.expect("global").text);
      } else if (t.text === "class") {
        this.next();
        const id = this.expect("class");
        if (id.num !== this.module.classes.length) this.fail("classes must be numbered in order", id);
        const name = this.expect("string").text;
        this.module.addClass(name, this.attributes());
      } else if (t.text === "function" || t.text === "helper" || t.text === "import") {
        this.next();
        this.function(t.text === "function" ? "lox" : t.text);
      } else {
        this.fail("expected 'global', 'class', 'function', 'helper' or 'import'");
      }
    }
  }

  private attributes(): Attribute[] {
    const attrs: Attribute[] = [];
    while (this.peek().kind === "global") {
      const name = this.next().text;
      const args: (string | number)[] = [];
      if (this.isPunct("(")) {
        this.next();
        while (!this.isPunct(")")) {
          const a = this.next();
          if (a.kind === "number") args.push(a.num);
          else if (a.kind === "word" || a.kind === "string" || a.kind === "value" || a.kind === "func" || a.kind === "class" || a.kind === "block") args.push(a.text);
          else this.fail("expected an attribute argument", a);
          if (this.isPunct(",")) this.next();
        }
        this.next();
      }
      attrs.push({ name, args });
    }
    return attrs;
  }

  private function(kind: "lox" | "helper" | "import"): void {
    const id = this.expect("func");
    if (id.num !== this.module.functions.length) this.fail("functions must be numbered in order", id);
    const name = this.expect("string").text;
    this.expect("punct", "(");
    const params: Type[] = [];
    while (!this.isPunct(")")) {
      params.push(this.type());
      if (this.isPunct(",")) this.next();
    }
    this.next();
    this.expect("punct", "->");
    const result = this.type();
    let line = 0;
    if (this.peek().kind === "line") line = this.next().num;
    const attrs = this.attributes();
    if (kind === "import") {
      this.module.addFunction(name, params, result, attrs, line, kind);
      return;
    }
    this.expect("punct", "{");
    const blocks: BlockRecord[] = [];
    while (!this.isPunct("}")) blocks.push(this.block());
    this.next();
    const fn = this.module.addFunction(name, params, result, attrs, line, kind);
    build(fn.body, blocks);
  }

  private block(): BlockRecord {
    const id = this.expect("block").num;
    const params: { v: number; type: Type }[] = [];
    if (this.isPunct("(")) {
      this.next();
      while (!this.isPunct(")")) {
        const v = this.expect("value").num;
        this.expect("punct", ":");
        params.push({ v, type: this.type() });
        if (this.isPunct(",")) this.next();
      }
      this.next();
    }
    this.expect("punct", ":");
    const record: BlockRecord = { id, params, insts: [], term: null };
    while (record.term === null) {
      const t = this.peek();
      if (t.kind === "word" && ["jump", "br", "switch", "return", "unreachable"].includes(t.text)) record.term = this.terminator();
      else record.insts.push(this.inst());
    }
    return record;
  }

  private targetRecord(): TargetRecord {
    const block = this.expect("block").num;
    const args: number[] = [];
    if (this.isPunct("(")) {
      this.next();
      while (!this.isPunct(")")) {
        args.push(this.expect("value").num);
        if (this.isPunct(",")) this.next();
      }
      this.next();
    }
    return { block, args };
  }

  private terminator(): TermRecord {
    const word = this.next().text;
    switch (word) {
      case "jump":
        return { kind: "jump", target: this.targetRecord() };
      case "br": {
        const cond = this.expect("value").num;
        this.expect("punct", ",");
        const then = this.targetRecord();
        this.expect("punct", ",");
        return { kind: "br", cond, then, else: this.targetRecord() };
      }
      case "switch": {
        const value = this.expect("value").num;
        this.expect("punct", ",");
        this.expect("punct", "[");
        const targets: TargetRecord[] = [];
        while (!this.isPunct("]")) {
          targets.push(this.targetRecord());
          if (this.isPunct(",")) this.next();
        }
        this.next();
        this.expect("punct", ",");
        return { kind: "switch", value, targets, default: this.targetRecord() };
      }
      case "return":
        return { kind: "return", value: this.peek().kind === "value" && !this.isDefinitionAhead() ? this.next().num : null };
      default:
        return { kind: "unreachable" };
    }
  }

  /** After `return`, a value token followed by `=` or `:` starts the next instruction, not the operand. */
  private isDefinitionAhead(): boolean {
    const after = this.toks[this.pos + 1];
    return after !== undefined && after.kind === "punct" && (after.text === "=" || after.text === ":");
  }

  private inst(): InstRecord {
    let result: number | null = null;
    let type: Type | null = null;
    if (this.peek().kind === "value") {
      result = this.next().num;
      if (this.isPunct(":")) {
        this.next();
        type = this.type();
      }
      this.expect("punct", "=");
    }
    const nameTok = this.expect("word");
    const op = opcodeByName(nameTok.text);
    if (op === undefined) this.fail(`unknown opcode '${nameTok.text}'`, nameTok);
    const info = opInfo(op);
    let imm = 0;
    let i64: bigint | null = null;
    if (info.imm !== "none") {
      const t = this.next();
      switch (info.imm) {
        case "f64": case "i32":
          if (t.kind !== "number") this.fail("expected a number", t);
          imm = t.num;
          break;
        case "i64":
          if (t.kind !== "number") this.fail("expected an integer", t);
          i64 = BigInt(t.text);
          break;
        case "offset":
          if (t.kind !== "offset") this.fail("expected an offset '+N'", t);
          imm = t.num;
          break;
        case "symbol":
          if (op === Op.loxStr ? t.kind !== "string" : t.kind !== "field") this.fail(op === Op.loxStr ? "expected a string" : "expected '.name'", t);
          imm = this.module.symbol(t.text);
          break;
        case "global":
          if (t.kind !== "global") this.fail("expected '@name'", t);
          imm = this.module.global(t.text) as GlobalId;
          break;
        case "func":
          if (t.kind !== "func") this.fail("expected 'fN'", t);
          imm = t.num as FuncId;
          break;
        case "class":
          if (t.kind !== "class") this.fail("expected 'cN'", t);
          imm = t.num as ClassId;
          break;
        case "kind": {
          const kind = t.kind === "word" ? loxKindByName(t.text) : null;
          if (kind === null) this.fail(`expected a kind of value (${LOX_KIND_NAMES.join(", ")})`, t);
          imm = kind as number;
          break;
        }
      }
    }
    const args: number[] = [];
    if (this.peek().kind === "value" && !this.isDefinitionAhead()) {
      args.push(this.next().num);
      while (this.isPunct(",")) {
        this.next();
        args.push(this.expect("value").num);
      }
    }
    let line: number | null = null;
    if (this.peek().kind === "line") line = this.next().num;
    return { result, type, op, imm, i64, args, line };
  }
}

/** Materializes parsed blocks into a body, keeping block and value numbers. */
function build(body: FunctionBody, blocks: readonly BlockRecord[]): void {
  let maxBlock = 0;
  let maxValue = -1;
  const seen = (v: number): void => { if (v > maxValue) maxValue = v; };
  for (const b of blocks) {
    maxBlock = Math.max(maxBlock, b.id);
    b.params.forEach((p) => seen(p.v));
    for (const inst of b.insts) {
      if (inst.result !== null) seen(inst.result);
      inst.args.forEach(seen);
    }
  }
  const present = new Set(blocks.map((b) => b.id));
  for (let i = 0; i <= maxBlock; i++) body.addBlock();
  const placeholders: Value[] = [];
  for (let i = 0; i <= maxValue; i++) placeholders.push(body.createPlaceholder(Type.none));
  for (const b of blocks) {
    for (const p of b.params) body.adoptAsParam(b.id as Block, p.v as Value, p.type);
    for (const inst of b.insts) {
      const imm = inst.i64 !== null ? body.i64Index(inst.i64) : inst.imm;
      let v: Value;
      if (inst.result !== null) {
        v = inst.result as Value;
        body.rewriteInst(v, inst.op, inst.args as Value[], imm, inst.type ?? undefined);
      } else {
        v = body.createInst(inst.op, inst.args as Value[], imm, Type.none);
      }
      if (inst.line !== null) body.setSpan(v, { line: inst.line, start: 0, end: 0 });
      body.appendInst(b.id as Block, v);
    }
    const t = (x: TargetRecord): BlockTarget => ({ block: x.block as Block, args: x.args as Value[] });
    const term = b.term as TermRecord;
    let out: Terminator;
    switch (term.kind) {
      case "jump": out = { kind: "jump", target: t(term.target) }; break;
      case "br": out = { kind: "br", cond: term.cond as Value, then: t(term.then), else: t(term.else) }; break;
      case "switch": out = { kind: "switch", value: term.value as Value, targets: term.targets.map(t), default: t(term.default) }; break;
      case "return": out = { kind: "return", value: term.value as Value | null }; break;
      case "unreachable": out = { kind: "unreachable" }; break;
    }
    body.setTerminator(b.id as Block, out);
  }
  for (let i = 1; i <= maxBlock; i++) if (!present.has(i)) body.removeBlock(i as Block);
}

export function parseModule(text: string, module: Module = new Module()): Module {
  return new TextParser(tokenize(text), module).parseModule();
}
