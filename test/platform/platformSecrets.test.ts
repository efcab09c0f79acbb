// PlatformSecrets under Pulumi mocks: one RandomSecret, AdminPassword and SshKeyPair (dynamic
// resources, serialized as the engine would), each deleted with the cluster and listing its
// secret outputs, and every output secret except the public key and the mtime.
import * as pulumi from "@pulumi/pulumi";
import { GENERATORS_PROVIDER_VERSION } from "../../providers/generators";
import { beforeAll, describe, expect, it, vi } from "vitest";

const registrations: Array<{ type: string; name: string; inputs: Record<string, unknown> }> = [];

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registrations.push({ type: args.type, name: args.name, inputs: args.inputs as Record<string, unknown> });
        const state: Record<string, unknown> = { ...(args.inputs as Record<string, unknown>) };
        if (args.type.endsWith(":RandomSecret")) state["value"] = "generated-webhook";
        if (args.type.endsWith(":AdminPassword")) Object.assign(state, { password: "generated-password", bcryptHash: "$2a$10$hash", passwordMtime: "2026-01-01T00:00:00Z" });
        if (args.type.endsWith(":SshKeyPair")) Object.assign(state, { publicKey: "ssh-ed25519 AAAA argocd@ps", privateKey: "-----BEGIN PRIVATE KEY-----", fingerprint: "SHA256:x" });
        return { id: `${args.name}-id`, state };
      },
      call: (args) => {
        throw new Error(`unexpected invoke ${args.token}`);
      },
    },
    "cto-metal",
    "cto-test",
  );
});

const value = <T>(output: pulumi.Output<T>): Promise<T> => new Promise((resolve) => output.apply(resolve));

class MockCluster extends pulumi.CustomResource {
  constructor(name: string) {
    super("test:Cluster", name, {});
  }
}

describe("PlatformSecrets", () => {
  it("generates the webhook secret, admin password and deploy key, secret except the public key", async () => {
    const { PlatformSecrets } = await import("../../components/platform/platformSecrets");
    const seen: Array<{ type: string; name: string; opts: pulumi.CustomResourceOptions }> = [];
    const root = new pulumi.ComponentResource("test:Root", "testroot", {}, {
      transformations: [(a) => { seen.push({ type: a.type, name: a.name, opts: a.opts }); return undefined; }],
    });
    const cluster = new MockCluster("cluster");
    const secrets = new PlatformSecrets("ps", { deletedWith: cluster }, { parent: root });
    const webhook = await value(secrets.webhookSecret);
    await vi.waitFor(() => expect(registrations.filter((r) => r.type.startsWith("pulumi-nodejs:") || r.type.startsWith("cto:"))).toHaveLength(4));

    expect(registrations.filter((r) => r.type !== "test:Root" && r.type !== "test:Cluster").map((r) => `${r.type} ${r.name}`).sort()).toEqual([
      "cto:platform:PlatformSecrets ps",
      "pulumi-nodejs:dynamic/generators:AdminPassword ps-admin",
      "pulumi-nodejs:dynamic/generators:RandomSecret ps-webhook",
      "pulumi-nodejs:dynamic/generators:SshKeyPair ps-deploy-key",
    ]);
    const inputs = (name: string) => registrations.find((r) => r.name === name)!.inputs;
    expect(inputs("ps-webhook")).toMatchObject({ length: 40, encoding: "hex", providerVersion: GENERATORS_PROVIDER_VERSION });
    expect(inputs("ps-admin")).toMatchObject({ length: 32, providerVersion: GENERATORS_PROVIDER_VERSION });
    expect(inputs("ps-deploy-key")).toMatchObject({ keyType: "ed25519", comment: "argocd@ps", providerVersion: GENERATORS_PROVIDER_VERSION });
    for (const name of ["ps-webhook", "ps-admin", "ps-deploy-key"]) expect(typeof inputs(name)["__provider"]).toBe("string");

    const children = seen.filter((s) => s.type.startsWith("pulumi-nodejs:"));
    expect(children).toHaveLength(3);
    for (const child of children) expect(child.opts.deletedWith, child.name).toBe(cluster);
    const secretOutputs = Object.fromEntries(children.map((c) => [c.name, c.opts.additionalSecretOutputs]));
    expect(secretOutputs).toEqual({ "ps-webhook": ["value"], "ps-admin": ["password", "bcryptHash"], "ps-deploy-key": ["privateKey"] });

    expect(webhook).toBe("generated-webhook");
    expect(await value(secrets.adminPasswordHash)).toBe("$2a$10$hash");
    expect(await value(secrets.adminPasswordMtime)).toBe("2026-01-01T00:00:00Z");
    expect(await value(secrets.deployPublicKey)).toBe("ssh-ed25519 AAAA argocd@ps");
    for (const output of [secrets.webhookSecret, secrets.adminPassword, secrets.adminPasswordHash, secrets.deployPrivateKey]) expect(await pulumi.isSecret(output)).toBe(true);
    expect(await pulumi.isSecret(secrets.deployPublicKey)).toBe(false);
  });
});
