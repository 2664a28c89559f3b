/**
 * The V8 flag every run of code from the direct encoder needs, in a module
 * of its own: program workers set it before they load the compiler (see
 * src/cli/worker-start.ts), because V8 accepts the compiler's code cache
 * only under the flags it was made with.
 */
import { setFlagsFromString } from "node:v8";

/**
 * Lets V8 read the tiers that modules from the direct encoder ask for per
 * function (`compilationHints` in backend/encoder/module.ts): optimized
 * code at once for functions with loops and for specialized code, the
 * baseline compiler first for the rest. Without hints, V8 would run every
 * function in baseline code until it is hot, and a loop entered once never
 * gets optimized code (up to 3x slower, measured on the benchmark
 * programs); with only the optimizing compiler, code that runs once pays
 * for it too. The flag is process-wide and only adds the section's reader.
 */
export function enableCompilationHints(): void {
  setFlagsFromString("--experimental-wasm-compilation-hints");
}
