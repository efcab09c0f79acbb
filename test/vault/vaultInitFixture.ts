// What the VaultInit provider tests share: a test PKI, fake Vaults behind a TLS API server that are
// closed after each test, and the checked inputs and create call the provider gets from the engine.
import { afterAll, afterEach, beforeAll, expect, vi } from "vitest";
import type { KubeAccess } from "../../providers/kubernetes/kubeAccess";
import { PEERS_REMOVED_ENV } from "../../providers/vault/vaultDecisions";
import { vaultInitProvider, type VaultInitInputs, type VaultInitOutputs } from "../../providers/vault/vaultInitProvider";
import { FakeVault } from "./fakeVault";
import { makePki, removePki, type TestPki } from "./tls";

/** Registers the file's hooks; call once at the top of a test file. */
export function useFakeVaults() {
  let pki: TestPki | undefined;
  const fakes: FakeVault[] = [];
  beforeAll(() => {
    pki = makePki();
    vi.stubEnv("CTO_VAULT_POLL_INTERVAL_MS", "20");
  });
  afterAll(() => {
    vi.unstubAllEnvs();
    if (pki) removePki(pki);
  });
  afterEach(async () => {
    vi.stubEnv(PEERS_REMOVED_ENV, undefined);
    await Promise.all(fakes.splice(0).map((f) => f.close()));
  });

  const testPki = (): TestPki => {
    if (!pki) throw new Error("the test PKI exists only inside tests");
    return pki;
  };
  const access = (f: FakeVault): KubeAccess => ({ server: f.url, caCertificate: testPki().ca, clientCertificate: testPki().clientCert, clientKey: testPki().clientKey });
  return {
    pki: testPki,
    access,
    fake: async (pods: string[], namespace = "vault"): Promise<FakeVault> => {
      const f = await new FakeVault({ namespace, pods }).start(testPki());
      fakes.push(f);
      return f;
    },
    /** The inputs as the engine hands them over after `check`, which must pass. */
    inputsFor: async (f: FakeVault, overrides: Partial<VaultInitInputs> = {}): Promise<VaultInitInputs> => {
      const news = { providerVersion: "test", cluster: access(f), namespace: f.options.namespace, pods: f.options.pods, waitTimeoutSeconds: 5, ...overrides } as VaultInitInputs;
      const checked = await vaultInitProvider.check!({} as VaultInitInputs, news);
      expect(checked.failures).toEqual([]);
      return checked.inputs as VaultInitInputs;
    },
    create: (inputs: VaultInitInputs) => vaultInitProvider.create(inputs) as Promise<{ id: string; outs: VaultInitOutputs }>,
  };
}
