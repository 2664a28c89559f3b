/**
 * Test configuration: every suite under test/, with the CLI bundle built
 * once beforehand (suites that spawn bin/sa use it).
 */
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "forks",
  },
});
