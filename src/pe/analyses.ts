/**
 * What the partial evaluator computes about the generic code before
 * specializing it, kept across requests: the live-in values, natural
 * loops, chainable blocks and block order of each generic function, the
 * stable globals of the module and which functions never return. A program's JIT makes
 * one request per (function, constants) pair, nearly all on the same
 * interpreter function, so each analysis runs once per function rather
 * than once per request. The generic code never changes while the program
 * runs; a cache belongs to one module (the owner makes one per program).
 */
import { type Block, ControlFlow, type FuncId, type FunctionBody, type GlobalId, type IrFunction, type LoxConst, type Module, type Value } from "../ir/index.ts";
import { chainableBlocks } from "./chains.ts";
import { type CompareStep, compareSteps } from "./compare-steps.ts";
import { liveIns } from "./live-ins.ts";
import { findLoops, type LoopInfo } from "./loops.ts";
import { stableGlobals } from "./stable-globals.ts";
import { constantOf } from "../passes/index.ts";
import { constant, type PeVal } from "./values.ts";

export interface FunctionAnalyses {
  readonly liveIns: ReadonlyMap<Block, readonly Value[]>;
  readonly loops: LoopInfo;
  readonly chainable: ReadonlySet<Block>;
  /** Blocks that only compare one value with a number and branch (compare-steps.ts). */
  readonly compareSteps: ReadonlyMap<Block, CompareStep>;
  /** The abstract value of each constant instruction (`lox.num`, `i32.const`, ...), by value; undefined for the others. */
  readonly constants: readonly (PeVal | undefined)[];
  /** Each reachable block's position in reverse postorder (the worklist's order within a context). */
  readonly rpoIndex: ReadonlyMap<Block, number>;
}

export class GenericAnalyses {
  private readonly functions = new WeakMap<FunctionBody, FunctionAnalyses>();
  private globals: ReadonlySet<GlobalId> | null = null;
  /** Functions found to return or not (never-returns.ts), filled as calls are met. */
  readonly neverReturning = new Map<FuncId, boolean>();
  /** Results of `@pure` calls evaluated on constants (pure-calls.ts), by function and arguments. */
  readonly pureResults = new Map<string, LoxConst>();
  /** `@pure` functions found to read no heap object, or not (pure-calls.ts). */
  readonly heapFreePure = new Map<FuncId, boolean>();

  constructor(readonly module: Module) {}

  of(fn: IrFunction): FunctionAnalyses {
    let found = this.functions.get(fn.body);
    if (found === undefined) {
      const rpoIndex = new Map(new ControlFlow(fn.body).rpo.map((b, i) => [b, i]));
      found = {
        liveIns: liveIns(fn.body), loops: findLoops(fn.body), chainable: chainableBlocks(fn.body),
        compareSteps: compareSteps(this.module, fn.body), constants: constantValues(this.module, fn.body), rpoIndex,
      };
      this.functions.set(fn.body, found);
    }
    return found;
  }

  get stableGlobals(): ReadonlySet<GlobalId> {
    this.globals ??= stableGlobals(this.module);
    return this.globals;
  }
}

/** The abstract value of every constant instruction of `body`: transcription reads it instead of making it each time. */
function constantValues(module: Module, body: FunctionBody): (PeVal | undefined)[] {
  const out = new Array<PeVal | undefined>(body.valueCount);
  for (const b of body.blocks()) {
    for (const v of body.blockInsts(b)) {
      const c = constantOf(module, body, v);
      if (c !== null) out[v] = constant(c);
    }
  }
  return out;
}
