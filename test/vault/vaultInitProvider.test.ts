// The VaultInit provider called directly against the fake Vault behind a fake API server's
// per-pod proxy, over TLS with a required client certificate.
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import * as pulumi from "@pulumi/pulumi";
import { vaultInitProvider, type VaultInitInputs, type VaultInitOutputs } from "../../providers/vault/vaultInitProvider";
import type { FakeVault } from "./fakeVault";
import { useFakeVaults } from "./vaultInitFixture";

const { pki, fake, inputsFor, create } = useFakeVaults();
const failureOf = async (promise: Promise<unknown>) => (await promise.then(() => undefined, (e: unknown) => e)) as (Error & { id?: string; properties?: VaultInitOutputs }) | undefined;

function expectNoSecret(f: FakeVault, error: unknown): void {
  const text = error instanceof Error ? `${error.message}\n${error.stack ?? ""}` : String(error);
  for (const secret of [...f.keys, ...f.keys.map((k) => Buffer.from(k, "base64").toString("hex")), f.rootToken].filter(Boolean)) expect(text).not.toContain(secret);
  expect(text).not.toContain("PRIVATE KEY");
}

describe("create", () => {
  it("initialises pod 0 and unseals a single-pod Vault; keys and token come back as outputs", async () => {
    const f = await fake(["vault-0"]);
    const { id, outs } = await create(await inputsFor(f));
    expect(id).toBe("vault/vault");
    expect(outs).toMatchObject({ initialized: true, sealedPods: [], keyShares: 5, keyThreshold: 3, port: 8200, leaderAddress: "http://vault-0.vault-internal:8200" });
    expect(outs.unsealKeys).toEqual(f.keys);
    expect(outs.rootToken).toBe(f.rootToken);
    expect(f.pod("vault-0")).toMatchObject({ initialized: true, sealed: false });
    expect(f.requests.filter((r) => r.path === "/v1/sys/init")).toHaveLength(1);
    // exactly the threshold of keys
    expect(f.unsealCalls("vault-0")).toBe(3);
  });

  it("HA: joins each follower to pod 0 before unsealing it, and waits for a follower that is not running yet", async () => {
    const f = await fake(["vault-0", "vault-1", "vault-2"]);
    f.pod("vault-2").running = false;
    setTimeout(() => (f.pod("vault-2").running = true), 300);
    const { outs } = await create(await inputsFor(f, { keyShares: 3, keyThreshold: 2 }));
    expect(outs.sealedPods).toEqual([]);
    for (const pod of ["vault-0", "vault-1", "vault-2"]) expect(f.pod(pod)).toMatchObject({ initialized: true, sealed: false });
    const writes = f.requests.filter((r) => r.method !== "GET").map((r) => `${r.pod} ${r.path}`);
    expect(writes).toEqual([
      "vault-0 /v1/sys/init",
      "vault-0 /v1/sys/unseal",
      "vault-0 /v1/sys/unseal",
      "vault-1 /v1/sys/storage/raft/join",
      "vault-1 /v1/sys/unseal",
      "vault-1 /v1/sys/unseal",
      "vault-2 /v1/sys/storage/raft/join",
      "vault-2 /v1/sys/unseal",
      "vault-2 /v1/sys/unseal",
    ]);
    expect(f.requests.some((r) => r.pod === "vault-2" && r.status === 503)).toBe(true);
  });

  it("initialised but no keys in state: fails with the recovery text, initialises nothing and leaks no key", async () => {
    const f = await fake(["vault-0", "vault-1"], "secrets");
    f.initializeOutOfBand();
    const error = await failureOf(create(await inputsFor(f)));
    expect(error).toBeInstanceOf(Error);
    expect(error!.message).toContain("already initialised");
    expect(error!.message).toContain("helm uninstall vault -n secrets");
    expect(error!.message).toContain("kubectl -n secrets delete pvc data-vault-0 data-vault-1");
    expect(error!.id).toBeUndefined();
    expect(f.requests.filter((r) => r.method !== "GET")).toHaveLength(0);
    expectNoSecret(f, error);
  });

  it("a follower that never starts: the keys are still saved (init failure with outputs), without a key in the message", async () => {
    const f = await fake(["vault-0", "vault-1"]);
    f.pod("vault-1").running = false;
    const error = await failureOf(create(await inputsFor(f, { waitTimeoutSeconds: 1 })));
    expect(error?.id).toBe("vault/vault");
    expect(error?.properties?.unsealKeys).toEqual(f.keys);
    expect(error?.properties?.rootToken).toBe(f.rootToken);
    expect(error?.message).toMatch(/keys are saved in state.*vault-1 did not answer within 1 s/s);
    expectNoSecret(f, error);
  });

  it("pod 0 never answers: fails after the deadline, naming the pod", async () => {
    const f = await fake(["vault-0"]);
    f.pod("vault-0").running = false;
    const started = Date.now();
    const error = await failureOf(create(await inputsFor(f, { waitTimeoutSeconds: 1 })));
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(error?.message).toMatch(/vault\/vault-0 did not answer within 1 s \(last: error trying to reach service/);
    expect(error?.id).toBeUndefined();
  });

  it("a credential the API server refuses fails at once, without echoing it", async () => {
    const f = await fake(["vault-0"]);
    const inputs = await inputsFor(f, { cluster: { server: f.url, caCertificate: pki().ca, clientCertificate: pki().strangerCert, clientKey: pki().strangerKey } });
    const error = await failureOf(create(inputs));
    expect(error?.message).toMatch(/API server https:\/\/127\.0\.0\.1:\d+/);
    expect(error?.message).not.toContain("PRIVATE KEY");
  });
});

describe("one pod sealed after a restart", () => {
  it("read shows it, diff says changes (no replace), update unseals only it and keeps the keys", async () => {
    const f = await fake(["vault-0", "vault-1", "vault-2"]);
    const inputs = await inputsFor(f);
    const { id, outs } = await create(inputs);
    expect(await vaultInitProvider.read!(id, outs)).toEqual({ id, props: outs });
    expect(await vaultInitProvider.diff!(id, outs, inputs)).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });

    f.restart("vault-1");
    const read = await vaultInitProvider.read!(id, outs);
    expect(read.props?.sealedPods).toEqual(["vault-1"]);
    expect(read.props?.unsealKeys).toEqual(outs.unsealKeys);
    expect(read.props?.rootToken).toBe(outs.rootToken);
    expect(await vaultInitProvider.diff!(id, read.props as VaultInitOutputs, inputs)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });

    f.clearLog();
    const updated = await vaultInitProvider.update!(id, read.props as VaultInitOutputs, inputs);
    expect(updated.outs).toEqual({ ...outs, sealedPods: [] });
    expect(f.requests.filter((r) => r.method !== "GET").map((r) => `${r.pod} ${r.path}`)).toEqual(["vault-1 /v1/sys/unseal", "vault-1 /v1/sys/unseal", "vault-1 /v1/sys/unseal"]);
    expect(f.pod("vault-1").sealed).toBe(false);
  });

  it("a half-finished unseal is reset before the keys are given again", async () => {
    const f = await fake(["vault-0"]);
    const inputs = await inputsFor(f);
    const { id, outs } = await create(inputs);
    f.restart("vault-0");
    f.pod("vault-0").provided.add(f.keys[4]!);
    f.clearLog();
    await vaultInitProvider.update!(id, { ...outs, sealedPods: ["vault-0"] }, inputs);
    expect(f.unsealCalls("vault-0")).toBe(4);
    expect(f.pod("vault-0").sealed).toBe(false);
  });

  it("read reports a pod that is not running as sealed; update waits for it", async () => {
    const f = await fake(["vault-0", "vault-1"]);
    const inputs = await inputsFor(f);
    const { id, outs } = await create(inputs);
    f.restart("vault-1");
    f.pod("vault-1").running = false;
    const read = await vaultInitProvider.read!(id, outs);
    expect(read.props?.sealedPods).toEqual(["vault-1"]);
    setTimeout(() => (f.pod("vault-1").running = true), 200);
    const updated = await vaultInitProvider.update!(id, read.props as VaultInitOutputs, inputs);
    expect(updated.outs?.sealedPods).toEqual([]);
  });

  it("scale-up: a new pod in the list is joined and unsealed by update", async () => {
    const f = await fake(["vault-0", "vault-1"]);
    const one = await inputsFor(f, { pods: ["vault-0"] });
    const { id, outs } = await create(one);
    const two = await inputsFor(f, { pods: ["vault-0", "vault-1"] });
    expect(await vaultInitProvider.diff!(id, outs, two)).toMatchObject({ changes: true, replaces: [] });
    f.clearLog();
    const updated = await vaultInitProvider.update!(id, outs, two);
    expect(updated.outs?.pods).toEqual(["vault-0", "vault-1"]);
    expect(f.requests.filter((r) => r.method !== "GET").map((r) => `${r.pod} ${r.path}`)).toEqual(["vault-1 /v1/sys/storage/raft/join", "vault-1 /v1/sys/unseal", "vault-1 /v1/sys/unseal", "vault-1 /v1/sys/unseal"]);
  });
});

