// The Latitude Server resource as the program uses it (type pulumi-nodejs:dynamic/latitude:Server).
import * as pulumi from "@pulumi/pulumi";
import { serverProvider } from "./serverProvider";
import type { Billing, ServerInputs, ServerRole } from "./serverTypes";

/** Bump with any change to the Latitude providers' code, so the engine stores the new code. */
export const LATITUDE_PROVIDER_VERSION = "6";

export type ServerArgs = { [K in keyof Omit<ServerInputs, "providerVersion">]: pulumi.Input<ServerInputs[K]> };

export class Server extends pulumi.dynamic.Resource {
  declare readonly serverId: pulumi.Output<string>;
  declare readonly hostname: pulumi.Output<string>;
  declare readonly nodeName: pulumi.Output<string>;
  declare readonly role: pulumi.Output<ServerRole>;
  declare readonly plan: pulumi.Output<string>;
  declare readonly site: pulumi.Output<string>;
  declare readonly billing: pulumi.Output<Billing>;
  declare readonly hourlyPrice: pulumi.Output<number>;
  declare readonly primaryIpv4: pulumi.Output<string>;
  declare readonly primaryIpv6: pulumi.Output<string | null>;
  declare readonly status: pulumi.Output<string>;
  declare readonly publicMac: pulumi.Output<string | null>;
  declare readonly privateMac: pulumi.Output<string | null>;

  constructor(name: string, args: ServerArgs, opts?: pulumi.CustomResourceOptions) {
    const outputs = {
      serverId: undefined,
      primaryIpv4: undefined,
      primaryIpv6: undefined,
      status: undefined,
      publicMac: undefined,
      privateMac: undefined,
      deployFailure: undefined,
    };
    // Always delete-first, `pulumi up --replace` included (the engine decides that one without
    // asking diff()). A create cannot tell the server it replaces from a leftover of an interrupted
    // create, so create-first adopted the old server and the engine then deleted it. Deleting first
    // is also right on its own: the hostname is the node's identity (Talos and Kubernetes node
    // name), two live servers must never claim it, and the old one's stock slot is freed. The cost:
    // the node is down until its replacement boots, which a control plane only risks when its
    // config says "allowReplace".
    super(serverProvider, name, { ...args, providerVersion: LATITUDE_PROVIDER_VERSION, ...outputs }, pulumi.mergeOptions(opts, { deleteBeforeReplace: true }), "latitude", "Server");
  }
}
