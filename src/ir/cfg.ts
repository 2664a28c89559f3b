/**
 * Control-flow facts about a function body: predecessors, reverse
 * postorder of the reachable blocks, and the dominator tree, computed with
 * the iterative algorithm of Cooper, Harvey and Kennedy ("A Simple, Fast
 * Dominance Algorithm", 2001). Computed on demand; passes recompute after
 * changing the CFG.
 */
import type { Block, Terminator } from "./entities.ts";
import type { FunctionBody } from "./function-body.ts";

export class ControlFlow {
  /** Reachable blocks in reverse postorder (entry first). */
  readonly rpo: Block[] = [];
  /** Position of each reachable block in `rpo`, -1 if unreachable. */
  private readonly order: Int32Array;
  private readonly preds: Block[][];
  /**
   * Immediate dominator of each reachable block (the entry's is itself), -1
   * if unreachable; computed at the first question about dominance (many
   * passes only need the order and the predecessors).
   */
  private idomTable: Int32Array | null = null;
  private domChildren: Block[][] | null = null;

  constructor(readonly body: FunctionBody) {
    const n = body.blockCount;
    this.order = new Int32Array(n).fill(-1);
    this.preds = Array.from({ length: n }, () => []);
    this.computeOrder();
    for (const b of this.rpo) {
      for (const s of body.successors(b)) (this.preds[s] as Block[]).push(b);
    }
  }

  private get idoms(): Int32Array {
    if (this.idomTable === null) {
      this.idomTable = new Int32Array(this.body.blockCount).fill(-1);
      this.computeDominators(this.idomTable);
    }
    return this.idomTable;
  }

  private computeOrder(): void {
    const post = depthFirst(this.body, true);
    for (let i = post.length - 1; i >= 0; i--) {
      const b = post[i] as Block;
      this.order[b] = this.rpo.length;
      this.rpo.push(b);
    }
  }

  private computeDominators(idoms: Int32Array): void {
    const entry = this.body.entry;
    idoms[entry] = entry;
    let changed = true;
    while (changed) {
      changed = false;
      for (const b of this.rpo) {
        if (b === entry) continue;
        let idom = -1;
        for (const p of this.preds[b] as Block[]) {
          if (idoms[p] === -1) continue;
          idom = idom === -1 ? p : this.intersect(idoms, p, idom as Block);
        }
        if (idom !== idoms[b]) {
          idoms[b] = idom;
          changed = true;
        }
      }
    }
  }

  private intersect(idoms: Int32Array, a: Block, b: Block): Block {
    let x = a;
    let y = b;
    while (x !== y) {
      while ((this.order[x] as number) > (this.order[y] as number)) x = idoms[x] as Block;
      while ((this.order[y] as number) > (this.order[x] as number)) y = idoms[y] as Block;
    }
    return x;
  }

  isReachable(b: Block): boolean {
    return this.order[b] !== -1;
  }

  /** Reachable predecessors, with one entry per incoming edge. */
  predecessors(b: Block): readonly Block[] {
    return this.preds[b] as Block[];
  }

  idom(b: Block): Block | null {
    const d = this.idoms[b] as number;
    return d === -1 || d === b ? null : (d as Block);
  }

  /** Whether `a` dominates `b` (every block dominates itself). */
  dominates(a: Block, b: Block): boolean {
    if (!this.isReachable(a) || !this.isReachable(b)) return false;
    const idoms = this.idoms;
    let x = b;
    for (;;) {
      if (x === a) return true;
      const d = idoms[x] as Block;
      if (d === x) return false;
      x = d;
    }
  }

  /** Children in the dominator tree, in reverse postorder. */
  children(b: Block): readonly Block[] {
    if (this.domChildren === null) {
      this.domChildren = Array.from({ length: this.body.blockCount }, () => []);
      for (const x of this.rpo) {
        const d = this.idom(x);
        if (d !== null) (this.domChildren[d] as Block[]).push(x);
      }
    }
    return this.domChildren[b] as Block[];
  }
}

/** Number of successor edges of a terminator. */
function successorCount(t: Terminator): number {
  switch (t.kind) {
    case "jump": return 1;
    case "br": return 2;
    case "switch": return t.targets.length + 1;
    default: return 0;
  }
}

/** Successor `i` of a terminator, in `FunctionBody.successors` order. */
function successorAt(t: Terminator, i: number): Block {
  switch (t.kind) {
    case "jump": return t.target.block;
    case "br": return i === 0 ? t.then.block : t.else.block;
    case "switch": return i < t.targets.length ? (t.targets[i] as (typeof t.targets)[number]).block : t.default.block;
    default: throw new Error("internal error: a terminator without successors");
  }
}

/**
 * The blocks reachable from the entry, found by an iterative depth-first
 * search over the terminators (no per-block allocation): in postorder when
 * `postorder`, else in the order they were first reached.
 */
function depthFirst(body: FunctionBody, postorder: boolean): Block[] {
  const n = body.blockCount;
  const visited = new Uint8Array(n);
  const blocks = new Int32Array(n);
  const next = new Int32Array(n);
  const out: Block[] = [];
  let depth = 0;
  blocks[0] = body.entry;
  visited[body.entry] = 1;
  if (!postorder) out.push(body.entry);
  while (depth >= 0) {
    const b = blocks[depth] as Block;
    const t = body.terminator(b);
    const i = next[depth] as number;
    if (i < successorCount(t)) {
      next[depth] = i + 1;
      const s = successorAt(t, i);
      if (!visited[s]) {
        visited[s] = 1;
        if (!postorder) out.push(s);
        depth++;
        blocks[depth] = s;
        next[depth] = 0;
      }
    } else {
      if (postorder) out.push(b);
      depth--;
    }
  }
  return out;
}

/** Whether each block is reachable from the entry (1) or not (0): the first half of `ControlFlow`, for passes that need no more. */
export function reachableBlocks(body: FunctionBody): Uint8Array {
  const reachable = new Uint8Array(body.blockCount);
  for (const b of depthFirst(body, false)) reachable[b] = 1;
  return reachable;
}
