// ServerFleet: the Latitude side of a cluster — project (created or adopted), the stack's tag,
// SSH keys, an optional VLAN, and one Server per node, all registered at once so the engine
// creates them in parallel. Decisions live in pure helpers beside it (roles, private IPs, cost).
import * as pulumi from "@pulumi/pulumi";
import type { LatitudeConfig } from "../../config/types";
import { Server } from "../../providers/latitude/server";
import { Project } from "../../providers/latitude/project";
import { SshKey } from "../../providers/latitude/sshKey";
import { Tag } from "../../providers/latitude/tag";
import { VirtualNetwork } from "../../providers/latitude/virtualNetwork";
import { VlanAssignment } from "../../providers/latitude/vlanAssignment";
import { fleetCost, type FleetCost } from "../../providers/latitude/pricing";
import { allocatePrivateIps } from "./privateIps";
import { assignRoles, type NodeWithRole } from "./roles";

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
  readonly tagId: pulumi.Output<string>;
  readonly vlanId: pulumi.Output<string | undefined>;
  /** The VLAN's 802.1Q id, for the Talos VLAN sub-interface. */
  readonly vlanVid: pulumi.Output<number | undefined>;
  /** Each node's VLAN address (plain: allocated from config, by name). */
  readonly privateIps: Record<string, string>;
  readonly nodes: pulumi.Output<FleetNode[]>;
  readonly cost: pulumi.Output<FleetCost>;
  readonly servers: Server[];
  /** Each node's role as the fleet decided it (plain values: the Talos layer needs them at plan time). */
  readonly roles: NodeWithRole[];

  constructor(name: string, args: ServerFleetArgs, opts?: pulumi.ComponentResourceOptions) {
    super("cto:fleet:ServerFleet", name, {}, opts);
    const lat = args.latitude;
    const child = { parent: this };

    this.projectId = projectIdOf(name, args, child);
    const tag = new Tag(`${name}-tag`, { name: args.stackTag, description: `Owned by Pulumi stack ${args.stackTag}` }, child);
    this.tagId = tag.tagId;
    const tagIds = pulumi.all([tag.tagId]);

    const sshKeyIds = pulumi.all(
      lat.sshKeys.map(
        (key) => new SshKey(`${name}-ssh-${key.name}`, { name: key.name, publicKey: key.publicKey, projectId: this.projectId, tagIds }, child).sshKeyId,
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
          hourlyPrice: price.hourly,
          allowReinstall: lat.allowReinstall,
          allowReplace: node.allowReplace,
          talosPort: args.talosPort ?? TALOS_API_PORT,
          deployTimeoutSeconds: Math.round(lat.deployTimeoutMinutes * 60),
        },
        child,
      );
    });

    let privateIps = new Map<string, string>();
    if (lat.vlan) {
      const vlan = new VirtualNetwork(
        `${name}-vlan`,
        { projectId: this.projectId, site: lat.site, description: lat.vlan.description ?? `${args.stackTag} private network`, tagIds },
        child,
      );
      this.vlanId = vlan.vlanId;
      this.vlanVid = vlan.vid;
      privateIps = allocatePrivateIps(lat.vlan.subnet, lat.nodes.map((node) => node.name));
      this.servers.forEach((server, i) => {
        new VlanAssignment(`${name}-${lat.nodes[i]!.name}-vlan`, { serverId: server.serverId, virtualNetworkId: vlan.vlanId }, child);
      });
    } else {
      this.vlanId = pulumi.output(undefined);
      this.vlanVid = pulumi.output(undefined);
    }
    this.privateIps = Object.fromEntries(privateIps);

    this.nodes = pulumi.all(this.servers.map((server) => pulumi.all([server.nodeName, server.role, server.serverId, server.hostname, server.primaryIpv4]))).apply((rows) =>
      rows.map(([nodeName, role, serverId, hostname, publicIp]) => ({
        name: nodeName,
        role,
        serverId,
        hostname,
        publicIp,
        ...(privateIps.has(nodeName) && { privateIp: privateIps.get(nodeName) }),
      })),
    );
    this.cost = pulumi.output(fleetCost(lat.nodes.map((node) => priceOf.get(node.name)!)));

    this.registerOutputs({ projectId: this.projectId, tagId: this.tagId, vlanId: this.vlanId, nodes: this.nodes, cost: this.cost });
  }
}

function projectIdOf(name: string, args: ServerFleetArgs, opts: pulumi.CustomResourceOptions): pulumi.Output<string> {
  const project = args.latitude.project;
  if (project.kind === "adopt") {
    if (args.adoptedProjectId === undefined) throw new Error(`ServerFleet ${name}: project ${project.slug} is adopted but no id was looked up`);
    return pulumi.output(args.adoptedProjectId);
  }
  return new Project(
    `${name}-project`,
    {
      name: project.name,
      // The description is the proof of ownership a retried create adopts by.
      description: `${project.description ? `${project.description}; ` : ""}owned by Pulumi stack ${args.stackTag}`,
      environment: project.environment,
      provisioningType: project.provisioningType,
    },
    opts,
  ).projectId;
}
