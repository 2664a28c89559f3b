/**
 * Hash-consed specialization contexts (C. Fallin et al., "Partial
 * Evaluation, Whole-Program Compilation", PLDI 2025, §3): a context is a
 * stack of frames. A `pc` frame holds the constant value of the
 * interpreter's program counter (`@context(pc)`) in its dispatch loop; an
 * `iteration` frame names one iteration of an inner loop that is being
 * unrolled (its header and the constants its loop-carried values have),
 * DESIGN.md's `Specialized(v, i)` value splits. Equal stacks get equal
 * ids, so (block, context) pairs can be compared as integers.
 */

export type ContextId = number & { readonly __context: unique symbol };

interface Frame {
  readonly parent: ContextId;
  /** `pc`: the `knownKey` of the pc value; `iteration`: the loop's values. */
  readonly key: string;
  readonly depth: number;
  /** For iteration frames, the loop header; -1 for pc frames. */
  readonly header: number;
  /** For pc frames whose value is a number, that number (program order); else NaN. */
  readonly position: number;
  /** The frames of the stack, outermost first, this one last. */
  readonly path: readonly ContextId[];
}

/** The number a pc key (`knownKey`: `n12`, `i3`, ...) stands for, or NaN. */
function pcPosition(key: string): number {
  return /^[nifl]-?\d/.test(key) ? Number(key.slice(1)) : Number.NaN;
}

export class ContextTable {
  private readonly frames: (Frame | null)[] = [null];
  private readonly ids = new Map<string, ContextId>();
  /** The empty stack: outside every dispatch loop. */
  readonly root = 0 as ContextId;

  private intern(parent: ContextId, key: string, header = -1): ContextId {
    const id0 = `${parent}/${header}/${key}`;
    let id = this.ids.get(id0);
    if (id === undefined) {
      id = this.frames.length as ContextId;
      const path = [...(this.frames[parent]?.path ?? []), id];
      this.frames.push({ parent, key, depth: this.depth(parent) + 1, header, position: header === -1 ? pcPosition(key) : Number.NaN, path });
      this.ids.set(id0, id);
    }
    return id;
  }

  depth(ctx: ContextId): number {
    return this.frames[ctx]?.depth ?? 0;
  }

  /** Entering a dispatch loop whose pc starts at `pc`. */
  push(ctx: ContextId, pc: string): ContextId {
    return this.intern(ctx, pc);
  }

  /** The innermost pc changes; null unless the innermost frame is a pc frame. */
  update(ctx: ContextId, pc: string): ContextId | null {
    const frame = this.frames[ctx];
    return frame === null || frame === undefined || frame.header !== -1 ? null : this.intern(frame.parent, pc);
  }

  /** Leaving the innermost dispatch loop; null unless the innermost frame is a pc frame. */
  pop(ctx: ContextId): ContextId | null {
    const frame = this.frames[ctx];
    return frame === null || frame === undefined || frame.header !== -1 ? null : frame.parent;
  }

  /** The innermost pc (its key), or null if the innermost frame is not a pc frame. */
  pc(ctx: ContextId): string | null {
    const frame = this.frames[ctx];
    return frame === null || frame === undefined || frame.header !== -1 ? null : frame.key;
  }

  /** The pc of the innermost pc frame (skipping iteration frames), or null outside every dispatch loop. */
  innermostPc(ctx: ContextId): string | null {
    for (let f = this.frames[ctx]; f !== null && f !== undefined; f = this.frames[f.parent]) {
      if (f.header === -1) return f.key;
    }
    return null;
  }

  /** The header of the innermost frame if it is an iteration frame, else -1. */
  iterationHeader(ctx: ContextId): number {
    return this.frames[ctx]?.header ?? -1;
  }

  /** The context without its innermost frame (the root stays the root). */
  parent(ctx: ContextId): ContextId {
    return this.frames[ctx]?.parent ?? this.root;
  }

  /** An iteration of the loop at `header`, identified by `key`, inside `ctx`. */
  iteration(ctx: ContextId, header: number, key: string): ContextId {
    return this.intern(ctx, key, header);
  }

  /**
   * Program order of two contexts: frame by frame from the outermost, pc
   * frames by their numeric pc (bytecode order), other frames in the order
   * they were made; an enclosing stack comes before the stacks inside it.
   */
  compare(a: ContextId, b: ContextId): number {
    if (a === b) return 0;
    const pa = this.frames[a]?.path ?? [];
    const pb = this.frames[b]?.path ?? [];
    const n = Math.min(pa.length, pb.length);
    for (let i = 0; i < n; i++) {
      const x = pa[i] as ContextId;
      const y = pb[i] as ContextId;
      if (x === y) continue;
      const px = (this.frames[x] as Frame).position;
      const py = (this.frames[y] as Frame).position;
      if (!Number.isNaN(px) && !Number.isNaN(py) && px !== py) return px - py;
      return x - y;
    }
    return pa.length - pb.length;
  }

  get size(): number {
    return this.frames.length;
  }
}
