/**
 * monomorphize: the versions of a `@monomorphize(p)` function, one per
 * kind of Lox value of `p` that its body tests, and the dispatch between
 * them (the customization of Chambers & Ungar, "Customization: optimizing
 * compiler technology for SELF", PLDI 1989, keyed on one argument's kind
 * instead of the receiver's map).
 *
 * Runs on a freshly lowered module (lowerProgram ends with it), so every
 * consumer of the module sees the same functions and ids. For a function f:
 * - the kinds: `isNumber(p)`, `isString(p)`, `isArray(p)` (calls of the
 *   natives, which the program never redefines, become `lox.is`),
 *   `p == nil` (nil), `p == true` or `false` (booleans), and arithmetic or
 *   comparison on `p` (which needs a number), in the order
 *   the body first uses them, at most MAX_VERSIONS; a body that tests none
 *   is left alone (the checker rejects that: annotations/monomorphize.ts);
 * - a version per kind K: a copy of the body whose entry checks that `p` is
 *   of kind K, so type-facts folds the body's own tests of `p` and makes its
 *   arithmetic unchecked (in the number version, `floor(p)` becomes
 *   `num.floor p`, and reads of natives' globals left unused go: they
 *   cannot fail); then fold, simplify-cfg and dce tidy it. A version that
 *   can raise no error at all may be inlined where specialized code calls
 *   it (inline-calls.ts);
 * - the generic code: the original body, in a new function;
 * - f itself (same id, so its closures and table slot stay) becomes a stub
 *   marked `@dispatch` (traces leave its frame out) and `@monomorphic`
 *   (param, kind, version, kind, version, ...): it tests `p`'s kind and
 *   calls the matching version, or the generic code for any other kind.
 * Where the kind of the argument is known at a call through f's table slot
 * (specialized code), type-facts calls the version directly
 * (`versionFor`). All versions and the generic function keep f's name and
 * its other annotations (`@pure` among them).
 */
import {
  type Block, cloneBody, type FuncId, FunctionBody, FunctionBuilder, type GlobalId, type IrFunction, KIND_PREDICATES, LoxKind, type Module,
  Op, type Opcode, Type, type Value, ValueKind,
} from "../ir/index.ts";
import { NATIVE_SPECS } from "../runtime/native-specs.ts";
import { globalWrites } from "./global-writes.ts";
import { countUses } from "./uses.ts";
import type { Pass } from "./pass.ts";

export const MONOMORPHIC_ATTRIBUTE = "monomorphic";
const DISPATCH_ATTRIBUTE = "dispatch";
/** Versions per function; other kinds run the generic code. */
export const MAX_VERSIONS = 4;

export interface MonomorphicDispatch {
  /** Index of the parameter in the IR signature (closure, receiver, then the Lox parameters). */
  readonly param: number;
  readonly versions: readonly { readonly kind: LoxKind; readonly func: FuncId }[];
}

/** The dispatch of a stub made here, or null for any other function. */
export function monomorphicDispatch(fn: IrFunction): MonomorphicDispatch | null {
  const attr = fn.attributes.find((a) => a.name === MONOMORPHIC_ATTRIBUTE);
  if (attr === undefined) return null;
  const [param, ...rest] = attr.args as number[];
  const versions: { kind: LoxKind; func: FuncId }[] = [];
  for (let i = 0; i + 1 < rest.length; i += 2) versions.push({ kind: rest[i] as LoxKind, func: rest[i + 1] as FuncId });
  return { param: param as number, versions };
}

/** Operations that need a number operand: using `p` in one is a reason for a number version. */
const NUMBER_USES: ReadonlySet<Opcode> = new Set([
  Op.loxSub, Op.loxMul, Op.loxDiv, Op.loxMod, Op.loxNeg, Op.loxLt, Op.loxLe, Op.loxGt, Op.loxGe,
]);

/** Constants whose kind has only them: comparing `p` with one is a test of `p`'s kind. */
const UNIT_CONSTANTS: ReadonlyMap<Opcode, LoxKind> = new Map([[Op.loxNil, LoxKind.nil], [Op.loxTrue, LoxKind.bool], [Op.loxFalse, LoxKind.bool]]);

