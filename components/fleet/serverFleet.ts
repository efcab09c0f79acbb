// ServerFleet: the Latitude side of a cluster — the stack's identity, project (created or
// adopted), the stack's tag, SSH keys, an optional VLAN, and one Server per node, all registered
// at once so the engine creates them in parallel. Decisions live in pure helpers beside it (roles,
// private IPs, cost). Ownership: names (hostnames, key names) can be shared by two stacks; the
// identity cannot. It is written into the tag's and an owned project's description, and every
// provider adopts only what carries it (providers/latitude/ownership.ts).
import * as pulumi from "@pulumi/pulumi";
import type { LatitudeConfig } from "../../config/types";
import { ownerNote } from "../../providers/latitude/ownership";
import { Server } from "../../providers/latitude/server";
import { Project } from "../../providers/latitude/project";
import { SshKey } from "../../providers/latitude/sshKey";
import { StackIdentity } from "../../providers/latitude/stackIdentity";
import { Tag } from "../../providers/latitude/tag";
import { VlanAddresses } from "../../providers/cluster/vlanAddresses";
import { VirtualNetwork } from "../../providers/latitude/virtualNetwork";
import { VlanAssignment } from "../../providers/latitude/vlanAssignment";
import { fleetCost, type FleetCost } from "../../providers/latitude/pricing";
import { assignRoles, type NodeWithRole } from "../../config/roles";

export const TALOS_API_PORT = 50000;

export interface NodePrice {
  name: string;
  hourly: number;
  monthly: number;
}

export interface ServerFleetArgs {
  latitude: LatitudeConfig;
  /** `<pulumi project>-<stack>`: the tag that marks everything the stack owns. */
  stackTag: string;
  /** Id of the project to adopt, looked up by the program when the config gives a slug. */
  adoptedProjectId?: pulumi.Input<string>;
  /** Per node, from the catalogue check the program ran at preview. */
  prices: readonly NodePrice[];
  /** iPXE URL for Talos servers (the Image Factory URL until the Talos layer supplies its own). */
  ipxeUrl: pulumi.Input<string>;
  talosPort?: number;
}

export interface FleetNode {
  name: string;
  role: "controlplane" | "worker";
  serverId: string;
  hostname: string;
  publicIp: string;
  privateIp?: string;
}

export class ServerFleet extends pulumi.ComponentResource {
  readonly projectId: pulumi.Output<string>;
  /** The stack's identity: random, made at the first up and kept in state. */
  readonly stackIdentity: pulumi.Output<string>;
  readonly tagId: pulumi.Output<string>;
  readonly vlanId: pulumi.Output<string | undefined>;
  /** The VLAN's 802.1Q id, for the Talos VLAN sub-interface. */
  readonly vlanVid: pulumi.Output<number | undefined>;
  /** Each node's VLAN address, kept in state once given (VlanAddresses); empty without a VLAN. */
  readonly privateIps: pulumi.Output<Record<string, string>>;
  readonly nodes: pulumi.Output<FleetNode[]>;
  readonly cost: pulumi.Output<FleetCost>;
  readonly servers: Server[];
  /** Each node's role as the fleet decided it (plain values: the Talos layer needs them at plan time). */
  readonly roles: NodeWithRole[];

