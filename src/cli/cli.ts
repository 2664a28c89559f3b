/**
 * The `sa` command line (yargs): commands, options, help, and exit codes.
 * Usage errors exit with 64; file errors with 66/74; compile errors 65;
 * runtime errors 70.
 */
import { readFileSync } from "node:fs";
import yargs, { type Argv } from "yargs";
import {
  BACKENDS, type BackendKind, DEFAULT_JIT_THRESHOLD, ENGINES, type Engine, ExitCode, JIT_MODES, type JitMode, type OptLevel,
} from "../config.ts";
import { ANNOTATION_NAMES, unknownAnnotationProblem } from "../../annotations/index.ts";
import { guestLanguageOf } from "../guest-manifests.ts";
import { readSourceFile } from "./source-file.ts";
import { writeStderr } from "./stderr.ts";
import { DEFAULT_STACK_MB, type ProgramWorker, runOnWorker } from "./worker.ts";

const EPILOGUE = `Exit codes: 0 success, 64 usage error, 65 compile error, 66 missing input,
70 runtime error, 74 I/O error.`;

function stackOption<T>(y: Argv<T>) {
  return y.option("stack-size", {
    type: "number",
    default: DEFAULT_STACK_MB,
    describe: "native stack for the program, in MiB (deep recursion needs more)",
  });
}

function optOption<T>(y: Argv<T>) {
  return y.option("O", {
    type: "number",
    choices: [0, 2],
    default: 2,
    describe: "optimization level of the compiling engines: -O0 compiles fastest, -O2 gives the best code",
  });
}

function optLevel(o: number): OptLevel {
  return o === 0 ? "O0" : "O2";
}

function backendOption<T>(y: Argv<T>) {
  return y.option("backend", {
    choices: BACKENDS,
    default: "direct" as BackendKind,
    describe: "wasm engine: how the module is built; direct = Sa's own encoder (fast to compile, default); binaryen = through binaryen, optimized by it at -O2 (slower to compile)",
  });
}

interface WasmFlags {
  readonly "gc-stress": boolean;
  readonly "verify-heap": boolean;
  readonly "max-memory": number;
}

function wasmOptions<T>(y: Argv<T>) {
  return y
    .option("gc-stress", {
      type: "boolean",
      default: false,
      describe: "wasm engine: collect garbage at every safepoint (slow; for testing the collector)",
    })
    .option("verify-heap", {
      type: "boolean",
      default: false,
      describe: "wasm engine: check the whole heap after every collection (slow; for testing the collector)",
    })
    .option("max-memory", {
      type: "number",
      default: 4096,
      describe: "wasm engine: memory limit in MiB (at most 4096); beyond it the program fails with 'Out of memory.'",
    });
}

/** `sa compile`, `sa ir` and `sa check` take Lox programs; a guest language's program only runs. */
function refuseGuest(command: string, file: string): number | null {
  const language = guestLanguageOf(file);
  if (language === null) return null;
  writeStderr(`sa: '${file}' is a ${language} program; \`sa ${command}\` takes Lox programs (\`sa run\` runs ${language} programs on their interpreter)\n`);
  return ExitCode.usage;
}

/** Runs `use` on the file's source, or reports why the file cannot be read (exit 66 or 74). */
async function withSource(file: string, use: (source: string) => Promise<number>): Promise<number> {
  const input = readSourceFile(file);
  if (!input.ok) {
    writeStderr(input.message + "\n");
    return input.exitCode;
  }
  return use(input.source);
}

interface JitFlags {
  /** Repeated options arrive as an array. */
  readonly "disable-annotation": string | readonly string[] | undefined;
  readonly jit: JitMode;
  readonly "jit-threshold": number;
  readonly "jit-log": boolean;
  readonly explain: boolean;
  readonly "jit-ir": boolean;
  readonly time: boolean;
}

