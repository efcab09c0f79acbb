// VaultInit against the fake Vault where the review found it fragile: an init answer slower than
// what is left of the wait deadline, a refresh while the API server is gone, a shrink of the pod
// list (refused at check, i.e. at preview), and a namespace not known yet at preview.
import * as net from "node:net";
import { describe, expect, it, vi } from "vitest";
import { vaultInitProvider, type VaultInitInputs, type VaultInitOutputs } from "../../providers/vault/vaultInitProvider";
import { useFakeVaults } from "./vaultInitFixture";

const { pki, fake, inputsFor, create } = useFakeVaults();

/** A 127.0.0.1 port nothing listens on: connection refused, as from a cluster that is gone. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("init answer", () => {
  it("gets its own timeout: an answer slower than what is left of the wait deadline is not lost", async () => {
    const f = await fake(["vault-0"]);
    // 1 s of wait deadline left at most; Vault takes 1.5 s to answer /v1/sys/init.
    f.answerDelays.set("/v1/sys/init", 1_500);
    const { outs } = await create(await inputsFor(f, { waitTimeoutSeconds: 1 }));
    expect(outs.unsealKeys).toEqual(f.keys);
    expect(outs.rootToken).toBe(f.rootToken);
    expect(outs.sealedPods).toEqual([]);
    expect(f.requests.filter((r) => r.path === "/v1/sys/init")).toHaveLength(1);
  });
});

describe("refresh while the API server is unreachable", () => {
  it("keeps the keys and reports every pod sealed instead of failing the refresh", async () => {
    const f = await fake(["vault-0", "vault-1"]);
    const { id, outs } = await create(await inputsFor(f));
    const gone = { ...outs, cluster: { ...outs.cluster, server: `https://127.0.0.1:${await closedPort()}` } };
    const read = await vaultInitProvider.read!(id, gone);
    expect(read).toEqual({ id, props: { ...gone, sealedPods: ["vault-0", "vault-1"], initialized: true } });
    // and the next `up` looks again (an update, not a replace)
    expect(await vaultInitProvider.diff!(id, read.props as VaultInitOutputs, gone)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
  });

  it("a server the kubeconfig's CA did not sign still fails the refresh (another cluster?), without a secret", async () => {
    const f = await fake(["vault-0"]);
    const { id, outs } = await create(await inputsFor(f));
    const stranger = { ...outs, cluster: { ...outs.cluster, caCertificate: pki().strangerCert } };
    const error = (await vaultInitProvider.read!(id, stranger).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toContain(f.url);
    for (const secret of [...f.keys, f.rootToken]) expect(error.message).not.toContain(secret);
  });
});

describe("shrinking the pod list", () => {
  const three = ["vault-0", "vault-1", "vault-2"];
  const base = { providerVersion: "2", cluster: { server: "https://a" }, namespace: "vault", pods: three, port: 8200, keyShares: 5, keyThreshold: 3, leaderAddress: "http://vault-0.vault-internal:8200", waitTimeoutSeconds: 600 } as VaultInitInputs;

  it("is refused at check (preview), naming the resource and the remove-peer procedure", async () => {
    const checked = await vaultInitProvider.check!(base, { ...base, pods: ["vault-0"] });
    expect(checked.failures).toHaveLength(1);
    expect(checked.failures![0]!.property).toBe("pods");
    expect(checked.failures![0]!.reason).toMatch(/VaultInit vault\/vault would go from 3 to 1 pods/);
    expect(checked.failures![0]!.reason).toContain("vault operator raft remove-peer vault-1");
    expect(checked.failures![0]!.reason).toContain("vault operator raft remove-peer vault-2");
  });

  it("goes through once the operator names the removed peers; growing always does", async () => {
    expect((await vaultInitProvider.check!({ ...base, pods: ["vault-0"] }, base)).failures).toEqual([]);
    vi.stubEnv("CTO_VAULT_RAFT_PEERS_REMOVED", "vault-1,vault-2");
    expect((await vaultInitProvider.check!(base, { ...base, pods: ["vault-0"] })).failures).toEqual([]);
  });

  it("an unknown pod list at preview passes", async () => {
    const checked = await vaultInitProvider.check!(base, { ...base, pods: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" as unknown as string[] });
    expect(checked.failures).toEqual([]);
  });
});
