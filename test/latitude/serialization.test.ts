// The providers must survive Pulumi's closure serialization: the engine stores the serialized
// text in state and rebuilds the provider from it in another process. Under vitest the text
// carries vitest's import rewriting, so the round trip runs in a plain Node process.
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { serverProvider } from "../../providers/latitude/serverProvider";

describe("closure serialization", () => {
  it("serializes the server provider without capturing a credential", async () => {
    process.env["LATITUDESH_AUTH_TOKEN"] = "sentinel-token-not-to-capture";
    try {
      const serialized = await pulumi.runtime.serializeFunction(() => serverProvider);
      expect(serialized.text).toContain("exports.handler");
      expect(serialized.text).not.toContain("sentinel-token-not-to-capture");
    } finally {
      delete process.env["LATITUDESH_AUTH_TOKEN"];
    }
  });

  it("rebuilt from its text in plain Node, creates, reads and deletes a Talos server", () => {
    const root = path.resolve(__dirname, "../..");
    const tsx = path.join(root, "node_modules", ".bin", "tsx");
    const stdout = execFileSync(tsx, [path.join(__dirname, "serializedProvider.script.ts")], { cwd: root, encoding: "utf8", timeout: 60_000 });
    const result = JSON.parse(stdout.trim().split("\n").pop() ?? "{}") as { id: string; status: string; ip: string; left: number };
    expect(result.id).toMatch(/^sv_/);
    expect(result.status).toMatch(/^(deploying|on)$/);
    expect(result.ip).toMatch(/^127\./);
    expect(result.left).toBe(0);
  });
});
