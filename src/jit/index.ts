/**
 * Public API of the Wasm engine: compiling programs, storing and loading
 * compiled modules, running them.
 */
export { compileProgram, type CompiledProgram, type CompileOptions, IR_SECTION, LINES_SECTION, lowerToMachine } from "./compile.ts";
export { BadModuleError, META_SECTION, type ProgramMeta, readMeta } from "./metadata.ts";
export { instantiateProgram, loadModule, type ProgramInstance, runModule, type WasmRunOptions } from "./wasm-engine.ts";
export { enableCompilationHints } from "./tier-flags.ts";
export { storedProgram, readStoredSourceMap } from "./stored.ts";
export { linkModule, liveAddresses, type LinkedModule } from "./link.ts";
