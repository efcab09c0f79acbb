// Run by serialization.test.ts in a plain Node process (tsx: CommonJS, no vitest rewriting), the way
// the engine runs a dynamic provider: serialize VaultInit's provider, rebuild it from the text, and
// initialise + unseal a 3-pod fake Vault over TLS through the fake API server's pod proxy.
import * as pulumi from "@pulumi/pulumi";
import { vaultInitProvider, type VaultInitInputs, type VaultInitOutputs } from "../../providers/vault/vaultInitProvider";
import { FakeVault } from "./fakeVault";
import { makePki, removePki } from "./tls";

async function main(): Promise<void> {
  const serialized = await pulumi.runtime.serializeFunction(() => vaultInitProvider);
  const requireFromString = require("require-from-string") as (code: string) => { handler: () => typeof vaultInitProvider };
  const provider = requireFromString(serialized.text).handler();
  const pki = makePki();
  const fake = await new FakeVault({ namespace: "vault", pods: ["vault-0", "vault-1", "vault-2"] }).start(pki);
  try {
    process.env["CTO_VAULT_POLL_INTERVAL_MS"] = "20";
    const news = { providerVersion: "test", cluster: { server: fake.url, caCertificate: pki.ca, clientCertificate: pki.clientCert, clientKey: pki.clientKey }, namespace: "vault", pods: fake.options.pods, waitTimeoutSeconds: 10 } as VaultInitInputs;
    const checked = (await provider.check!({} as VaultInitInputs, news)).inputs as VaultInitInputs;
    const created = await provider.create(checked);
    fake.restart("vault-2");
    const read = await provider.read!(created.id, created.outs);
    const updated = await provider.update!(created.id, read.props as VaultInitOutputs, checked);
    const unsealed = [...fake.pods.values()].filter((p) => !p.sealed).length;
    console.log(JSON.stringify({ id: created.id, keys: created.outs?.unsealKeys?.length, sealedAfterRestart: read.props?.sealedPods, sealedAfterUpdate: updated.outs?.sealedPods, unsealed, capturedKey: serialized.text.includes("PRIVATE KEY") }));
  } finally {
    await fake.close();
    removePki(pki);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
