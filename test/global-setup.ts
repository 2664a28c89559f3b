/** Builds the CLI bundle once before the suites run (they spawn bin/sa). */
// @ts-expect-error: the build script is plain JavaScript without type declarations.
import { build } from "../scripts/build.mjs";

export default async function setup(): Promise<void> {
  await (build as () => Promise<void>)();
}