function jitOptions<T>(y: Argv<T>) {
  return y
    .option("disable-annotation", {
      type: "string",
      describe: `run as if the program did not have this annotation (checked, then ignored): an ablation; repeatable. One of ${ANNOTATION_NAMES.join(", ")}`,
    })
    .option("jit", {
      choices: JIT_MODES,
      default: "auto" as JitMode,
      describe: "run-time specialization of @specialize functions (ir and wasm engines): auto = once a function has run a few times with the same constants; eager = at the first call; off = never",
    })
    .option("jit-threshold", {
      type: "number",
      default: DEFAULT_JIT_THRESHOLD,
      describe: "with --jit=auto: calls with the same constants that run the generic code before specializing",
    })
    .option("jit-log", {
      type: "boolean",
      default: false,
      describe: "report on stderr what was specialized (size, time) and what was not, and why, and the time of each step of each compiled batch",
    })
    .option("time", {
      type: "boolean",
      default: false,
      describe: "report on stderr the compile time (wasm engine: by step), the run time and, of that, the time the JIT took",
    })
    .option("explain", {
      type: "boolean",
      default: false,
      describe: "for each specialization, report on stderr per bytecode pc what stayed dynamic in the specialized code and why",
    })
    .option("jit-ir", {
      type: "boolean",
      default: false,
      describe: "print on stderr the optimized IR of each specialized function (as `sa ir` prints IR)",
    });
}

async function runCommand(
  spare: ProgramWorker | null, file: string, engine: Engine, opt: OptLevel, backend: BackendKind, flags: WasmFlags & JitFlags,
  stackMb: number,
): Promise<number> {
  if (!Number.isInteger(flags["jit-threshold"]) || flags["jit-threshold"] < 0) {
    writeStderr(`sa: --jit-threshold must be a whole number of calls, not ${flags["jit-threshold"]}\n`);
    return ExitCode.usage;
  }
  const disabled = [flags["disable-annotation"] ?? []].flat();
  const problem = unknownAnnotationProblem(disabled);
  if (problem !== null) {
    writeStderr(`sa: --disable-annotation: ${problem}\n`);
    return ExitCode.usage;
  }
  return withSource(file, (source) => runOnWorker({
    kind: "run", path: file, source, engine, opt, backend, gcStress: flags["gc-stress"], verifyHeap: flags["verify-heap"],
    maxMemoryMb: flags["max-memory"], jit: flags.jit, jitThreshold: flags["jit-threshold"], jitLog: flags["jit-log"],
    explain: flags.explain, jitIr: flags["jit-ir"], time: flags.time, disabledAnnotations: disabled,
  }, stackMb, spare));
}

async function compileCommand(
  spare: ProgramWorker | null, file: string, output: string, opt: OptLevel, backend: BackendKind, withIr: boolean, stackMb: number,
): Promise<number> {
  return refuseGuest("compile", file) ?? withSource(file, (source) => runOnWorker({ kind: "compile", source, output, opt, backend, withIr }, stackMb, spare));
}

async function execCommand(
  spare: ProgramWorker | null, file: string, flags: WasmFlags, stackMb: number,
): Promise<number> {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    writeStderr(`sa: cannot open '${file}': ${code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : String(code)}\n`);
    return code === "ENOENT" || code === "EISDIR" || code === "EACCES" ? ExitCode.noInput : ExitCode.ioError;
  }
  return runOnWorker({
    kind: "exec", path: file, bytes, gcStress: flags["gc-stress"], verifyHeap: flags["verify-heap"], maxMemoryMb: flags["max-memory"],
  }, stackMb, spare);
}

async function irCommand(
  spare: ProgramWorker | null, file: string, passes: string[] | null, opt: OptLevel, fn: string | null, timePasses: boolean, stackMb: number,
): Promise<number> {
  return refuseGuest("ir", file) ?? withSource(file, (source) => runOnWorker({ kind: "ir", source, passes, opt, fn, timePasses }, stackMb, spare));
}

async function checkCommand(
  spare: ProgramWorker | null, file: string, format: "text" | "json", stackMb: number,
): Promise<number> {
  return refuseGuest("check", file) ?? withSource(file, (source) => runOnWorker({ kind: "check", path: file, source, format }, stackMb, spare));
}

