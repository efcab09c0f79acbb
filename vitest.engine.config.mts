import { defineConfig } from "vitest/config";

// Tier 4: the real Pulumi engine against the emulator. One file at a time (2 cores; every
// operation runs the CLI, the language host, the program and the provider processes).
export default defineConfig({
  test: {
    include: ["test/engine/**/*.test.ts"],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    fileParallelism: false,
    pool: "forks",
    // Every exchange with the Latitude emulator is judged by the official OpenAPI document.
    setupFiles: ["test/latitudeSpec/setup.ts"],
  },
});
