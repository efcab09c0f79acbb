import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/engine/**", "node_modules/**"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Mock tests share Pulumi's global runtime store: isolate each file in its own worker.
    pool: "forks",
    // Every exchange with the Latitude emulator is judged by the official OpenAPI document.
    setupFiles: ["test/latitudeSpec/setup.ts"],
  },
});
