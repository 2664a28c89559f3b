/**
 * Public API of the optimizer: passes, registry, pipelines.
 */
export type { Pass } from "./pass.ts";
export { PASSES, PIPELINES, resolvePipeline, runPipeline, type PipelineOptions, UnknownPassError } from "./registry.ts";
export { countUses } from "./uses.ts";
export { constantOf, constKind, foldConstants, foldLox, foldMachine } from "./fold.ts";
export { eliminateDeadCode } from "./dce.ts";
export { simplifyCfg } from "./simplify-cfg.ts";
export { numberValues } from "./gvn.ts";
export { globalWrites, type GlobalWrites } from "./global-writes.ts";
