/**
 * The abstract values of the generic function's values while one unit is
 * transcribed: a table indexed by value id, shared by every unit of one
 * specialization and emptied in constant time between units by a stamp
 * (an entry counts only if it was set under the current stamp; cf. the
 * "generation counter" trick of sparse sets, Briggs & Torczon, "An
 * Efficient Representation for Sparse Sets", LOPLAS 2(1-4), 1993). A
 * unit's transcription reads and writes values of one block chain only,
 * so a per-unit `Map` cost more than the transcription around it (about
 * a tenth of the partial evaluator's time, measured on the Bagel JIT
 * workload). Assumes units are transcribed one at a time, never nested.
 */
import type { Value } from "../ir/index.ts";
import type { PeVal } from "./values.ts";

export class ValueEnv {
  private readonly values: (PeVal | undefined)[];
  private readonly stamps: Int32Array;
  private stamp = 0;
  /** The values set under the current stamp, in order. */
  private readonly set_: Value[] = [];

  constructor(valueCount: number) {
    this.values = new Array<PeVal | undefined>(valueCount).fill(undefined);
    this.stamps = new Int32Array(valueCount);
  }

  /** Forgets every value: a new unit begins. */
  clear(): void {
    this.stamp++;
    this.set_.length = 0;
  }

  get(v: Value): PeVal | undefined {
    return this.stamps[v] === this.stamp ? this.values[v] : undefined;
  }

  set(v: Value, x: PeVal): void {
    if (this.stamps[v] !== this.stamp) {
      this.stamps[v] = this.stamp;
      this.set_.push(v);
    }
    this.values[v] = x;
  }

  /** Replaces every value set so far by `f` of it. */
  update(f: (x: PeVal) => PeVal): void {
    for (const v of this.set_) this.values[v] = f(this.values[v] as PeVal);
  }
}