describe("state and Vault disagree", () => {
  it("keys in state but Vault wiped: update refuses to re-initialise and says how to replace, leaking no key", async () => {
    const f = await fake(["vault-0"]);
    const inputs = await inputsFor(f);
    const { id, outs } = await create(inputs);
    const p0 = f.pod("vault-0");
    Object.assign(p0, { initialized: false, sealed: true });
    const error = await failureOf(vaultInitProvider.update!(id, { ...outs, sealedPods: ["vault-0"] }, inputs));
    expect(error?.message).toMatch(/not initialised, but this stack holds unseal keys/);
    expect(error?.message).toContain("pulumi up --replace");
    expect(f.requests.filter((r) => r.path === "/v1/sys/init")).toHaveLength(1);
    expectNoSecret(f, error);
  });

  it("wrong keys in state: the unseal error names the pod and carries no key", async () => {
    const f = await fake(["vault-0"]);
    const inputs = await inputsFor(f);
    const { id, outs } = await create(inputs);
    f.restart("vault-0");
    const wrong = ["d3JvbmctMQ==", "d3JvbmctMg==", "d3JvbmctMw=="];
    const error = await failureOf(vaultInitProvider.update!(id, { ...outs, unsealKeys: wrong, sealedPods: ["vault-0"] }, inputs));
    expect(error?.message).toMatch(/vault\/vault-0: PUT \/v1\/sys\/unseal answered 400: invalid key/);
    for (const key of wrong) expect(error?.message).not.toContain(key);
    expectNoSecret(f, error);
  });
});

