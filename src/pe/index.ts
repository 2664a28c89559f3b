/**
 * Public API of the partial evaluator (DESIGN.md §7): specialize a generic
 * Lox-level function on constant arguments, reading the live heap through
 * a `PeHeap`.
 */
export { GenericAnalyses } from "./analyses.ts";
export { ContextTable, type ContextId } from "./context.ts";
export { type ExplainEntry, ExplainLog, formatExplain } from "./explain.ts";
export type { HeapObjectView, PeHeap } from "./heap-view.ts";
export {
  type Budget, DEFAULT_BUDGET, NO_SPECIALIZATION_STATS, optimizeSpecialized, type SpecializationRequest, type SpecializationResult,
  type SpecializationStats, specializeFunction,
} from "./specializer.ts";
export { SPECIALIZATION_ATTRIBUTE, specializationAttribute, specializationLabel, specializedParams } from "./sites.ts";
export {
  genericArguments, MAX_FLATTENED_LENGTH, NOTHING_FLATTENED, type SpecializationSignature, signatureKey, signatureParams,
} from "./signature.ts";
export { stableGlobals } from "./stable-globals.ts";
export { knownKey, type KnownVal } from "./values.ts";
