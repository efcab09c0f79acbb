// Tier 1: the machine config patches, exact objects as the Talos component stringifies them.
import { describe, expect, it } from "vitest";
import {
  allowSchedulingOnControlPlanes,
  clusterPatch,
  hostnamePatch,
  installPatch,
  nodePatches,
  type PatchCluster,
} from "../../components/talos/patches";
import type { NodeRole } from "../../config/types";

const IMAGE = "factory.talos.dev/metal-installer/376567988ad370138ad8b2698212367b8edcb69b5fd68c80be1f2ec7d603b4ba:v1.13.0";

describe("installPatch", () => {
  it("installs on a device path with the factory installer, without wiping", () => {
    expect(installPatch({ disk: "/dev/nvme0n1" }, IMAGE)).toStrictEqual({
      machine: { install: { disk: "/dev/nvme0n1", image: IMAGE, wipe: false } },
    });
  });

  it("installs on a selected disk", () => {
    expect(installPatch({ diskSelector: { size: ">= 900GB", type: "nvme" } }, IMAGE)).toStrictEqual({
      machine: { install: { diskSelector: { size: ">= 900GB", type: "nvme" }, image: IMAGE, wipe: false } },
    });
  });

  it("refuses an empty image (Talos would install the upstream installer and lose the extensions)", () => {
    expect(() => installPatch({ disk: "/dev/sda" }, " ")).toThrow("installPatch: the installer image must not be empty");
  });
});

describe("hostnamePatch", () => {
  it("sets a static hostname in the HostnameConfig document Talos 1.13 generates (machine.network.hostname beside it is refused)", () => {
    expect(hostnamePatch("cto-cto-test-cp1")).toStrictEqual({ apiVersion: "v1alpha1", kind: "HostnameConfig", auto: "off", hostname: "cto-cto-test-cp1" });
    expect(() => hostnamePatch("")).toThrow("hostnamePatch: the hostname must not be empty");
  });
});

describe("clusterPatch", () => {
  const args = { endpoint: "https://203.0.113.10:6443", certSANs: ["203.0.113.10", "10.8.0.1"], allowSchedulingOnControlPlanes: true };

  it("gives control planes the endpoint, both certificate SAN lists and the scheduling switch", () => {
    expect(clusterPatch(args)).toStrictEqual({
      machine: { certSANs: ["203.0.113.10", "10.8.0.1"] },
      cluster: {
        controlPlane: { endpoint: "https://203.0.113.10:6443" },
        apiServer: { certSANs: ["203.0.113.10", "10.8.0.1"] },
        allowSchedulingOnControlPlanes: true,
      },
    });
  });

  it("gives workers the endpoint only", () => {
    expect(clusterPatch({ ...args, allowSchedulingOnControlPlanes: false }, "worker")).toStrictEqual({
      cluster: { controlPlane: { endpoint: "https://203.0.113.10:6443" } },
    });
  });

  it("refuses an endpoint that is not https://host:port", () => {
    expect(() => clusterPatch({ ...args, endpoint: "203.0.113.10" })).toThrow(
      'clusterPatch: expected an endpoint such as "https://10.0.0.1:6443", got "203.0.113.10"',
    );
  });
});

describe("allowSchedulingOnControlPlanes", () => {
  const roles = (...list: NodeRole[]) => list.map((role) => ({ role }));

  it("is true for one or two nodes: the control plane runs workloads", () => {
    expect(allowSchedulingOnControlPlanes(roles("controlplane"))).toBe(true);
    expect(allowSchedulingOnControlPlanes(roles("controlplane", "worker"))).toBe(true);
    expect(allowSchedulingOnControlPlanes(roles("worker", "controlplane"))).toBe(true);
  });

  it("is true when no node is a worker", () => {
    expect(allowSchedulingOnControlPlanes(roles("controlplane", "controlplane", "controlplane"))).toBe(true);
    expect(allowSchedulingOnControlPlanes(roles("controlplane", "controlplane"))).toBe(true);
  });

  it("is false for three or more nodes with a worker", () => {
    expect(allowSchedulingOnControlPlanes(roles("controlplane", "worker", "worker"))).toBe(false);
    expect(allowSchedulingOnControlPlanes(roles("controlplane", "controlplane", "controlplane", "worker"))).toBe(false);
  });
});

