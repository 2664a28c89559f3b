/**
 * The `sa` command line (yargs): commands, options, help, and exit codes.
 * Usage errors exit with 64; file errors with 66/74; compile errors 65;
 * runtime errors 70.
 */
import yargs, { type Argv } from "yargs";
import { ENGINES, type Engine, ExitCode } from "../api.ts";
import { readSourceFile } from "./source-file.ts";
import { writeStderr } from "./task.ts";
import { DEFAULT_STACK_MB, runOnWorker } from "./worker.ts";

const EPILOGUE = `Exit codes: 0 success, 64 usage error, 65 compile error, 66 missing input,
70 runtime error, 74 I/O error.`;

function stackOption<T>(y: Argv<T>) {
  return y.option("stack-size", {
    type: "number",
    default: DEFAULT_STACK_MB,
    describe: "native stack for the program, in MiB (deep recursion needs more)",
  });
}

async function runCommand(file: string, engine: Engine, stackMb: number): Promise<number> {
  const input = readSourceFile(file);
  if (!input.ok) {
    writeStderr(input.message + "\n");
    return input.exitCode;
  }
  return runOnWorker({ kind: "run", source: input.source, engine }, stackMb);
}

async function checkCommand(file: string, format: "text" | "json", stackMb: number): Promise<number> {
  const input = readSourceFile(file);
  if (!input.ok) {
    writeStderr(input.message + "\n");
    return input.exitCode;
  }
  return runOnWorker({ kind: "check", path: file, source: input.source, format }, stackMb);
}

export async function cliMain(argv: string[]): Promise<void> {
  let exitCode: number = ExitCode.ok;
  const parser = yargs(argv)
    .scriptName("sa")
    .usage("$0 <command> [options]\n\nSa: a Lox toolchain and partial-evaluation framework.")
    .command(
      "run <file>",
      "Run a Lox program",
      (y) => stackOption(y)
        .positional("file", { type: "string", demandOption: true, describe: "the program (.lox)" })
        .option("engine", {
          choices: ENGINES,
          default: "tree" as Engine,
          describe: "execution engine: tree = reference tree-walking interpreter",
        })
        .example("$0 run prog.lox", "run with the default engine"),
      async (args) => {
        exitCode = await runCommand(args.file, args.engine, args["stack-size"]);
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
        exitCode = await checkCommand(args.file, args.format, args["stack-size"]);
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
  process.exitCode = exitCode;
}

/** A command-line mistake: reported in one line with exit code 64. */
class UsageError extends Error {}
