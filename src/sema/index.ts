/**
 * Public API of the semantic stage, and the front end as one call: parse,
 * resolve, check annotations, and report diagnostics in the reference's
 * order and with its error recovery.
 */
import type { AnnotationRegistry } from "../../annotations/index.ts";
import { type Diagnostic, parse, type Program, replayPanic } from "../syntax/index.ts";
import { checkAnnotations } from "./annotations.ts";
import type { Resolution } from "./resolution.ts";
import { resolve } from "./resolver.ts";

export { BindingKind, type FunctionScope, type Resolution, type Upvalue } from "./resolution.ts";
export { resolve } from "./resolver.ts";
export { checkAnnotations } from "./annotations.ts";

export interface FrontEndResult {
  readonly program: Program;
  readonly resolution: Resolution;
  /** Empty when the program is valid. */
  readonly diagnostics: readonly Diagnostic[];
  /** Annotations checked but without effect (an ablation): later stages leave them out. */
  readonly disabledAnnotations: ReadonlySet<string>;
}

export interface FrontEndOptions {
  readonly registry?: AnnotationRegistry;
  /** Annotations to check as usual but then ignore (`--disable-annotation`). */
  readonly disabledAnnotations?: ReadonlySet<string>;
}

const NONE_DISABLED: ReadonlySet<string> = new Set();

/** Bound on re-parses for error recovery; each one follows a distinct static error. */
const MAX_REPARSES = 64;

/**
 * Scans, parses, resolves and checks `source` (a byte string, see
 * `Scanner`). When static errors change where the reference's parser would
 * have resynchronized, parses again with those points forced
 * (`src/syntax/recovery.ts`); valid programs are parsed exactly once.
 */
export function analyze(source: string, options: FrontEndOptions = {}): FrontEndResult {
  const forced = new Set<number>();
  for (let attempt = 0; ; attempt++) {
    const parsed = parse(source, forced);
    const resolved = resolve(parsed.program);
    const annotationErrors = checkAnnotations(parsed.program, options.registry);
    const replay = replayPanic(parsed.diagnostics, [...resolved.diagnostics, ...annotationErrors], parsed.syncs);
    const fresh = replay.missingSyncs.filter((t) => !forced.has(t));
    if (fresh.length === 0 || attempt === MAX_REPARSES) {
      return {
        program: parsed.program, resolution: resolved.resolution, diagnostics: replay.diagnostics,
        disabledAnnotations: options.disabledAnnotations ?? NONE_DISABLED,
      };
    }
    forced.add(fresh[0] as number);
  }
}
