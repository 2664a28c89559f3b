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
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { compileBagelToLox, type GuestCompileResult } from "../interpreters/bagel/language.ts";

export type { GuestCompileResult } from "../interpreters/bagel/language.ts";

export interface GuestManifest {
  readonly language: string;
  readonly extension: string;
  readonly interpreter: string;
  readonly frontEnd: string;
  readonly entry: string;
}

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

function packageRoot(): string | null {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, "interpreters")) && existsSync(join(dir, "package.json"))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

function isManifest(value: unknown): value is GuestManifest {
  if (typeof value !== "object" || value === null) return false;
  const m = value as Record<string, unknown>;
  return ["language", "extension", "interpreter", "frontEnd", "entry"].every((k) => typeof m[k] === "string");
}

/** The manifests of all guest languages shipped with Sa, with their folders. */
export function guestManifests(): { readonly manifest: GuestManifest; readonly folder: string }[] {
  const root = packageRoot();
  if (root === null) return [];
  const found: { manifest: GuestManifest; folder: string }[] = [];
  for (const entry of readdirSync(join(root, "interpreters"), { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const folder = join(root, "interpreters", entry.name);
    const path = join(folder, "manifest.json");
    if (!existsSync(path)) continue;
    const manifest: unknown = JSON.parse(readFileSync(path, "utf8"));
    if (isManifest(manifest)) found.push({ manifest, folder });
  }
  return found;
}

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
