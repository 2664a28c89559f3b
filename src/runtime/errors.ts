/**
 * Lox runtime errors as every engine reports them: the message, then one
 * `[line N] in name()` line per active call, innermost first, ending with
 * `[line N] in script` (the reference C implementation's trace format).
 */

export interface TraceFrame {
  /** Function name, or null for the top-level script. */
  readonly name: string | null;
  readonly line: number;
}

/**
 * Thrown through the engine while a runtime error unwinds. Deliberately not
 * an `Error` subclass: no JavaScript stack is captured, so raising it is
 * cheap and it can never leak a stack trace to the user.
 */
export class LoxRuntimeError {
  readonly frames: TraceFrame[] = [];
  /** The line in the frame currently being unwound. */
  line: number;
  constructor(readonly message: string, line: number) {
    this.line = line;
  }
  /** Records that the error leaves the frame of `name` (null: the script). */
  leaveFrame(name: string | null): void {
    this.frames.push({ name, line: this.line });
  }
}

/** Frames shown at each end of a long trace (deep recursion has millions). */
const TRACE_HEAD = 32;
const TRACE_TAIL = 8;

/** The message, then the frames (none: the message alone). */
export function renderTrace(message: string, frames: readonly TraceFrame[]): string {
  const line = (f: TraceFrame): string => (f.name === null ? `[line ${f.line}] in script\n` : `[line ${f.line}] in ${f.name}()\n`);
  let text = message + "\n";
  if (frames.length <= TRACE_HEAD + TRACE_TAIL + 1) {
    for (const f of frames) text += line(f);
    return text;
  }
  for (const f of frames.slice(0, TRACE_HEAD)) text += line(f);
  text += `... ${frames.length - TRACE_HEAD - TRACE_TAIL} more calls ...\n`;
  for (const f of frames.slice(frames.length - TRACE_TAIL)) text += line(f);
  return text;
}

const HOST_STACK_OVERFLOW = "Maximum call stack size exceeded";

/**
 * True for the JavaScript engine's own stack exhaustion. Called with almost
 * no stack left, so it must not call anything deep (no regular expressions).
 */
export function isHostStackOverflow(e: unknown): boolean {
  return e instanceof RangeError && e.message === HOST_STACK_OVERFLOW;
}
