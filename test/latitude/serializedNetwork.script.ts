// Run by serializationNetwork.test.ts in a plain Node process (tsx: CommonJS, no vitest
// rewriting), the way the engine runs dynamic providers: serialize the VirtualNetwork and
// VlanAssignment providers separately, rebuild each from its text, and drive a VLAN and an
// assignment through create → read → delete against the emulator. Both deletes run at once, so
// the VLAN's delete meets the 406 and waits for the assignment to drain.
import * as pulumi from "@pulumi/pulumi";
import type { VirtualNetworkOutputs } from "../../providers/latitude/virtualNetworkProvider";
import { virtualNetworkProvider } from "../../providers/latitude/virtualNetworkProvider";
import type { VlanAssignmentOutputs } from "../../providers/latitude/vlanAssignmentProvider";
import { vlanAssignmentProvider } from "../../providers/latitude/vlanAssignmentProvider";
import { startEmulator } from "../../emulator";

type Rebuilt<T> = { handler: () => T };

async function rebuild<T>(provider: T): Promise<{ provider: T; bytes: number }> {
  const serialized = await pulumi.runtime.serializeFunction(() => provider);
  const requireFromString = require("require-from-string") as (code: string) => Rebuilt<T>;
  return { provider: requireFromString(serialized.text).handler(), bytes: serialized.text.length };
}

async function main(): Promise<void> {
  const vlans = await rebuild(virtualNetworkProvider);
  const assignments = await rebuild(vlanAssignmentProvider);
  const emulator = await startEmulator({ deployMs: 50, knobs: { assignmentConnectMs: 100, assignmentRemovalMs: 200 } });
  try {
    const key = "serialized-network-key";
    process.env["LATITUDESH_POLL_INTERVAL_MS"] = "20";
    const config = { get: (k: string) => ({ "latitudesh:authToken": key, "latitudesh:apiUrl": emulator.url })[k], require: () => "" };
    await vlans.provider.configure?.({ config });
    await assignments.provider.configure?.({ config });
    const post = async (path: string, type: string, attributes: Record<string, string>): Promise<string> => {
      const response = await fetch(`${emulator.url}${path}`, {
        method: "POST",
        headers: { Authorization: key, "Content-Type": "application/json" },
        body: JSON.stringify({ data: { type, attributes } }),
      });
      return ((await response.json()) as { data: { id: string } }).data.id;
    };
    const projectId = await post("/projects", "projects", { name: "serialized-network", provisioning_type: "on_demand" });
    const serverId = await post("/servers", "servers", {
      project: projectId,
      plan: "c2-small-x86",
      site: "MIA2",
      operating_system: "ubuntu_24_04_x64_lts",
      hostname: "cto-serialized-net-1",
      billing: "hourly",
    });

    const vlan = await vlans.provider.create({ providerVersion: "test", projectId, site: "MIA2", description: "cto-metal serialized network", tagIds: [], stackIdentity: "0123456789abcdef" });
    const assignment = await assignments.provider.create({ providerVersion: "test", serverId, virtualNetworkId: vlan.id, timeoutSeconds: 10 });
    const readVlan = await vlans.provider.read!(vlan.id, vlan.outs);
    const readAssignment = await assignments.provider.read!(assignment.id, assignment.outs);
    await Promise.all([
      assignments.provider.delete!(assignment.id, assignment.outs as VlanAssignmentOutputs),
      vlans.provider.delete!(vlan.id, vlan.outs as VirtualNetworkOutputs),
    ]);
    const vlanDeletes = emulator.requests.filter((r) => r.method === "DELETE" && r.path === `/virtual_networks/${vlan.id}`).map((r) => r.status);
    const result = {
      vlanBytes: vlans.bytes,
      assignmentBytes: assignments.bytes,
      vlanId: vlan.id,
      name: readVlan.props?.name,
      assignmentId: assignment.id,
      status: readAssignment.props?.status,
      vid: readAssignment.props?.vid,
      vlanDeletes,
      assignmentsLeft: emulator.assignments().length,
    };
    console.log(JSON.stringify(result));
  } finally {
    await emulator.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
