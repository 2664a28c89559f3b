/**
 * Runnable examples in Markdown: a ```LANG block is a program, the
 * ```output block right after it what it prints, and an optional ```stderr
 * block after that what it writes to stderr (null when there is none).
 * Shared by the tests of docs/ and of the guest languages' READMEs.
 */
import { readFileSync } from "node:fs";

export interface DocExample {
  /** Line of the program's fence in the file. */
  readonly line: number;
  readonly program: string;
  readonly stdout: string;
  readonly stderr: string | null;
}

export function docExamples(path: string, lang: string): DocExample[] {
  const text = readFileSync(path, "utf8");
  const blocks: { lang: string; body: string; line: number }[] = [];
  const fence = /^```(\w*)\n([\s\S]*?)^```$/gm;
  for (let m = fence.exec(text); m !== null; m = fence.exec(text)) {
    blocks.push({ lang: m[1] as string, body: m[2] as string, line: text.slice(0, m.index).split("\n").length });
  }
  const result: DocExample[] = [];
  blocks.forEach((block, i) => {
    if (block.lang !== lang) return;
    const output = blocks[i + 1];
    if (output?.lang !== "output") throw new Error(`${path}:${block.line}: a ${lang} example needs an output block after it`);
    const stderr = blocks[i + 2]?.lang === "stderr" ? (blocks[i + 2]?.body ?? null) : null;
    result.push({ line: block.line, program: block.body, stdout: output.body, stderr });
  });
  return result;
}
