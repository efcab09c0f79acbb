// A stack's Talos inputs before any server exists: the program's own decisions (roles, hostnames,
// VLAN addresses, install disks, the patches of other layers) applied to server facts that are
// given instead of bought. `npm run talos:render` prints the result; index.ts makes the same
// decisions through talosExtraPatches and the helpers below, with the servers' real facts.
import type { StackConfig } from "../../config/types";
import { assignRoles } from "../../config/roles";
import { allocatePrivateIps } from "../../config/privateIps";
import { localPathKubeletPatch } from "../platform/localPathStorage";
import { installerImage } from "./imageFactory";
import { resolveInstallDisk } from "./installDisk";
import { renderTalos, vlanChoices, type TalosRender } from "./talosRender";

type LatitudeStack = Extract<StackConfig, { clusterSource: "latitude" }>;

/** Patches every node gets from other layers: the storage layer's kubelet mount, when the platform is installed. */
export function talosExtraPatches(config: LatitudeStack): object[] {
  const withPlatform = config.stopAfter !== "talos" && !config.platform.skip;
  return withPlatform ? [localPathKubeletPatch()] : [];
}

/** What only exists once servers are bought; every field has a documented stand-in (docs/talos.md). */
export interface ServerFacts {
  readonly publicIp: string;
  readonly serverId: string;
  /** Latitude's `internal` card MAC, or null when it lists none (the recorded real answers). */
  readonly internalMac: string | null;
  /** The plan's `specs.drives[].type` values, e.g. ["NVME", "NVME"]. */
  readonly driveTypes: readonly string[];
}

export interface StackRenderArgs {
  readonly talosVersion: string;
  readonly schematicId: string;
  /** The VLAN's 802.1Q id, which Latitude assigns when the VLAN is created. */
  readonly vid: number;
  readonly facts: (node: string, index: number) => ServerFacts;
}

export function renderStack(config: LatitudeStack, args: StackRenderArgs): TalosRender {
  const { latitude: lat, talos } = config;
  const roles = assignRoles(lat.nodes);
  const privateIps = lat.vlan ? allocatePrivateIps(lat.vlan.subnet, lat.nodes.map((node) => node.name)) : new Map<string, string>();
  return renderTalos(
    {
      clusterName: talos.clusterName,
      talosVersion: args.talosVersion,
      kubernetesVersion: talos.kubernetesVersion,
      ...(talos.clusterEndpoint !== undefined && { configuredEndpoint: talos.clusterEndpoint }),
      installerImage: installerImage(args.schematicId, args.talosVersion),
      ...(lat.vlan && { vlan: { vid: args.vid, subnet: lat.vlan.subnet, ...vlanChoices(lat.vlan) } }),
      extraPatches: talosExtraPatches(config),
    },
    lat.nodes.map((node, i) => {
      const facts = args.facts(node.name, i);
      const privateIp = privateIps.get(node.name);
      return {
        name: node.name,
        role: roles[i]!.role,
        hostname: node.hostname,
        installDisk: resolveInstallDisk({ node: node.installDisk, stack: talos.installDisk, driveTypes: facts.driveTypes }),
        publicIp: facts.publicIp,
        serverId: facts.serverId,
        ...(privateIp !== undefined && { privateIp }),
        ...(node.vlanParent && { vlanParent: node.vlanParent }),
        internalMac: facts.internalMac,
      };
    }),
  );
}