describe("nodePatches", () => {
  const base: PatchCluster = {
    installerImage: IMAGE,
    endpoint: "https://203.0.113.10:6443",
    certSANs: ["203.0.113.10"],
    allowSchedulingOnControlPlanes: true,
  };

  it("composes install, hostname and cluster for the cto-test control plane (no VLAN)", () => {
    const patches = nodePatches({ name: "cp1", role: "controlplane", hostname: "cto-cto-test-cp1", installDisk: { disk: "/dev/sda" } }, base);
    expect(patches).toStrictEqual([
      { machine: { install: { disk: "/dev/sda", image: IMAGE, wipe: false } } },
      { apiVersion: "v1alpha1", kind: "HostnameConfig", auto: "off", hostname: "cto-cto-test-cp1" },
      {
        machine: { certSANs: ["203.0.113.10"] },
        cluster: {
          controlPlane: { endpoint: "https://203.0.113.10:6443" },
          apiServer: { certSANs: ["203.0.113.10"] },
          allowSchedulingOnControlPlanes: true,
        },
      },
    ]);
  });

  const ha: PatchCluster = {
    ...base,
    certSANs: ["203.0.113.10", "203.0.113.11", "203.0.113.12", "10.8.0.1"],
    allowSchedulingOnControlPlanes: false,
    vlan: { vid: 2012, subnet: "10.8.0.0/24", vip: "10.8.0.1" },
  };
  const eno2 = { interface: "eno2" };

  it("puts the VLAN address and the VIP on a control plane", () => {
    const patches = nodePatches(
      { name: "cp2", role: "controlplane", hostname: "cto-prod-cp2", installDisk: { disk: "/dev/nvme0n1" }, privateIp: "10.8.0.57", vlanParent: eno2 },
      ha,
    );
    expect(patches).toStrictEqual([
      { machine: { install: { disk: "/dev/nvme0n1", image: IMAGE, wipe: false } } },
      { apiVersion: "v1alpha1", kind: "HostnameConfig", auto: "off", hostname: "cto-prod-cp2" },
      {
        machine: {
          network: {
            interfaces: [{ interface: "eno2", dhcp: false, vlans: [{ vlanId: 2012, addresses: ["10.8.0.57/24"], vip: { ip: "10.8.0.1" } }] }],
          },
        },
      },
      {
        machine: { certSANs: ["203.0.113.10", "203.0.113.11", "203.0.113.12", "10.8.0.1"] },
        cluster: {
          controlPlane: { endpoint: "https://203.0.113.10:6443" },
          apiServer: { certSANs: ["203.0.113.10", "203.0.113.11", "203.0.113.12", "10.8.0.1"] },
          allowSchedulingOnControlPlanes: false,
        },
      },
    ]);
  });

  it("gives a worker its VLAN address but never the VIP (Talos refuses a VIP on a worker)", () => {
    const patches = nodePatches(
      { name: "w1", role: "worker", hostname: "cto-prod-w1", installDisk: { diskSelector: { type: "ssd" } }, privateIp: "10.8.0.200", vlanParent: eno2 },
      ha,
    );
    expect(patches).toStrictEqual([
      { machine: { install: { diskSelector: { type: "ssd" }, image: IMAGE, wipe: false } } },
      { apiVersion: "v1alpha1", kind: "HostnameConfig", auto: "off", hostname: "cto-prod-w1" },
      {
        machine: {
          network: {
            interfaces: [{ interface: "eno2", dhcp: false, vlans: [{ vlanId: 2012, addresses: ["10.8.0.200/24"] }] }],
          },
        },
      },
      { cluster: { controlPlane: { endpoint: "https://203.0.113.10:6443" } } },
    ]);
  });

  it("serializes to the same text whatever the key order the caller used", () => {
    const node = { name: "cp1", role: "controlplane" as const, hostname: "h", installDisk: { disk: "/dev/sda" }, privateIp: "10.8.0.20", vlanParent: { mac: "0c:c4:7a:00:00:75" } };
    const other: PatchCluster = { ...ha, vlan: { vip: "10.8.0.1", subnet: "10.8.0.0/24", vid: 2012 } };
    const text = (cluster: PatchCluster) => nodePatches(node, cluster).map((patch) => JSON.stringify(patch));
    expect(text(other)).toStrictEqual(text(ha));
    expect(text(ha)[2]).toBe(
      '{"machine":{"network":{"interfaces":[{"deviceSelector":{"hardwareAddr":"0c:c4:7a:00:00:75","physical":true},"dhcp":false,' +
        '"vlans":[{"vlanId":2012,"addresses":["10.8.0.20/24"],"vip":{"ip":"10.8.0.1"}}]}]}}}',
    );
  });

  it("refuses a VLAN node without a private address", () => {
    expect(() => nodePatches({ name: "w9", role: "worker", hostname: "h", installDisk: { disk: "/dev/sda" } }, ha)).toThrow(
      "nodePatches: node w9 has no VLAN address",
    );
    expect(() => nodePatches({ name: "w9", role: "worker", hostname: "h", installDisk: { disk: "/dev/sda" }, privateIp: "10.8.0.9" }, ha)).toThrow(
      "nodePatches: node w9 has no VLAN parent card",
    );
  });
});