  constructor(name: string, args: ServerFleetArgs, opts?: pulumi.ComponentResourceOptions) {
    super("cto:fleet:ServerFleet", name, {}, opts);
    const lat = args.latitude;
    const child = { parent: this };

    const stackIdentity = new StackIdentity(`${name}-identity`, { stack: args.stackTag }, child).identity;
    this.stackIdentity = stackIdentity;
    const owned = stackIdentity.apply((identity) => ownerNote(args.stackTag, identity));
    this.projectId = projectIdOf(name, args, owned, child);
    const tag = new Tag(`${name}-tag`, { name: args.stackTag, description: owned }, child);
    this.tagId = tag.tagId;
    // References go through each resource's id (the same value as its tagId, sshKeyId, ...): an id
    // stays known while the resource is updated, its outputs do not, so a preview would otherwise
    // show every dependent changing (a server's VLAN assignment as replaced) when it will not.
    const tagIds = pulumi.all([tag.id]);

    const sshKeyIds = pulumi.all(
      lat.sshKeys.map(
        (key) => new SshKey(`${name}-ssh-${key.name}`, { name: key.name, publicKey: key.publicKey, projectId: this.projectId, tagIds, stackIdentity }, child).id,
      ),
    );

    this.roles = assignRoles(lat.nodes);
    const roles = new Map(this.roles.map((node) => [node.name, node.role]));
    const priceOf = new Map(args.prices.map((price) => [price.name, price]));
    this.servers = lat.nodes.map((node) => {
      const price = priceOf.get(node.name);
      if (!price) throw new Error(`ServerFleet ${name}: no price for node ${node.name}`);
      return new Server(
        `${name}-${node.name}`,
        {
          projectId: this.projectId,
          nodeName: node.name,
          hostname: node.hostname,
          role: roles.get(node.name) ?? "worker",
          plan: node.plan,
          site: lat.site,
          billing: lat.billing,
          operatingSystem: lat.operatingSystem,
          ipxeUrl: lat.operatingSystem === "ipxe" ? args.ipxeUrl : undefined,
          sshKeyIds,
          tagIds,
          stackTag: args.stackTag,
          stackIdentity,
          hourlyPrice: price.hourly,
          allowReinstall: lat.allowReinstall,
          allowReplace: node.allowReplace,
          talosPort: args.talosPort ?? TALOS_API_PORT,
          deployTimeoutSeconds: Math.round(lat.deployTimeoutMinutes * 60),
        },
        child,
      );
    });

    let privateIps = pulumi.output<Record<string, string>>({});
    if (lat.vlan) {
      const vlan = new VirtualNetwork(
        `${name}-vlan`,
        { projectId: this.projectId, site: lat.site, description: lat.vlan.description ?? `${args.stackTag} private network`, tagIds, stackIdentity },
        child,
      );
      this.vlanId = vlan.vlanId;
      this.vlanVid = vlan.vid;
      privateIps = new VlanAddresses(`${name}-vlan-addresses`, { subnet: lat.vlan.subnet, nodes: lat.nodes.map((node) => node.name) }, child).addresses;
      this.servers.forEach((server, i) => {
        new VlanAssignment(`${name}-${lat.nodes[i]!.name}-vlan`, { serverId: server.id, virtualNetworkId: vlan.id }, child);
      });
    } else {
      this.vlanId = pulumi.output(undefined);
      this.vlanVid = pulumi.output(undefined);
    }
    this.privateIps = privateIps;

    const rows = pulumi.all(this.servers.map((server) => pulumi.all([server.nodeName, server.role, server.serverId, server.hostname, server.primaryIpv4])));
    this.nodes = pulumi.all([rows, privateIps]).apply(([list, addresses]) =>
      list.map(([nodeName, role, serverId, hostname, publicIp]) => ({
        name: nodeName,
        role,
        serverId,
        hostname,
        publicIp,
        ...(addresses[nodeName] !== undefined && { privateIp: addresses[nodeName] }),
      })),
    );
    this.cost = pulumi.output(fleetCost(lat.nodes.map((node) => priceOf.get(node.name)!)));

    this.registerOutputs({ projectId: this.projectId, stackIdentity: this.stackIdentity, tagId: this.tagId, vlanId: this.vlanId, nodes: this.nodes, cost: this.cost });
  }
}

/** `owned` names the stack and its identity: the description proves a same-named project is ours. */
function projectIdOf(name: string, args: ServerFleetArgs, owned: pulumi.Output<string>, opts: pulumi.CustomResourceOptions): pulumi.Output<string> {
  const project = args.latitude.project;
  if (project.kind === "adopt") {
    if (args.adoptedProjectId === undefined) throw new Error(`ServerFleet ${name}: project ${project.slug} is adopted but no id was looked up`);
    return pulumi.output(args.adoptedProjectId);
  }
  return new Project(
    `${name}-project`,
    {
      name: project.name,
      // The proof of ownership: a retried create adopts by it, and servers, keys and VLANs left
      // untagged in this project are ours (providers/latitude/ownership.ts).
      description: owned.apply((note) => `${project.description ? `${project.description}; ` : ""}${note}`),
      environment: project.environment,
      provisioningType: project.provisioningType,
    },
    opts,
  ).id;
}
