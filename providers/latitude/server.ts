// The Latitude Server resource as the program uses it (type pulumi-nodejs:dynamic/latitude:Server).
import * as pulumi from "@pulumi/pulumi";
import { serverProvider } from "./serverProvider";
import type { Billing, ServerInputs, ServerRole } from "./serverTypes";

/** Bump with any change to the Latitude providers' code, so the engine stores the new code. */
export const LATITUDE_PROVIDER_VERSION = "4";

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
    super(serverProvider, name, { ...args, providerVersion: LATITUDE_PROVIDER_VERSION, ...outputs }, opts, "latitude", "Server");
  }
}
