// The layers read one way: index.ts above components/, components/ above providers/ and config/,
// and the emulator (a product feature: the offline trial runs it) beside them, never using tests.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(__dirname, "..");

/** Top-level folders (or index.ts) each layer must never import from. */
const FORBIDDEN: Record<string, readonly string[]> = {
  config: ["components", "providers", "index.ts", "test", "emulator"],
  providers: ["components", "index.ts", "test", "emulator"],
  components: ["index.ts", "test", "emulator"],
  emulator: ["components", "providers", "config", "index.ts", "test"],
};

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith(".ts") ? [path] : [];
  });
}

/** Every relative import of a file, as the top-level folder (or root file) it lands in. */
function importedLayers(file: string): Array<{ specifier: string; layer: string }> {
  const text = readFileSync(file, "utf8");
  const specifiers = [...text.matchAll(/(?:from\s+|require\(|import\()\s*"(\.{1,2}\/[^"]*)"/g)].map((m) => m[1] ?? "");
  return specifiers.map((specifier) => {
    const target = relative(ROOT, resolve(dirname(file), specifier));
    const top = target.split(/[\\/]/)[0] ?? "";
    return { specifier, layer: top === "index" ? "index.ts" : top };
  });
}

describe("layering", () => {
  for (const [layer, forbidden] of Object.entries(FORBIDDEN)) {
    it(`${layer}/ imports nothing from ${forbidden.join(", ")}`, () => {
      const files = sources(join(ROOT, layer));
      expect(files.length).toBeGreaterThan(0);
      const violations = files.flatMap((file) =>
        importedLayers(file)
          .filter((i) => forbidden.includes(i.layer))
          .map((i) => `${relative(ROOT, file)} imports ${i.specifier}`),
      );
      expect(violations).toEqual([]);
    });
  }

  it("sees an upward import when there is one", () => {
    const probe = join(ROOT, "config", "roles.ts");
    expect(importedLayers(probe).map((i) => i.layer)).toContain("config");
  });
});
