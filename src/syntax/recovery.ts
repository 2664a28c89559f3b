/**
 * Merges syntax errors with the static errors of later passes the way the
 * reference's single-pass compiler reports them.
 *
 * The reference finds scope errors while parsing, and every error, whatever
 * its origin, puts the parser in panic mode: later errors are dropped until
 * the end of the current declaration, where the parser synchronizes (skips
 * tokens up to a statement boundary). Sa finds scope errors in a separate
 * pass (the resolver), so it replays that discipline: the parser records an
 * event clock (each consumed token, each error, each declaration end gets a
 * tick), later passes stamp their diagnostics with the tick of the token they
 * point at (plus one half: the reference reports them right after consuming
 * that token), and `replayPanic` walks all events in clock order, dropping
 * an error while "panicking".
 *
 * When a later pass's error leaves the parser panicking at a declaration end
 * where this parse did not synchronize, the reference would have skipped
 * tokens there, which can change the tree and the errors after it. The
 * front end then re-parses with that point forced (`forcedSyncs`) and
 * repeats until nothing new is forced (`src/sema/index.ts`).
 */
import type { Diagnostic } from "./diagnostics.ts";
import type { SyncPoint } from "./parser.ts";

/** Clock time for a diagnostic found by a later pass at a token consumed at `tokenSeq`. */
export function afterToken(tokenSeq: number): number {
  return tokenSeq + 0.5;
}

export interface Replay {
  /** The diagnostics the reference would print, in order. */
  readonly diagnostics: Diagnostic[];
  /** Declaration ends (token indices) where the reference would synchronize but this parse did not. */
  readonly missingSyncs: number[];
}

export function replayPanic(
  parserDiagnostics: readonly Diagnostic[],
  laterDiagnostics: readonly Diagnostic[],
  syncs: readonly SyncPoint[],
): Replay {
  if (laterDiagnostics.length === 0) return { diagnostics: [...parserDiagnostics], missingSyncs: [] };
  const later = new Set(laterDiagnostics);
  const all = [...parserDiagnostics, ...laterDiagnostics].sort((a, b) => a.seq - b.seq);
  const kept: Diagnostic[] = [];
  const missingSyncs: number[] = [];
  let panic = false;
  let panicFromLater = false;
  let s = 0;
  const syncUntil = (seq: number): void => {
    while (s < syncs.length && (syncs[s] as SyncPoint).seq < seq) {
      const sync = syncs[s] as SyncPoint;
      if (panic && panicFromLater && !sync.synchronized) missingSyncs.push(sync.token);
      panic = false;
      s++;
    }
  };
  for (const d of all) {
    syncUntil(d.seq);
    if (panic) continue;
    kept.push(d);
    panic = true;
    panicFromLater = later.has(d);
  }
  syncUntil(Infinity);
  return { diagnostics: kept, missingSyncs };
}