/** The passes a version gets at once: the kind fact at its entry is what they use. */
type VersionPasses = readonly Pass[];

export function expandMonomorphic(module: Module, passes: VersionPasses): void {
  const natives = unchangedNatives(module);
  const predicates = new Map([...KIND_PREDICATES].flatMap(([name, kind]) => {
    const g = natives.get(name);
    return g === undefined ? [] : [[g, kind] as const];
  }));
  for (const fn of [...module.functions]) {
    if (fn.kind !== "lox") continue;
    const attr = fn.attributes.find((a) => a.name === "monomorphize");
    if (attr === undefined || fn.attributes.some((a) => a.name === "specialize")) continue;
    const param = fn.body.blockParams(fn.body.entry).findIndex((p) => fn.body.name(p) === attr.args[0]);
    if (param < 0) continue;
    const probe = cloneBody(fn.body);
    testPredicatesInline(probe, predicates);
    const kinds = testedKinds(probe, probe.blockParams(probe.entry)[param] as Value).slice(0, MAX_VERSIONS);
    if (kinds.length === 0) continue;
    const inherited = fn.attributes.filter((a) => a.name !== "monomorphize");
    const generic = module.addFunction(fn.name, fn.params, fn.result, inherited, fn.line);
    generic.body = fn.body;
    const versions = kinds.map((kind) => {
      const version = module.addFunction(fn.name, fn.params, fn.result, inherited, fn.line);
      version.body = cloneBody(probe);
      guardEntry(version.body, param, kind, fn.line);
      if (kind === LoxKind.num) floorInline(version.body, natives.get("floor"), version.body.blockParams(version.body.entry)[param] as Value);
      dropNativeReads(version.body, new Set(natives.values()));
      for (const pass of passes) pass.run(module, version);
      return { kind, func: version.id };
    });
    fn.body = dispatcher(module, fn, param, versions, generic.id);
    fn.attributes = [
      ...inherited, { name: DISPATCH_ATTRIBUTE, args: [] },
      { name: MONOMORPHIC_ATTRIBUTE, args: [param, ...versions.flatMap((v) => [v.kind, v.func])] },
    ];
  }
}

/** Natives the program never defines or assigns (so their globals always hold them), by name. */
function unchangedNatives(module: Module): Map<string, GlobalId> {
  const { defines, assigned } = globalWrites(module.functions);
  const out = new Map<string, GlobalId>();
  for (const { name } of NATIVE_SPECS) {
    const g = module.findGlobal(name);
    if (g !== undefined && !defines.has(g) && !assigned.has(g)) out.set(name, g);
  }
  return out;
}

/** The global `v` calls a value read from, if `v` is a call of one argument of a value read from a global (`floor(x)`). */
function calledGlobal(body: FunctionBody, v: Value): GlobalId | null {
  if (body.opcode(v) !== Op.loxCall || body.argCount(v) !== 2) return null;
  const callee = body.resolve(body.arg(v, 0));
  return body.kind(callee) === ValueKind.inst && body.opcode(callee) === Op.loxGlobalGet ? (body.imm(callee) as GlobalId) : null;
}

/** In the number version, `floor(p)` of the parameter, a number there, cannot fail: `num.floor`. */
function floorInline(body: FunctionBody, floor: GlobalId | undefined, p: Value): void {
  if (floor === undefined) return;
  for (const b of body.blocks()) {
    for (const v of body.blockInsts(b)) {
      if (calledGlobal(body, v) === floor && body.resolve(body.arg(v, 1)) === p) body.rewriteInst(v, Op.numFloor, [p], 0, Type.val);
    }
  }
}

/**
 * Reads of natives' globals that nothing uses any more (the calls became
 * `lox.is`, `num.floor`): such a global is always defined, so the read
 * cannot fail and goes, leaving a version that may raise no error at all.
 */
