// Run by serialization.test.ts in a plain Node process (tsx: CommonJS, no vitest rewriting), the
// way the engine runs a dynamic provider: serialize it, rebuild it from the text, and drive a
// server through create → read → delete against the emulator.
import * as pulumi from "@pulumi/pulumi";
import { serverProvider } from "../../providers/latitude/serverProvider";
import type { ServerInputs, ServerOutputs } from "../../providers/latitude/serverTypes";
import { startEmulator } from "../../emulator";

async function main(): Promise<void> {
  const serialized = await pulumi.runtime.serializeFunction(() => serverProvider);
  const requireFromString = require("require-from-string") as (code: string) => { handler: () => typeof serverProvider };
  const provider = requireFromString(serialized.text).handler();
  const emulator = await startEmulator({ deployMs: 100 });
  try {
    const key = "serialized-provider-key";
    process.env["LATITUDESH_POLL_INTERVAL_MS"] = "20";
    await provider.configure?.({ config: { get: (k: string) => ({ "latitudesh:authToken": key, "latitudesh:apiUrl": emulator.url })[k], require: () => "" } });
    const response = await fetch(`${emulator.url}/projects`, {
      method: "POST",
      headers: { Authorization: key, "Content-Type": "application/json" },
      body: JSON.stringify({ data: { type: "projects", attributes: { name: "serialized", provisioning_type: "on_demand" } } }),
    });
    const projectId = ((await response.json()) as { data: { id: string } }).data.id;
    const inputs: ServerInputs = {
      providerVersion: "test",
      projectId,
      nodeName: "cp1",
      hostname: "cto-serialized-cp1",
      role: "controlplane",
      plan: "c2-small-x86",
      site: "MIA2",
      billing: "hourly",
      operatingSystem: "ipxe",
      ipxeUrl: "https://pxe.factory.talos.dev/pxe/376567988ad370138ad8b2698212367b8edcb69b5fd68c80be1f2ec7d603b4ba/v1.11.5/metal-amd64",
      sshKeyIds: [],
      tagIds: [],
      stackTag: "cto-metal-serialized",
      stackIdentity: "0123456789abcdef",
      hourlyPrice: 0.5,
      allowReinstall: false,
      allowReplace: false,
      talosPort: emulator.talosPort,
      deployTimeoutSeconds: 10,
    };
    const created = await provider.create(inputs);
    const read = await provider.read!(created.id, created.outs);
    await provider.delete!(created.id, created.outs as ServerOutputs);
    const result = { bytes: serialized.text.length, id: created.id, status: read.props?.status, ip: created.outs?.primaryIpv4, left: emulator.servers().length };
    console.log(JSON.stringify(result));
  } finally {
    await emulator.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
