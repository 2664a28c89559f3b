/**
 * The explain report (DESIGN.md §7): per bytecode pc, what stayed dynamic
 * in the specialized code and why, so that nobody needs to read IR to learn
 * why an interpreter did not speed up. Transcription records one note per
 * residual operation (a unit that is transcribed again replaces its notes);
 * the report groups them by the pc of their context.
 */

export type NoteKind = "load" | "store" | "branch" | "call" | "allocation" | "arithmetic" | "other";

export interface ExplainNote {
  readonly kind: NoteKind;
  /** The IR operation that stayed (`lox.get .code`, `br`). */
  readonly what: string;
  readonly why: string;
  /** Line of the interpreter's source. */
  readonly line: number;
}

export class ExplainLog {
  private readonly byUnit = new Map<string, { pc: string | null; notes: ExplainNote[] }>();
  /** The sections of the chained blocks of each unit, by the unit's name. */
  private readonly chained = new Map<string, string[]>();

  /**
   * Starts the notes of a unit whose innermost pc is `pc`, or restarts them
   * (dropping its chained blocks' sections); with `within`, of a block
   * chained into unit `within`.
   */
  begin(unit: string, pc: string | null, within: string | null = null): ExplainNote[] {
    if (within === null) this.forget(unit);
    else {
      const list = this.chained.get(within);
      if (list === undefined) this.chained.set(within, [unit]);
      else list.push(unit);
    }
    const notes: ExplainNote[] = [];
    this.byUnit.set(unit, { pc, notes });
    return notes;
  }

  /** Drops the notes of a unit (and of its chained blocks) whose code was thrown away. */
  forget(unit: string): void {
    this.byUnit.delete(unit);
    for (const section of this.chained.get(unit) ?? []) this.byUnit.delete(section);
    this.chained.delete(unit);
  }

  /** Notes grouped by pc (numeric pcs in order; outside the dispatch loop first), identical notes counted. */
  report(): ExplainEntry[] {
    const groups = new Map<string, Map<string, { note: ExplainNote; count: number }>>();
    for (const { pc, notes } of this.byUnit.values()) {
      const key = pc ?? "";
      let group = groups.get(key);
      if (group === undefined) groups.set(key, (group = new Map()));
      for (const note of notes) {
        const id = `${note.kind}|${note.what}|${note.why}|${note.line}`;
        const seen = group.get(id);
        if (seen === undefined) group.set(id, { note, count: 1 });
        else seen.count++;
      }
    }
    return [...groups]
      .map(([pc, notes]) => ({ pc: pc === "" ? null : pc, notes: [...notes.values()] }))
      .sort((a, b) => pcOrder(a.pc) - pcOrder(b.pc));
  }
}

export interface ExplainEntry {
  /** The pc (as the context shows it), or null outside the dispatch loop. */
  readonly pc: string | null;
  readonly notes: readonly { readonly note: ExplainNote; readonly count: number }[];
}

function pcOrder(pc: string | null): number {
  if (pc === null) return -1;
  const n = Number(pc.replace(/^n/, ""));
  return Number.isFinite(n) ? n : Number.MAX_SAFE_INTEGER;
}

/** A pc key (`n12`) as a user reads it (`12`). */
export function pcText(pc: string): string {
  return pc.replace(/^n/, "");
}

/** The report as text: one block per pc, one line per kind of residual operation. */
export function formatExplain(title: string, entries: readonly ExplainEntry[]): string {
  const lines = [`explain ${title}:`];
  if (entries.every((e) => e.notes.length === 0)) lines.push("  nothing stayed dynamic");
  for (const entry of entries) {
    if (entry.notes.length === 0) continue;
    lines.push(entry.pc === null ? "  outside the dispatch loop:" : `  pc ${pcText(entry.pc)}:`);
    for (const { note, count } of entry.notes) {
      const times = count > 1 ? ` (x${count})` : "";
      lines.push(`    ${note.kind} ${note.what} at line ${note.line}: ${note.why}${times}`);
    }
  }
  return lines.join("\n") + "\n";
}