function dropNativeReads(body: FunctionBody, natives: ReadonlySet<GlobalId>): void {
  body.resolveAllUses();
  const uses = countUses(body);
  for (const b of body.blocks()) {
    const insts = body.blockInsts(b);
    const kept = insts.filter((v) => uses[v] !== 0 || body.opcode(v) !== Op.loxGlobalGet || !natives.has(body.imm(v) as GlobalId));
    if (kept.length !== insts.length) body.setBlockInsts(b, kept);
  }
}

/** `isNumber(x)` (a call of the native read from its global) becomes `lox.is num x`. */
function testPredicatesInline(body: FunctionBody, predicates: ReadonlyMap<GlobalId, LoxKind>): void {
  for (const b of body.blocks()) {
    for (const v of body.blockInsts(b)) {
      const g = calledGlobal(body, v);
      const kind = g === null ? undefined : predicates.get(g);
      if (kind !== undefined) body.rewriteInst(v, Op.loxIs, [body.arg(v, 1)], kind, Type.val);
    }
  }
}

/** The kinds of `p` the body tests or needs, in order of first use. */
function testedKinds(body: FunctionBody, p: Value): LoxKind[] {
  const kinds: LoxKind[] = [];
  const add = (k: LoxKind): void => {
    if (!kinds.includes(k)) kinds.push(k);
  };
  for (const b of body.blocks()) {
    for (const v of body.blockInsts(b)) {
      const op = body.opcode(v);
      if (op === Op.loxIs && body.resolve(body.arg(v, 0)) === p) add(body.imm(v) as LoxKind);
      else if ((op === Op.loxEq || op === Op.loxNe) && body.args(v).some((a) => body.resolve(a) === p)) {
        // `p == nil`, `p != true`, ...
        for (const a of body.args(v)) {
          const c = body.resolve(a);
          if (c === p || body.kind(c) !== ValueKind.inst) continue;
          const unit = UNIT_CONSTANTS.get(body.opcode(c));
          if (unit !== undefined) add(unit);
        }
      }
      else if (NUMBER_USES.has(op) && body.args(v).some((a) => body.resolve(a) === p)) add(LoxKind.num);
    }
  }
  return kinds;
}

/** The entry now first checks that parameter `param` is of `kind` (the other way cannot happen: the stub checked). */
function guardEntry(body: FunctionBody, param: number, kind: LoxKind, line: number): void {
  const entry = body.entry;
  const rest = body.addBlock();
  body.setBlockInsts(rest, body.blockInsts(entry));
  body.setTerminator(rest, body.terminator(entry));
  const p = body.blockParams(entry)[param] as Value;
  const test = body.createInst(Op.loxIs, [p], kind, Type.val);
  const truthy = body.createInst(Op.loxTruthy, [test], 0, Type.i32);
  body.setSpan(test, { line, start: 0, end: 0 });
  body.setSpan(truthy, { line, start: 0, end: 0 });
  body.setBlockInsts(entry, [test, truthy]);
  const never = body.addBlock();
  body.setTerminator(never, { kind: "unreachable" });
  body.setTerminator(entry, { kind: "br", cond: truthy, then: { block: rest, args: [] }, else: { block: never, args: [] } });
}

function dispatcher(
  module: Module, fn: IrFunction, param: number, versions: readonly { kind: LoxKind; func: FuncId }[], generic: FuncId,
): FunctionBody {
  const body = new FunctionBody();
  const b = new FunctionBuilder(body, module);
  let block: Block = b.newBlock();
  b.switchTo(block);
  b.span = { line: fn.line, start: 0, end: 0 };
  const params = fn.params.map((t) => b.param(block, t));
  for (const version of versions) {
    const test = b.inst(Op.loxIs, [params[param] as Value], version.kind, Type.val);
    const yes = b.newBlock();
    const no = b.newBlock();
    b.br(b.inst(Op.loxTruthy, [test], 0, Type.i32), yes, no);
    b.switchTo(yes);
    b.ret(b.call(version.func, params));
    block = no;
    b.switchTo(block);
  }
  b.ret(b.call(generic, params));
  return body;
}
