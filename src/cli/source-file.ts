/**
 * Reading a program file for the CLI. Failures become one-line messages
 * with the sysexits code a user expects (66: no such input, 74: I/O error),
 * never a stack trace.
 */
import { readFileSync } from "node:fs";
import { ExitCode } from "../config.ts";
import { decodeSource } from "../source-text.ts";

export type SourceFile =
  | { readonly ok: true; readonly path: string; readonly source: string }
  | { readonly ok: false; readonly message: string; readonly exitCode: number };

export function readSourceFile(path: string): SourceFile {
  try {
    return { ok: true, path, source: decodeSource(readFileSync(path)) };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    switch (code) {
      case "ENOENT":
        return { ok: false, message: `sa: cannot open '${path}': no such file`, exitCode: ExitCode.noInput };
      case "EISDIR":
        return { ok: false, message: `sa: cannot read '${path}': it is a directory`, exitCode: ExitCode.noInput };
      case "EACCES":
      case "EPERM":
        return { ok: false, message: `sa: cannot open '${path}': permission denied`, exitCode: ExitCode.noInput };
      default: {
        const reason = e instanceof Error ? e.message : String(e);
        return { ok: false, message: `sa: cannot read '${path}': ${reason}`, exitCode: ExitCode.ioError };
      }
    }
  }
}