describe("diff and check", () => {
  const base = { providerVersion: "1", cluster: { server: "https://a" }, namespace: "vault", pods: ["vault-0"], port: 8200, keyShares: 5, keyThreshold: 3, leaderAddress: "http://vault-0.vault-internal:8200", waitTimeoutSeconds: 600 } as VaultInitInputs;
  const olds = { ...base, unsealKeys: ["k"], rootToken: "t", sealedPods: [], initialized: true } as VaultInitOutputs;
  const cases: Array<[string, Partial<VaultInitInputs>, Partial<VaultInitOutputs>, boolean, string[]]> = [
    ["nothing", {}, {}, false, []],
    ["key shares (init only)", { keyShares: 7, keyThreshold: 4 }, {}, false, []],
    ["namespace", { namespace: "bao" }, {}, true, ["namespace"]],
    // preview of a Namespace update: the name is not known yet, which is no reason to replace the keys
    ["namespace unknown at preview", { namespace: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" }, {}, true, []],
    ["pods", { pods: ["vault-0", "vault-1"] }, {}, true, []],
    ["cluster credential", { cluster: { server: "https://b" } }, {}, true, []],
    ["provider version", { providerVersion: "2" }, {}, true, []],
    ["sealed pods in state", {}, { sealedPods: ["vault-0"] }, true, []],
    ["not initialised in state", {}, { initialized: false }, true, []],
  ];
  it.each(cases)("%s", async (_what, news, state, changes, replaces) => {
    expect(await vaultInitProvider.diff!("vault/vault", { ...olds, ...state }, { ...base, ...news })).toEqual({ changes, replaces, deleteBeforeReplace: false });
  });

  it("check fills defaults and refuses bad shares, thresholds and pod names; unknowns pass", async () => {
    const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
    const filled = await vaultInitProvider.check!({} as VaultInitInputs, { providerVersion: "1", cluster: base.cluster, namespace: "vault", pods: ["openbao-0"] } as VaultInitInputs);
    expect(filled.inputs).toMatchObject({ port: 8200, keyShares: 5, keyThreshold: 3, waitTimeoutSeconds: 600, leaderAddress: "http://openbao-0.openbao-internal:8200" });
    const bad = await vaultInitProvider.check!({} as VaultInitInputs, { ...base, pods: ["Vault_0"], keyShares: 3, keyThreshold: 4 });
    expect(bad.failures?.map((f) => f.property)).toEqual(["pods", "keyThreshold"]);
    const weak = await vaultInitProvider.check!({} as VaultInitInputs, { ...base, keyShares: 5, keyThreshold: 1 });
    expect(weak.failures?.map((f) => f.property)).toEqual(["keyThreshold"]);
    const unknowns = await vaultInitProvider.check!({} as VaultInitInputs, { ...base, pods: unknown as unknown as string[], namespace: unknown, keyShares: unknown as unknown as number });
    expect(unknowns.failures).toEqual([]);
  });

  it("delete does nothing and refuses nothing; import is refused", async () => {
    await expect(vaultInitProvider.delete!("vault/vault", olds)).resolves.toBeUndefined();
    await expect(vaultInitProvider.read!("vault/vault")).rejects.toThrow(/cannot be imported/);
  });
});

describe("closure serialization", () => {
  it("serializes without capturing a credential", async () => {
    const serialized = await pulumi.runtime.serializeFunction(() => vaultInitProvider);
    expect(serialized.text).toContain("exports.handler");
    expect(serialized.text).not.toContain("PRIVATE KEY");
  });

  it("rebuilt from its text in plain Node, initialises, reads a resealed pod and unseals it", () => {
    const root = path.resolve(__dirname, "../..");
    const tsx = path.join(root, "node_modules", ".bin", "tsx");
    const stdout = execFileSync(tsx, [path.join(__dirname, "serializedVaultInit.script.ts")], { cwd: root, encoding: "utf8", timeout: 60_000 });
    const result = JSON.parse(stdout.trim().split("\n").pop() ?? "{}") as Record<string, unknown>;
    expect(result).toEqual({ id: "vault/vault", keys: 5, sealedAfterRestart: ["vault-2"], sealedAfterUpdate: [], unsealed: 3, capturedKey: false });
  });
});
