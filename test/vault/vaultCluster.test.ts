// VaultCluster under Pulumi mocks: the namespace, the pinned Release (name, namespace, chart,
// version, repo, skipAwait, values) and a VaultInit that depends on it; options captured with a
// transformation on a root component; outputs secret.
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { VAULT_PROVIDER_VERSION } from "../../providers/vault/vaultInit";
import { CHARTS } from "../../versions";

interface Registration {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}
const registrations: Registration[] = [];
const seen: Array<{ type: string; name: string; opts: pulumi.ResourceOptions }> = [];

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registrations.push({ type: args.type, name: args.name, inputs: args.inputs as Record<string, unknown> });
        const state: Record<string, unknown> = { ...(args.inputs as Record<string, unknown>) };
        if (args.type === "pulumi-nodejs:dynamic/vault:VaultInit") Object.assign(state, { unsealKeys: ["k1", "k2", "k3"], rootToken: "hvs.root", sealedPods: [], initialized: true });
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

/** Stands for the cluster everything is deleted with. */
class MockCluster extends pulumi.CustomResource {
  constructor(name: string) {
    super("test:Cluster", name, {});
  }
}

const value = <T>(output: pulumi.Output<T>): Promise<T> => new Promise((resolve) => output.apply(resolve));
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const unwrap = (v: unknown): unknown => (v !== null && typeof v === "object" && SECRET_SIG in v ? (v as unknown as { value: unknown }).value : v);

async function build(prefix: string, flavor: "vault" | "openbao", ha: boolean, protect: boolean) {
  const { VaultCluster } = await import("../../components/platform/vaultCluster");
  registrations.length = 0;
  seen.length = 0;
  const root = new pulumi.ComponentResource("test:Root", `${prefix}-root`, {}, {
    transformations: [
      (a) => {
        seen.push({ type: a.type, name: a.name, opts: a.opts });
        return undefined;
      },
    ],
  });
  const cluster = new MockCluster(`${prefix}-cluster`);
  const vault = new VaultCluster(
    prefix,
    { flavor, ha, storageClass: pulumi.output("local-path"), cluster: pulumi.secret({ server: "https://10.0.0.1:6443", clientCertificate: "c", clientKey: "k" }), values: { server: { dataStorage: { size: "20Gi" } } }, deletedWith: cluster, ...(protect && { protect }) },
    { parent: root },
  );
  await value(vault.rootToken);
  await vi.waitFor(() => expect(registrations.filter((r) => r.type !== "test:Cluster")).toHaveLength(6));
  return { vault, cluster };
}

const ofType = (type: string) => registrations.filter((r) => r.type === type);

describe.each([
  ["vault", true, ["vault-0", "vault-1", "vault-2"], true],
  ["openbao", false, ["openbao-0"], false],
] as const)("VaultCluster %s (ha %s, protect %s)", (flavor, ha, pods, protect) => {
  it("registers the namespace, the pinned release and a VaultInit for its pods", async () => {
    const prefix = `${flavor}${ha ? "-ha" : ""}`;
    const { vault, cluster } = await build(prefix, flavor, ha, protect);
    expect(registrations.filter((r) => r.type !== "test:Cluster").map((r) => r.type).sort()).toEqual(["cto:platform:VaultCluster", "kubernetes:core/v1:Namespace", "kubernetes:helm.sh/v3:Release", "pulumi-nodejs:dynamic/vault:RaftMembersGuard", "pulumi-nodejs:dynamic/vault:VaultInit", "test:Root"].sort());
    expect(ofType("pulumi-nodejs:dynamic/vault:RaftMembersGuard")[0]).toMatchObject({ name: `${prefix}-raft-members`, inputs: { namespace: flavor, pods } });

    expect(ofType("kubernetes:core/v1:Namespace")[0]).toMatchObject({ name: `${prefix}-ns`, inputs: { metadata: { name: flavor } } });
    const release = ofType("kubernetes:helm.sh/v3:Release")[0]!;
    expect(release.name).toBe(prefix);
    const pin = CHARTS[flavor];
    expect(release.inputs).toMatchObject({ name: flavor, namespace: flavor, chart: pin.chart, version: pin.version, repositoryOpts: { repo: pin.repo }, skipAwait: true });
    const values = release.inputs["values"] as { server: { dataStorage: unknown; ha: { replicas: number } }; injector: unknown };
    expect(values.server.dataStorage).toEqual({ enabled: true, storageClass: "local-path", size: "20Gi" });
    expect(values.server.ha.replicas).toBe(pods.length);
    expect(values.injector).toEqual({ enabled: false });

    const init = ofType("pulumi-nodejs:dynamic/vault:VaultInit")[0]!;
    expect(init.name).toBe(`${prefix}-init`);
    expect(init.inputs).toMatchObject({ namespace: flavor, pods, port: 8200, leaderAddress: `http://${flavor}-0.${flavor}-internal:8200`, providerVersion: VAULT_PROVIDER_VERSION });
    expect(unwrap(init.inputs["cluster"])).toEqual({ server: "https://10.0.0.1:6443", clientCertificate: "c", clientKey: "k" });

    // options mocks cannot see
    const releaseOpts = seen.find((s) => s.type === "kubernetes:helm.sh/v3:Release")!.opts;
    const initOpts = seen.find((s) => s.type === "pulumi-nodejs:dynamic/vault:VaultInit")!.opts as pulumi.CustomResourceOptions;
    const nsOpts = seen.find((s) => s.type === "kubernetes:core/v1:Namespace")!.opts;
    expect(initOpts.dependsOn).toHaveLength(1);
    const dependency = (initOpts.dependsOn as pulumi.Resource[])[0]!;
    expect(await value(dependency.urn)).toContain(`kubernetes:helm.sh/v3:Release::${prefix}`);
    expect(initOpts.additionalSecretOutputs).toEqual(["unsealKeys", "rootToken", "cluster"]);
    // The chart waits for the Raft-members guard, whose check refuses an unconfirmed shrink first.
    const releaseDependsOn = releaseOpts.dependsOn as pulumi.Resource[];
    expect(releaseDependsOn).toHaveLength(1);
    expect(await value(releaseDependsOn[0]!.urn)).toContain(`pulumi-nodejs:dynamic/vault:RaftMembersGuard::${prefix}-raft-members`);
    for (const opts of [releaseOpts, initOpts, nsOpts]) {
      expect(opts.deletedWith).toBe(cluster);
      expect(opts.parent).toBe(vault);
    }
    // Protected: the keys' only copy and the namespace holding the Raft PVCs; the release stays free to change.
    expect(nsOpts.protect).toBe(protect ? true : undefined);
    expect(initOpts.protect).toBe(protect ? true : undefined);
    expect(releaseOpts.protect).toBeUndefined();

    expect(await value(vault.address)).toBe(`http://${flavor}.${flavor}.svc:8200`);
    expect(await value(vault.unsealKeys)).toEqual(["k1", "k2", "k3"]);
    expect(await pulumi.isSecret(vault.unsealKeys)).toBe(true);
    expect(await pulumi.isSecret(vault.rootToken)).toBe(true);
    expect(await value(vault.sealedPods)).toEqual([]);
  });
});
