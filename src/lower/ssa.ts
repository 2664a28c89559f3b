/**
 * On-the-fly SSA construction for local variables, after Braun, Buchwald,
 * Hack, Leißa, Mallon and Zwinkau, "Simple and Efficient Construction of
 * Static Single Assignment Form" (CC 2013), with block parameters standing
 * for phi functions.
 *
 * Variables are small integers (the resolver's frame slots). The lowering
 * reports every CFG edge it creates (`addEdge`) and seals a block once all
 * its predecessors are known; reading a variable in an unsealed block
 * creates an incomplete parameter that sealing completes. A parameter whose
 * arguments are all the same value (or itself) is removed and made an alias
 * of that value; the recursive re-check of its users that the paper
 * describes is left to the `remove-trivial-params` pass, which runs right
 * after lowering.
 */
import { type Block, type FunctionBody, Op, Type, type Value } from "../ir/index.ts";

export class SsaVariables {
  private readonly defs: Map<number, Value>[] = [];
  private readonly preds: Block[][] = [];
  private readonly sealedBlocks = new Set<Block>();
  private readonly incomplete = new Map<Block, Map<number, Value>>();

  constructor(private readonly body: FunctionBody) {}

  private ensure(b: Block): void {
    while (this.defs.length <= b) {
      this.defs.push(new Map());
      this.preds.push([]);
    }
  }

  /** Records a CFG edge; call once per branch target the lowering emits. */
  addEdge(from: Block, to: Block): void {
    this.ensure(Math.max(from, to) as Block);
    (this.preds[to] as Block[]).push(from);
  }

  write(variable: number, b: Block, value: Value): void {
    this.ensure(b);
    (this.defs[b] as Map<number, Value>).set(variable, value);
  }

  read(variable: number, b: Block): Value {
    this.ensure(b);
    const v = (this.defs[b] as Map<number, Value>).get(variable);
    if (v !== undefined) return v;
    return this.readRecursive(variable, b);
  }

  isSealed(b: Block): boolean {
    return this.sealedBlocks.has(b);
  }

  seal(b: Block): void {
    this.ensure(b);
    const pending = this.incomplete.get(b);
    this.sealedBlocks.add(b);
    if (pending === undefined) return;
    this.incomplete.delete(b);
    for (const [variable, param] of pending) this.addParamArgs(variable, param, b);
  }

  private readRecursive(variable: number, b: Block): Value {
    let value: Value;
    const preds = this.preds[b] as Block[];
    if (!this.sealedBlocks.has(b)) {
      value = this.body.addParam(b, Type.val);
      let pending = this.incomplete.get(b);
      if (pending === undefined) this.incomplete.set(b, (pending = new Map()));
      pending.set(variable, value);
    } else if (preds.length === 0) {
      value = this.undefinedValue(b);
    } else if (preds.length === 1) {
      value = this.read(variable, preds[0] as Block);
    } else {
      const param = this.body.addParam(b, Type.val);
      this.write(variable, b, param);
      value = this.addParamArgs(variable, param, b);
    }
    this.write(variable, b, value);
    return value;
  }

  /** Distinct predecessors, in first-edge order. */
  private distinctPreds(b: Block): Block[] {
    return [...new Set(this.preds[b] as Block[])];
  }

  /**
   * Gives `param` its argument on every incoming edge. Arguments are placed
   * by the parameter's position, not appended: reading the variable in a
   * predecessor may add further parameters to `b` before this one is done.
   */
  private addParamArgs(variable: number, param: Value, b: Block): Value {
    for (const p of this.distinctPreds(b)) {
      const arg = this.read(variable, p);
      const index = this.body.blockParams(b).indexOf(param);
      this.body.mapTargets(p, (t) => {
        if (t.block !== b) return t;
        const args = [...t.args];
        while (args.length <= index) args.push(-1 as Value);
        args[index] = arg;
        return { block: b, args };
      });
    }
    return this.tryRemoveTrivial(param, b);
  }

  private tryRemoveTrivial(param: Value, b: Block): Value {
    const body = this.body;
    const index = body.blockParams(b).indexOf(param);
    let same: Value | null = null;
    for (const p of this.distinctPreds(b)) {
      for (const t of body.targets(p)) {
        if (t.block !== b) continue;
        const arg = body.resolve(t.args[index] as Value);
        if (arg === param || arg === same) continue;
        if (same !== null) return param;
        same = arg;
      }
    }
    const replacement = same ?? this.undefinedValue(b);
    body.removeParam(b, index);
    for (const p of this.distinctPreds(b)) {
      body.mapTargets(p, (t) => (t.block === b ? { block: b, args: t.args.filter((_, i) => i !== index) } : t));
    }
    body.setAlias(param, replacement);
    return replacement;
  }

  /** A value for a variable read where none was written (dead code): nil. */
  private undefinedValue(b: Block): Value {
    const nil = this.body.createInst(Op.loxNil, []);
    this.body.setBlockInsts(b, [nil, ...this.body.blockInsts(b)]);
    return nil;
  }
}
