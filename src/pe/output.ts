/**
 * Writing the residual function: constants, materialized virtual arrays and
 * the values of abstract entries, appended to an output block. Shared by
 * block transcription and by the edges the driver completes at the end.
 */
import {
  type Block, type Const, type FunctionBody, type Module, Op, type Opcode, type SourceSpan, Type, type Value,
} from "../ir/index.ts";
import { assertNever } from "../support/assert.ts";
import type { PeVal } from "./values.ts";

/** Thrown when specialization cannot go on; the generic code keeps running. */
export class SpecializationAbandoned extends Error {}

/**
 * Thrown when an array that call `call` (a generic value) passed flattened
 * is used after the call: the request starts over with that call passing
 * the array itself (the callee may have changed it).
 */
export class FlattenedArrayReused extends SpecializationAbandoned {
  constructor(readonly call: Value) {
    super(`internal error: an array passed flattened by v${call} is used after the call`);
  }
}

export class OutputWriter {
  span: SourceSpan | null = null;

  constructor(readonly module: Module, readonly body: FunctionBody, public block: Block) {}

  inst(op: Opcode, args: readonly Value[], imm = 0, type?: Type): Value {
    const v = this.body.createInst(op, args, imm, type);
    if (this.span !== null) this.body.setSpan(v, this.span);
    this.body.appendInst(this.block, v);
    return v;
  }

  constant(c: Const): Value {
    switch (c.type) {
      case Type.i32: return this.inst(Op.i32Const, [], c.value | 0);
      case Type.f64: return this.inst(Op.f64Const, [], c.value);
      case Type.i64: return this.inst(Op.i64Const, [], this.body.i64Index(c.value));
      case Type.val: {
        const x = c.val;
        switch (x.kind) {
          case "num": return this.inst(Op.loxNum, [], x.value);
          case "nil": return this.inst(Op.loxNil, []);
          case "bool": return this.inst(x.value ? Op.loxTrue : Op.loxFalse, []);
          case "str": return this.inst(Op.loxStr, [], this.module.symbol(x.text));
          default: return assertNever(x, "Lox constant");
        }
      }
      default: return assertNever(c, "constant");
    }
  }

  /** A heap reference embedded in the code (the object is kept alive by the installed code). */
  ref(addr: number): Value {
    return this.inst(Op.loxObject, [], addr >>> 0);
  }

  /**
   * The output value for an abstract value; `virtualValue` materializes a
   * virtual array (the caller's business: it knows the array's contents).
   */
  value(v: PeVal, virtualValue: (id: number) => Value): Value {
    switch (v.kind) {
      case "const": return this.constant(v.c);
      case "ref": return this.ref(v.addr);
      case "virtual": return virtualValue(v.id);
      case "runtime": return v.v;
      default: return assertNever(v, "abstract value");
    }
  }
}

/**
 * Materializes virtual arrays from a table of their contents: each once,
 * as `lox.array` of its elements (which may themselves be virtual).
 */
export function materializer(
  out: OutputWriter, contents: (id: number) => readonly PeVal[] | undefined, done: Map<number, Value>,
): (id: number) => Value {
  const inProgress = new Set<number>();
  const make = (id: number): Value => {
    const existing = done.get(id);
    if (existing !== undefined) return existing;
    const elems = contents(id);
    if (elems === undefined) throw new Error(`internal error: virtual array ${id} has no contents`);
    if (inProgress.has(id)) throw new SpecializationAbandoned("an array that contains itself cannot be materialized");
    inProgress.add(id);
    const args = elems.map((e) => out.value(e, make));
    inProgress.delete(id);
    const v = out.inst(Op.loxArray, args);
    done.set(id, v);
    return v;
  };
  return make;
}
