/**
 * Guest languages: interpreters written in Lox (interpreters/<lang>/), each
 * described by a manifest.json (language name, file extension, interpreter
 * file, front-end module, entry function). `findLanguage` picks one by a
 * program's file extension.
 *
 * Front ends are TypeScript and bundled with the CLI, so they are listed
 * here by language name; manifests and interpreter sources are read at run
 * time from the package root (found by walking up from this module, which
 * works both from src/ and from the dist/ bundle).
 */
import { readFileSync } from "node:fs";
import { extname, join } from "node:path";
import { type GuestManifest, guestManifests } from "./guest-manifests.ts";
import { compileBagelToLox, type GuestCompileResult } from "../interpreters/bagel/language.ts";

export type { GuestCompileResult } from "../interpreters/bagel/language.ts";
export { type GuestManifest, guestManifests } from "./guest-manifests.ts";

export interface GuestLanguage {
  readonly manifest: GuestManifest;
  /** The Lox source of the interpreter. */
  readonly interpreterSource: string;
  /** Source to the Lox text appended to the interpreter. */
  compile(source: string): GuestCompileResult;
}

const FRONT_ENDS: ReadonlyMap<string, (source: string, entry: string) => GuestCompileResult> = new Map([
  ["Bagel", compileBagelToLox],
]);

/** The guest language whose extension `path` has, or null (a Lox program). */
export function findLanguage(path: string): GuestLanguage | null {
  const extension = extname(path);
  if (extension === "" || extension === ".lox") return null;
  for (const { manifest, folder } of guestManifests()) {
    if (manifest.extension !== extension) continue;
    const frontEnd = FRONT_ENDS.get(manifest.language);
    if (frontEnd === undefined) return null;
    return {
      manifest,
      interpreterSource: readFileSync(join(folder, manifest.interpreter), "latin1"),
      compile: (source) => frontEnd(source, manifest.entry),
    };
  }
  return null;
}
