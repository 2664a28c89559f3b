/**
 * Structured control flow from a reducible CFG, following N. Ramsey,
 * "Beyond Relooper: Recursive Translation of Unstructured Control Flow to
 * Structured Control Flow" (ICFP 2022), which in turn follows the
 * dominator-tree translation used by V8's and Cheerp's Wasm producers.
 *
 * The translation walks the dominator tree. A block with more than one
 * forward in-edge (a *merge* block) is placed right after a Wasm `block`
 * that encloses its dominator's code, so forward edges to it are `br` out
 * of that `block`; a block that is the target of a back edge (a loop
 * header) is wrapped in a Wasm `loop`, so back edges are `br` to it; every
 * other block has a single forward in-edge and is emitted inline at its
 * branch. Merge children of a block are nested in reverse postorder, the
 * latest outermost, because forward edges only go to later blocks.
 *
 * The paper's recursion is run on an explicit agenda of steps, since a long
 * straight-line function nests as deeply as it has merge points.
 *
 * Assumes: the CFG is reducible (every back edge targets a block that
 * dominates its source). Lowering from Lox and every pass keep it so;
 * `structure` throws `IrreducibleControlFlow` otherwise, and the caller can
 * fall back to a backend that handles any CFG.
 */
import { type Block, type BlockTarget, ControlFlow, type FunctionBody, type Value } from "../../ir/index.ts";
import { assertNever } from "../../support/assert.ts";
import type { ByteWriter } from "./bytes.ts";
import { W } from "./wasm-opcodes.ts";

/** What the translation asks of the instruction encoder. */
export interface BlockEmitter {
  /** The block's instructions. */
  body(block: Block): void;
  /** The value of a `br` condition (an i32), as the last thing on the stack. */
  operand(value: Value): void;
  /** Moves the arguments of an edge into the target's parameters. */
  edge(target: BlockTarget): void;
}

export class IrreducibleControlFlow extends Error {}

/** An enclosing Wasm construct, innermost last; its position gives `br` depths. */
type Frame =
  | { readonly kind: "if" }
  | { readonly kind: "block"; readonly follow: Block }
  | { readonly kind: "loop"; readonly header: Block };

/** A step of the translation; the agenda runs the last one pushed first. */
type Step =
  | { readonly kind: "tree"; readonly block: Block }
  | { readonly kind: "within"; readonly block: Block; readonly merges: readonly Block[]; readonly count: number }
  | { readonly kind: "branch"; readonly from: Block; readonly target: BlockTarget }
  | { readonly kind: "else" }
  | { readonly kind: "end" };

/** Emits the structured body of a function (without the final `end`); returns whether it has a loop. */
export function structure(body: FunctionBody, emitter: BlockEmitter, w: ByteWriter): boolean {
  const structurer = new Structurer(body, emitter, w);
  structurer.run();
  return structurer.hasLoop;
}

class Structurer {
  private readonly cfg: ControlFlow;
  private readonly order: Int32Array;
  private readonly loopHeader: Uint8Array;
  private readonly merge: Uint8Array;
  private readonly frames: Frame[] = [];
  private readonly agenda: Step[] = [];
  /** Whether some block is the target of a back edge. */
  hasLoop = false;

  constructor(private readonly body: FunctionBody, private readonly emitter: BlockEmitter, private readonly w: ByteWriter) {
    this.cfg = new ControlFlow(body);
    const n = body.blockCount;
    this.order = new Int32Array(n).fill(-1);
    this.cfg.rpo.forEach((b, i) => (this.order[b] = i));
    this.loopHeader = new Uint8Array(n);
    this.merge = new Uint8Array(n);
    const forwardIn = new Int32Array(n);
    for (const b of this.cfg.rpo) {
      for (const s of body.successors(b)) {
        if ((this.order[s] as number) <= (this.order[b] as number)) {
          if (!this.cfg.dominates(s, b)) throw new IrreducibleControlFlow(`block${b} -> block${s} enters a loop from the side`);
          this.loopHeader[s] = 1;
          this.hasLoop = true;
        } else {
          forwardIn[s] = (forwardIn[s] as number) + 1;
        }
      }
    }
    for (let b = 0; b < n; b++) if ((forwardIn[b] as number) > 1) this.merge[b] = 1;
  }

  run(): void {
    this.agenda.push({ kind: "tree", block: this.body.entry });
    for (let step = this.agenda.pop(); step !== undefined; step = this.agenda.pop()) {
      switch (step.kind) {
        case "tree": this.tree(step.block); break;
        case "within": this.within(step.block, step.merges, step.count); break;
        case "branch": this.branch(step.from, step.target); break;
        case "else": this.w.byte(W.else); break;
        case "end": this.close(); break;
        default: assertNever(step, "step");
      }
    }
  }

  private open(opcode: number, frame: Frame): void {
    this.w.byte(opcode);
    this.w.byte(W.blockTypeEmpty);
    this.frames.push(frame);
  }

  private close(): void {
    this.frames.pop();
    this.w.byte(W.end);
  }

  /** The code of `x` and everything it dominates. */
  private tree(x: Block): void {
    const merges = this.cfg.children(x).filter((c) => this.merge[c] === 1);
    if (this.loopHeader[x] === 1) {
      this.open(W.loop, { kind: "loop", header: x });
      this.agenda.push({ kind: "end" });
    }
    this.agenda.push({ kind: "within", block: x, merges, count: merges.length });
  }

  /** `x` with the first `count` of its merge children (in reverse postorder) following it. */
  private within(x: Block, merges: readonly Block[], count: number): void {
    if (count === 0) {
      this.emitter.body(x);
      this.terminator(x);
      return;
    }
    const last = merges[count - 1] as Block;
    this.open(W.block, { kind: "block", follow: last });
    this.agenda.push({ kind: "tree", block: last }, { kind: "end" }, { kind: "within", block: x, merges, count: count - 1 });
  }

  private terminator(x: Block): void {
    const t = this.body.terminator(x);
    switch (t.kind) {
      case "jump":
        this.branch(x, t.target);
        return;
      case "br":
        this.emitter.operand(t.cond);
        this.open(W.if, { kind: "if" });
        this.agenda.push(
          { kind: "end" }, { kind: "branch", from: x, target: t.else }, { kind: "else" }, { kind: "branch", from: x, target: t.then },
        );
        return;
      case "return":
        if (t.value !== null) this.emitter.operand(t.value);
        this.w.byte(W.return);
        return;
      case "unreachable": case "none":
        this.w.byte(W.unreachable);
        return;
      case "switch":
        throw new Error("internal error: switch is not supported by the backend yet");
      default:
        assertNever(t, "terminator");
    }
  }

  private branch(from: Block, target: BlockTarget): void {
    this.emitter.edge(target);
    const to = target.block;
    if ((this.order[to] as number) <= (this.order[from] as number)) {
      this.br((f) => f.kind === "loop" && f.header === to);
    } else if (this.merge[to] === 1) {
      this.br((f) => f.kind === "block" && f.follow === to);
    } else {
      this.agenda.push({ kind: "tree", block: to });
    }
  }

  private br(matches: (frame: Frame) => boolean): void {
    for (let i = this.frames.length - 1; i >= 0; i--) {
      if (matches(this.frames[i] as Frame)) {
        this.w.byte(W.br);
        this.w.u32(this.frames.length - 1 - i);
        return;
      }
    }
    throw new Error("internal error: a branch target is not in scope (structure)");
  }
}