export async function cliMain(argv: string[], spare: ProgramWorker | null = null): Promise<void> {
  let exitCode: number = ExitCode.ok;
  const parser = yargs(argv)
    .scriptName("sa")
    .usage("$0 <command> [options]\n\nSa: a Lox toolchain and partial-evaluation framework.")
    .command(
      "run <file>",
      "Run a Lox program",
      (y) => jitOptions(backendOption(wasmOptions(optOption(stackOption(y)))))
        .positional("file", { type: "string", demandOption: true, describe: "the program (.lox, or a guest language's extension such as .bagel)" })
        .option("engine", {
          choices: ENGINES,
          default: "wasm" as Engine,
          describe: "execution engine: wasm = compile to WebAssembly (default); tree = reference tree-walking interpreter; ir = compile to SSA IR and run the IR interpreter",
        })
        .example("$0 run prog.lox", "run with the default engine")
        .example("$0 run prog.bagel", "run a Bagel program on the Bagel interpreter (interpreters/bagel)")
        .example("$0 run --engine=ir -O0 prog.lox", "run the unoptimized IR")
        .example("$0 run --jit=eager --jit-log prog.bagel", "specialize the interpreter at once and say what happened"),
      async (args) => {
        exitCode = await runCommand(spare, args.file, args.engine, optLevel(args.O), args.backend, args, args["stack-size"]);
      },
    )
    .command(
      "compile <file>",
      "Compile a program to a WebAssembly module that `sa exec` runs",
      (y) => backendOption(optOption(stackOption(y)))
        .positional("file", { type: "string", demandOption: true, describe: "the program (.lox)" })
        .option("output", { alias: "o", type: "string", demandOption: true, describe: "where to write the module (.wasm)" })
        .option("with-ir", { type: "boolean", default: false, describe: "also embed the program's IR (for run-time specialization)" }),
      async (args) => {
        exitCode = await compileCommand(spare, args.file, args.output, optLevel(args.O), args.backend, args["with-ir"], args["stack-size"]);
      },
    )
    .command(
      "exec <file>",
      "Run a module written by `sa compile`",
      (y) => wasmOptions(stackOption(y)).positional("file", { type: "string", demandOption: true, describe: "the compiled program (.wasm)" }),
      async (args) => {
        exitCode = await execCommand(spare, args.file, args, args["stack-size"]);
      },
    )
    .command(
      "ir <file>",
      "Print the SSA IR of a program",
      (y) => optOption(stackOption(y))
        .positional("file", { type: "string", demandOption: true, describe: "the program (.lox)" })
        .option("passes", {
          type: "string",
          describe: "comma-separated passes to run instead of the -O pipeline (see the pass list with --passes=help)",
        })
        .option("fn", { type: "string", describe: "print only functions with this name" })
        .option("time-passes", { type: "boolean", default: false, describe: "report the time spent in each pass on stderr" })
        .example("$0 ir -O0 prog.lox", "the IR straight out of lowering")
        .example("$0 ir --passes=fold,dce --fn=fib prog.lox", "chosen passes, one function"),
      async (args) => {
        const passes = args.passes === undefined ? null : args.passes.split(",").map((p) => p.trim()).filter((p) => p !== "");
        exitCode = await irCommand(spare, args.file, passes, optLevel(args.O), args.fn ?? null, args["time-passes"], args["stack-size"]);
      },
    )
    .command(
      "check <file>",
      "Scan, parse, resolve and check annotations; run nothing",
      (y) => stackOption(y)
        .positional("file", { type: "string", demandOption: true, describe: "the program (.lox)" })
        .option("format", {
          choices: ["text", "json"] as const,
          default: "text" as const,
          describe: "text: the reference's error lines on stderr; json: diagnostics with codes and offsets on stdout",
        }),
      async (args) => {
        exitCode = await checkCommand(spare, args.file, args.format, args["stack-size"]);
      },
    )
    .demandCommand(1, "Name a command; see sa --help.")
    .strict()
    .recommendCommands()
    .epilogue(EPILOGUE)
    .help()
    .alias("h", "help")
    .version(false)
    .wrap(Math.min(100, process.stdout.columns || 100))
    .fail((message, error) => {
      throw new UsageError(message ?? (error instanceof Error ? error.message : String(error)));
    });
  try {
    await parser.parseAsync();
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    writeStderr(`sa: ${e.message}\nRun 'sa --help' for usage.\n`);
    exitCode = ExitCode.usage;
  }
  spare?.dispose();
  process.exitCode = exitCode;
}

/** A command-line mistake: reported in one line with exit code 64. */
class UsageError extends Error {}
