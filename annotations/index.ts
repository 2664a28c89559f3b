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
