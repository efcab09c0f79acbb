// The Latitude VLAN resource as the program uses it (type pulumi-nodejs:dynamic/latitude:VirtualNetwork).
import * as pulumi from "@pulumi/pulumi";
import { LATITUDE_PROVIDER_VERSION } from "./server";
import { virtualNetworkProvider, type VirtualNetworkInputs } from "./virtualNetworkProvider";

export type VirtualNetworkArgs = { [K in keyof Omit<VirtualNetworkInputs, "providerVersion">]: pulumi.Input<VirtualNetworkInputs[K]> };

export class VirtualNetwork extends pulumi.dynamic.Resource {
  declare readonly vlanId: pulumi.Output<string>;
  declare readonly vid: pulumi.Output<number>;
  declare readonly name: pulumi.Output<string>;

  constructor(name: string, args: VirtualNetworkArgs, opts?: pulumi.CustomResourceOptions) {
    const outputs = { vlanId: undefined, vid: undefined, name: undefined };
    // Always delete-first (`pulumi up --replace` too): a create cannot tell the VLAN it replaces from
    // a leftover of an interrupted create, so create-first adopted the old VLAN and the engine then
    // deleted it. The engine removes the assignments first and recreates them on the new VLAN.
    super(virtualNetworkProvider, name, { ...args, providerVersion: LATITUDE_PROVIDER_VERSION, ...outputs }, pulumi.mergeOptions(opts, { deleteBeforeReplace: true }), "latitude", "VirtualNetwork");
  }
}
