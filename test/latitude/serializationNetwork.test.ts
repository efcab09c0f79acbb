// The VLAN providers must survive Pulumi's closure serialization like the server provider does:
// the engine stores the serialized text in state and rebuilds each provider from it in another
// process. Under vitest the text carries vitest's import rewriting, so the round trip runs in a
// plain Node process.
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { projectProvider } from "../../providers/latitude/projectProvider";
import { sshKeyProvider } from "../../providers/latitude/sshKeyProvider";
import { tagProvider } from "../../providers/latitude/tagProvider";
import { virtualNetworkProvider } from "../../providers/latitude/virtualNetworkProvider";
import { vlanAssignmentProvider } from "../../providers/latitude/vlanAssignmentProvider";

describe("closure serialization of the VLAN providers", () => {
  it("serializes these and the other new providers without capturing a credential", async () => {
    process.env["LATITUDESH_AUTH_TOKEN"] = "sentinel-token-not-to-capture";
    try {
      for (const provider of [virtualNetworkProvider, vlanAssignmentProvider, tagProvider, sshKeyProvider, projectProvider] as object[]) {
        const serialized = await pulumi.runtime.serializeFunction(() => provider);
        expect(serialized.text).toContain("exports.handler");
        expect(serialized.text).not.toContain("sentinel-token-not-to-capture");
      }
    } finally {
      delete process.env["LATITUDESH_AUTH_TOKEN"];
    }
  });

  it("rebuilt from their texts in plain Node, connect a server to a VLAN and tear both down", () => {
    const root = path.resolve(__dirname, "../..");
    const tsx = path.join(root, "node_modules", ".bin", "tsx");
    const stdout = execFileSync(tsx, [path.join(__dirname, "serializedNetwork.script.ts")], { cwd: root, encoding: "utf8", timeout: 60_000 });
    const result = JSON.parse(stdout.trim().split("\n").pop() ?? "{}") as {
      vlanId: string;
      name: string;
      assignmentId: string;
      status: string;
      vid: number;
      vlanDeletes: number[];
      assignmentsLeft: number;
    };
    expect(result.vlanId).toMatch(/^vlan_/);
    expect(result.name).toBe(`MIA2-${result.vid}`);
    expect(result.assignmentId).toMatch(/^vnasg_/);
    expect(result.status).toBe("connected");
    // The VLAN delete met the draining assignment (406) and waited it out.
    expect(result.vlanDeletes[0]).toBe(406);
    expect(result.vlanDeletes.at(-1)).toBe(204);
    expect(result.assignmentsLeft).toBe(0);
  });
});
