// Tier 1: the Talos keys of the stack configuration, valid values (the invalid ones and their exact
// messages are in test/fixtures/invalidTalosConfigs.ts, run by test/config.test.ts).
import { describe, expect, it } from "vitest";
import { parseConfig, type StackConfig } from "../../config/schema";
import { KUBERNETES_VERSION } from "../../versions";
import { VALID_RAW } from "../fixtures/invalidConfigs";

function latitudeOf(config: StackConfig) {
  if (config.clusterSource !== "latitude") throw new Error("expected the latitude source");
  return config.latitude;
}

describe("parseConfig: the Talos keys", () => {
  it("defaults the cluster name, the Kubernetes version and the extensions", () => {
    expect(parseConfig({ ...VALID_RAW }, { stack: "cto-test" }).talos).toStrictEqual({
      clusterName: "cto",
      kubernetesVersion: "v1.36.0",
      extensions: [],
      allowControlPlaneRemoval: [],
      allowEndpointChange: false,
    });
  });

  it("reads every Talos key and the per-node install disks", () => {
    const config = parseConfig(
      {
        ...VALID_RAW,
        nodes: JSON.stringify([
          { name: "cp1", role: "controlplane", installDisk: "/dev/disk/by-id/nvme-SAMSUNG_MZQL2960HCJR-00A07_S64FNE0R1" },
          { name: "worker1", role: "worker", installDisk: { size: ">= 900GB", type: "nvme" } },
          { name: "worker2" },
        ]),
        clusterName: "cto-prod",
        clusterEndpoint: "K8s.Example.COM",
        kubernetesVersion: "v1.31.2",
        installDisk: '{"model":"Micron*","size":"<= 2TB"}',
        talosExtensions: '["siderolabs/nvidia-open-gpu-kernel-modules-production","siderolabs/iscsi-tools"]',
        outputDir: "out/cto-test",
        allowControlPlaneRemoval: '["cp2","cp3"]',
      },
      { stack: "cto-test" },
    );
    if (config.clusterSource !== "latitude") throw new Error("expected the latitude source");
    expect(config.talos).toStrictEqual({
      clusterName: "cto-prod",
      clusterEndpoint: "k8s.example.com",
      kubernetesVersion: "v1.31.2",
      installDisk: { diskSelector: { model: "Micron*", size: "<= 2TB" } },
      extensions: ["siderolabs/nvidia-open-gpu-kernel-modules-production", "siderolabs/iscsi-tools"],
      outputDir: "out/cto-test",
      allowControlPlaneRemoval: ["cp2", "cp3"],
      allowEndpointChange: false,
    });
    expect(config.latitude.nodes.map((node) => node.installDisk)).toStrictEqual([
      { disk: "/dev/disk/by-id/nvme-SAMSUNG_MZQL2960HCJR-00A07_S64FNE0R1" },
      { diskSelector: { size: ">= 900GB", type: "nvme" } },
      undefined,
    ]);
    expect("installDisk" in (config.latitude.nodes[2] ?? {})).toBe(false);
  });

  it("takes a plain /dev path, an IPv4 endpoint and a pinned schematic id", () => {
    const id = "376567988ad370138ad8b2698212367b8edcb69b5fd68c80be1f2ec7d603b4ba";
    const config = parseConfig(
      { ...VALID_RAW, installDisk: "/dev/nvme1n1", clusterEndpoint: "203.0.113.10", schematicId: id, talosExtensions: "[]" },
      { stack: "cto-test" },
    );
    expect(config.talos).toStrictEqual({
      clusterName: "cto",
      clusterEndpoint: "203.0.113.10",
      kubernetesVersion: KUBERNETES_VERSION,
      installDisk: { disk: "/dev/nvme1n1" },
      extensions: [],
      schematicId: id,
      allowControlPlaneRemoval: [],
      allowEndpointChange: false,
    });
  });

  it("keeps the Talos VIP rule to Talos nodes with three control planes", () => {
    const three = [{ name: "cp1" }, { name: "cp2" }, { name: "cp3" }];
    // A /28 has 14 usable addresses: more than 9 reserved + 3 nodes.
    expect(latitudeOf(parseConfig({ ...VALID_RAW, nodes: three, vlan: { subnet: "10.8.0.0/28" } }, { stack: "cto-test" })).vlan)
      .toStrictEqual({ subnet: "10.8.0.0/28" });
    // Not Talos: no VIP, so a subnet with just enough addresses will do.
    const ubuntu = { ...VALID_RAW, nodes: three, vlan: { subnet: "10.8.0.0/29" }, operatingSystem: "ubuntu_24_04_x64_lts", stopAfter: "servers" };
    expect(latitudeOf(parseConfig(ubuntu, { stack: "cto-test" })).nodes).toHaveLength(3);
  });

  it("ignores the Talos keys on the kubeconfig source", () => {
    expect(parseConfig({ clusterSource: "kubeconfig", clusterName: "Bad Name", installDisk: "{" }, { stack: "dev" })).toStrictEqual({
      stack: "dev",
      profile: "standard",
      platform: { skip: false, ngrok: false, vault: { flavor: "vault", ha: false }, chartValues: {} },
      clusterSource: "kubeconfig",
      kubeconfig: {},
    });
  });
});
