// The Vault calls against the fake Vault behind the fake API server: an unseal reset that finds the
// pod unsealed already, and a 403 from RBAC naming the verb the request's method needs.
import { describe, expect, it } from "vitest";
import { initialize, joinRaft, probePod, unsealPod, type VaultTarget } from "../../providers/vault/vaultApi";
import { vaultInitProvider } from "../../providers/vault/vaultInitProvider";
import type { FakeVault } from "./fakeVault";
import { useFakeVaults } from "./vaultInitFixture";

const { access, fake, inputsFor, create } = useFakeVaults();
const target = (f: FakeVault): VaultTarget => ({ access: access(f), namespace: "vault", port: 8200 });
const soon = () => Date.now() + 5_000;

describe("unseal reset", () => {
  it("a pod unsealed since the probe answers the reset 400 \"vault is unsealed\": done, no key sent", async () => {
    const f = await fake(["vault-0"]);
    await create(await inputsFor(f));
    expect(f.pod("vault-0").sealed).toBe(false);
    f.clearLog();
    // The plan said "reset" from a probe that saw progress; the pod was unsealed since.
    await unsealPod(target(f), "vault-0", f.keys, 3, true, soon(), 5);
    expect(f.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual(["PUT /v1/sys/unseal 400"]);
    expect(f.pod("vault-0").sealed).toBe(false);
  });

  it("through the provider: a restarted pod with progress, unsealed before the reset lands, is not reported sealed", async () => {
    const f = await fake(["vault-0"]);
    const inputs = await inputsFor(f);
    const { id, outs } = await create(inputs);
    f.restart("vault-0");
    f.pod("vault-0").provided.add(f.keys[4]!);
    f.clearLog();
    // Someone else finishes the unseal between our probe and our reset.
    f.beforeVault = (pod, method, path) => {
      if (method === "PUT" && path === "/v1/sys/unseal") {
        pod.sealed = false;
        pod.provided.clear();
      }
    };
    const updated = await vaultInitProvider.update!(id, { ...outs, sealedPods: ["vault-0"] }, inputs);
    expect(updated.outs?.sealedPods).toEqual([]);
    expect(f.requests.filter((r) => r.path === "/v1/sys/unseal").map((r) => r.status)).toEqual([400]);
  });

  it("any other refusal of the reset still fails, naming the pod", async () => {
    const f = await fake(["vault-0"]);
    f.forbiddenVerbs.add("update");
    await expect(unsealPod(target(f), "vault-0", [], 3, true, soon(), 5)).rejects.toThrow(/403/);
  });
});

describe("a 403 from the API server names the RBAC verb of the method used", () => {
  it('GET (seal-status) needs "get"', async () => {
    const f = await fake(["vault-0"]);
    f.forbiddenVerbs.add("get");
    await expect(probePod(target(f), "vault-0", soon())).rejects.toThrow(/needs "get" on pods\/proxy \(for GET \/v1\/sys\/seal-status\)/);
  });

  it('PUT (sys/init, sys/unseal) needs "update", with "get" granted', async () => {
    const f = await fake(["vault-0"]);
    f.forbiddenVerbs.add("update");
    expect((await probePod(target(f), "vault-0", soon())).reachable).toBe(true);
    await expect(initialize(target(f), "vault-0", 5, 3)).rejects.toThrow(/needs "update" on pods\/proxy \(for PUT \/v1\/sys\/init\)/);
  });

  it('POST (the Raft join) needs "create"', async () => {
    const f = await fake(["vault-0", "vault-1"]);
    f.forbiddenVerbs.add("create");
    await expect(joinRaft(target(f), "vault-1", f.leaderAddress, soon())).rejects.toThrow(/needs "create" on pods\/proxy \(for POST \/v1\/sys\/storage\/raft\/join\)/);
  });
});
