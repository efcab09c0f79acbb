// The GitHub providers must survive Pulumi's closure serialization: the engine stores the text in
// state and rebuilds the provider from it in another process. Under vitest the text carries
// vitest's import rewriting, so the round trip runs in a plain Node process.
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { appWebhookUrlProvider } from "../../providers/github/appWebhookUrlProvider";
import { repositorySeedProvider } from "../../providers/github/repositorySeedProvider";
import { loadGitHubDescription } from "./githubDescription";

describe("closure serialization of the GitHub providers", () => {
  it("captures no token from the environment", async () => {
    process.env["GITHUB_TOKEN"] = "sentinel-github-token-not-to-capture";
    try {
      for (const provider of [repositorySeedProvider, appWebhookUrlProvider]) {
        const serialized = await pulumi.runtime.serializeFunction(() => provider);
        expect(serialized.text).toContain("exports.handler");
        expect(serialized.text).not.toContain("sentinel-github-token-not-to-capture");
      }
    } finally {
      delete process.env["GITHUB_TOKEN"];
    }
  });

  it("rebuilt from their text in plain Node, seed a repository and move and restore an App webhook", () => {
    const root = path.resolve(__dirname, "../..");
    const tsx = path.join(root, "node_modules", ".bin", "tsx");
    const stdout = execFileSync(tsx, [path.join(__dirname, "serializedProviders.script.ts")], { cwd: root, encoding: "utf8", timeout: 60_000 });
    const result = JSON.parse(stdout.trim().split("\n").pop() ?? "{}") as Record<string, unknown>;
    // Judged against GitHub's REST description when it is found (githubDescription.ts), with no refusal.
    expect(result).toMatchObject({ seedWritten: ["README.md"], hookDuring: "https://new.example.com/hook", hookAfter: "https://old.example.com/hook", textsHoldToken: false, mismatches: [] });
    expect(result["judged"]).toBe(loadGitHubDescription() !== undefined);
  });
});
