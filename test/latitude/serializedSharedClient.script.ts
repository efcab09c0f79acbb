// Run by serializationErrors.test.ts in a plain Node process, as the engine runs dynamic providers:
// two providers serialized separately (each with its own copy of the error classes) share one
// client per key. The Tag provider makes that client first; the Server provider must still
// recognise the client's errors (a lost POST is adopted) and every error must keep its message.
// The SSH key provider's copy computes fingerprints (require("crypto") inside), and what one copy
// deletes, still listed, is never adopted by the next create.
import * as pulumi from "@pulumi/pulumi";
import { serverProvider } from "../../providers/latitude/serverProvider";
import { sshKeyProvider, type SshKeyOutputs } from "../../providers/latitude/sshKeyProvider";
import { tagProvider } from "../../providers/latitude/tagProvider";
import type { ServerInputs } from "../../providers/latitude/serverTypes";
import { startEmulator } from "../../emulator";

async function rebuild<T>(provider: T): Promise<T> {
  const serialized = await pulumi.runtime.serializeFunction(() => provider);
  const requireFromString = require("require-from-string") as (code: string) => { handler: () => T };
  return requireFromString(serialized.text).handler();
}

async function main(): Promise<void> {
  const server = await rebuild(serverProvider);
  const tag = await rebuild(tagProvider);
  const sshKey = await rebuild(sshKeyProvider);
  const emulator = await startEmulator({ deployMs: 100, knobs: { deletedServerListedMs: 60_000 } });
  try {
    process.env["LATITUDESH_POLL_INTERVAL_MS"] = "20";
    const key = "serialized-shared-client-key";
    const settings: Record<string, string> = { "latitudesh:authToken": key, "latitudesh:apiUrl": emulator.url };
    const request = { config: { get: (k: string) => settings[k], require: (k: string) => settings[k] ?? "" } };
    await tag.configure?.(request);
    await server.configure?.(request);
    await sshKey.configure?.(request);
    await tag.create?.({ providerVersion: "test", name: "cto-metal-shared", description: "shared client" });
    const response = await fetch(`${emulator.url}/projects`, {
      method: "POST",
      headers: { Authorization: key, "Content-Type": "application/json" },
      body: JSON.stringify({ data: { type: "projects", attributes: { name: "shared", provisioning_type: "on_demand", description: "owned by Pulumi stack cto-metal-shared (stack identity 0123456789abcdef)" } } }),
    });
    const projectId = ((await response.json()) as { data: { id: string } }).data.id;
    const inputs = (hostname: string, project: string): ServerInputs => ({
      providerVersion: "test",
      projectId: project,
      nodeName: hostname,
      hostname,
      role: "controlplane",
      plan: "c2-small-x86",
      site: "MIA2",
      billing: "hourly",
      operatingSystem: "ipxe",
      ipxeUrl: "https://pxe.factory.talos.dev/pxe/x/v1.11.5/metal-amd64",
      sshKeyIds: [],
      tagIds: [],
      stackTag: "cto-metal-shared",
      stackIdentity: "0123456789abcdef",
      hourlyPrice: 0,
      allowReinstall: false,
      allowReplace: false,
      talosPort: emulator.talosPort,
      deployTimeoutSeconds: 30,
    });
    emulator.knobs.loseNextServerPosts = 1;
    const adopted = await server.create?.(inputs("cto-shared-lost", projectId)).then((r) => r.id, (e: unknown) => `failed: ${String((e as { message?: unknown }).message)}`);
    const refused = await server.create?.(inputs("cto-shared-refused", "proj_missing")).then(() => "created", (e: unknown) => String((e as { message?: unknown }).message));
    const servers = emulator.servers().filter((s) => s.hostname === "cto-shared-lost").length;
    // A replace: delete first, then the same server again; the deleted one is still listed.
    const replaced = await server.create(inputs("cto-shared-replaced", projectId));
    await server.delete!(replaced.id, replaced.outs!);
    const replacement = (await server.create(inputs("cto-shared-replaced", projectId))).id;
    const publicKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMjzxQF9/eg8xULmugd0ro+pShpmJoQNmiiEkBOOlC+Y ops@cto";
    const keyInputs = { providerVersion: "test", name: "ops", publicKey, projectId, tagIds: [], stackIdentity: "0123456789abcdef" };
    const sshKeyMade = await sshKey.create(keyInputs);
    await sshKey.delete!(sshKeyMade.id, sshKeyMade.outs as SshKeyOutputs);
    const keyAgain = (await sshKey.create(keyInputs)).id;
    const fingerprint = (sshKeyMade.outs as SshKeyOutputs).fingerprint;
    console.log(JSON.stringify({ adopted, servers, refused, replacedIds: [replaced.id, replacement], fingerprint, keyIds: [sshKeyMade.id, keyAgain] }));
  } finally {
    await emulator.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
