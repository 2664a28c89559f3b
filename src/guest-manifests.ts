/**
 * The manifests of the guest languages shipped with Sa
 * (interpreters/<lang>/manifest.json: language name, file extension,
 * interpreter file, front-end module, entry function), read from the
 * package root, which is found by walking up from this module (so it works
 * from src/ and from the dist/ bundle). Reading them loads no compiler, so
 * the CLI's main thread can tell a guest program by its extension.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, extname, join } from "node:path";
import { fileURLToPath } from "node:url";

export interface GuestManifest {
  readonly language: string;
  readonly extension: string;
  readonly interpreter: string;
  readonly frontEnd: string;
  readonly entry: string;
}

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

/** The name of the guest language a file belongs to by its extension, or null (Lox). */
export function guestLanguageOf(path: string): string | null {
  const extension = extname(path);
  if (extension === "" || extension === ".lox") return null;
  return guestManifests().find((g) => g.manifest.extension === extension)?.manifest.language ?? null;
}
