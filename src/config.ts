/**
 * Names and codes shared by the command line and the embedding API, kept
 * apart so that loading them loads no compiler: the CLI's main thread only
 * parses arguments and starts a worker.
 */

/** Process exit codes (BSD sysexits), as the reference implementation uses them. */
export const ExitCode = {
  ok: 0,
  usage: 64,
  compileError: 65,
  noInput: 66,
  runtimeError: 70,
  ioError: 74,
} as const;

export const ENGINES = ["wasm", "tree", "ir"] as const;
export type Engine = (typeof ENGINES)[number];

export const OPT_LEVELS = ["O0", "O2"] as const;
export type OptLevel = (typeof OPT_LEVELS)[number];

/**
 * How the wasm engine builds a module: `direct` writes the binary format
 * itself (src/backend/encoder: milliseconds, and V8's optimizing tier does
 * the rest); `binaryen` builds it through binaryen, which also optimizes it
 * at -O2 (seconds, most of it loading binaryen).
 */
export const BACKENDS = ["direct", "binaryen"] as const;
export type BackendKind = (typeof BACKENDS)[number];

/**
 * Run-time specialization of `@specialize` functions: `auto` once a
 * function has run `DEFAULT_JIT_THRESHOLD` times with the same constants,
 * `eager` at the first call, `off` never.
 */
export const JIT_MODES = ["off", "auto", "eager"] as const;
export type JitMode = (typeof JIT_MODES)[number];

/** Calls on the generic code per combination of constants before `auto` specializes it. */
export const DEFAULT_JIT_THRESHOLD = 2;
