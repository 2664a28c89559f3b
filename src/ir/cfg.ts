/**
 * Control-flow facts about a function body: predecessors, reverse
 * postorder of the reachable blocks, and the dominator tree, computed with
 * the iterative algorithm of Cooper, Harvey and Kennedy ("A Simple, Fast
 * Dominance Algorithm", 2001). Computed on demand; passes recompute after
 * changing the CFG.
 */
import type { Block } from "./entities.ts";
import type { FunctionBody } from "./function-body.ts";

export class ControlFlow {
  /** Reachable blocks in reverse postorder (entry first). */
  readonly rpo: Block[] = [];
  /** Position of each reachable block in `rpo`, -1 if unreachable. */
  private readonly order: Int32Array;
  private readonly preds: Block[][];
  /** Immediate dominator of each reachable block (the entry's is itself), -1 if unreachable. */
  private readonly idoms: Int32Array;
  private domChildren: Block[][] | null = null;

  constructor(readonly body: FunctionBody) {
    const n = body.blockCount;
    this.order = new Int32Array(n).fill(-1);
    this.preds = Array.from({ length: n }, () => []);
    this.idoms = new Int32Array(n).fill(-1);
    this.computeOrder();
    for (const b of this.rpo) {
      for (const s of body.successors(b)) (this.preds[s] as Block[]).push(b);
    }
    this.computeDominators();
  }

  private computeOrder(): void {
    const body = this.body;
    const visited = new Uint8Array(body.blockCount);
    const post: Block[] = [];
    // Iterative DFS: (block, its successors, index of the next one to visit).
    const stack: { block: Block; succs: Block[]; next: number }[] = [{ block: body.entry, succs: body.successors(body.entry), next: 0 }];
    visited[body.entry] = 1;
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as (typeof stack)[number];
      if (top.next < top.succs.length) {
        const s = top.succs[top.next++] as Block;
        if (!visited[s]) {
          visited[s] = 1;
          stack.push({ block: s, succs: body.successors(s), next: 0 });
        }
      } else {
        post.push(top.block);
        stack.pop();
      }
    }
    for (let i = post.length - 1; i >= 0; i--) {
      const b = post[i] as Block;
      this.order[b] = this.rpo.length;
      this.rpo.push(b);
    }
  }

  private computeDominators(): void {
    const entry = this.body.entry;
    this.idoms[entry] = entry;
    let changed = true;
    while (changed) {
      changed = false;
      for (const b of this.rpo) {
        if (b === entry) continue;
        let idom = -1;
        for (const p of this.preds[b] as Block[]) {
          if (this.idoms[p] === -1) continue;
          idom = idom === -1 ? p : this.intersect(p, idom as Block);
        }
        if (idom !== this.idoms[b]) {
          this.idoms[b] = idom;
          changed = true;
        }
      }
    }
  }

  private intersect(a: Block, b: Block): Block {
    let x = a;
    let y = b;
    while (x !== y) {
      while ((this.order[x] as number) > (this.order[y] as number)) x = this.idoms[x] as Block;
      while ((this.order[y] as number) > (this.order[x] as number)) y = this.idoms[y] as Block;
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
    let x = b;
    for (;;) {
      if (x === a) return true;
      const d = this.idoms[x] as Block;
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
