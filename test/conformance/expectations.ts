/**
 * Reads the expectations embedded in a Lox test file, following
 * ../shared/lox/FORMAT.md §2: `// expect:` output lines, compile errors
 * (`// Error...` on the comment's line or `// [c line N] Error...`), one
 * runtime error (`// expect runtime error:`), and `// nontest`. The project
 * follows the C reference, so `[java line N]` expectations are ignored.
 */

export interface Expectations {
  readonly nontest: boolean;
  readonly stdout: readonly string[];
  readonly compileErrors: ReadonlySet<string>;
  readonly runtimeError: { readonly message: string; readonly line: number } | null;
  readonly exitCode: number;
  /** Set when the file expects both a compile and a runtime error. */
  readonly malformed: string | null;
}

const NONTEST = /\/\/ nontest/;
const EXPECT_OUTPUT = /\/\/ expect: ?(.*)/;
const EXPECT_ERROR = /\/\/ (Error.*)/;
const EXPECT_ERROR_LINE = /\/\/ \[((java|c) )?line (\d+)\] (Error.*)/;
const EXPECT_RUNTIME_ERROR = /\/\/ expect runtime error: (.+)/;

export function splitLines(text: string): string[] {
  return text.split(/\r\n|\n|\r/);
}

export function parseExpectations(source: string): Expectations {
  const stdout: string[] = [];
  const compileErrors = new Set<string>();
  let runtimeError: { message: string; line: number } | null = null;
  let nontest = false;
  const lines = splitLines(source);
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i] as string;
    const lineNumber = i + 1;
    if (NONTEST.test(text)) {
      nontest = true;
      continue;
    }
    let m = EXPECT_OUTPUT.exec(text);
    if (m !== null) {
      stdout.push(m[1] as string);
      continue;
    }
    m = EXPECT_ERROR.exec(text);
    if (m !== null) {
      compileErrors.add(`[${lineNumber}] ${m[1]}`);
      continue;
    }
    m = EXPECT_ERROR_LINE.exec(text);
    if (m !== null) {
      if (m[2] !== "java") compileErrors.add(`[${m[3]}] ${m[4]}`);
      continue;
    }
    m = EXPECT_RUNTIME_ERROR.exec(text);
    if (m !== null) runtimeError = { message: m[1] as string, line: lineNumber };
  }
  const malformed = compileErrors.size > 0 && runtimeError !== null
    ? "expects both a compile error and a runtime error" : null;
  const exitCode = compileErrors.size > 0 ? 65 : runtimeError !== null ? 70 : 0;
  return { nontest, stdout, compileErrors, runtimeError, exitCode, malformed };
}
