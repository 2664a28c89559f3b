/**
 * The annotation registry: every annotation Sa knows, by name. The checker
 * (`src/sema/annotations.ts`) validates programs against it; an experiment
 * can build a registry without some entries to ablate them.
 */
import { context } from "./context.ts";
import { monomorphize } from "./monomorphize.ts";
import type { AnnotationPlugin } from "./plugin.ts";
import { pure } from "./pure.ts";
import { readonly } from "./readonly.ts";
import { specialize } from "./specialize.ts";

export type { AnnotationPlugin, AnnotationSite, AnnotationTarget, ProgramFacts } from "./plugin.ts";
export { describeTargets } from "./plugin.ts";

export type AnnotationRegistry = ReadonlyMap<string, AnnotationPlugin>;

export const ALL_ANNOTATIONS: readonly AnnotationPlugin[] = [specialize, context, readonly, monomorphize, pure];

export const DEFAULT_REGISTRY: AnnotationRegistry = new Map(ALL_ANNOTATIONS.map((p) => [p.name, p]));

export const ANNOTATION_NAMES: readonly string[] = ALL_ANNOTATIONS.map((p) => p.name);

/** Why `names` cannot be disabled (`--disable-annotation`), or null when each is an annotation. */
export function unknownAnnotationProblem(names: readonly string[]): string | null {
  const unknown = names.find((name) => !ANNOTATION_NAMES.includes(name));
  return unknown === undefined ? null : `there is no annotation '${unknown}' (the annotations are ${ANNOTATION_NAMES.join(", ")})`;
}
