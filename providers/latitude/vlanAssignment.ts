// The Latitude VLAN assignment resource as the program uses it
// (type pulumi-nodejs:dynamic/latitude:VlanAssignment).
import * as pulumi from "@pulumi/pulumi";
import { LATITUDE_PROVIDER_VERSION } from "./server";
import { vlanAssignmentProvider, type VlanAssignmentInputs } from "./vlanAssignmentProvider";

export type VlanAssignmentArgs = { [K in keyof Omit<VlanAssignmentInputs, "providerVersion">]: pulumi.Input<VlanAssignmentInputs[K]> };

export class VlanAssignment extends pulumi.dynamic.Resource {
  declare readonly assignmentId: pulumi.Output<string>;
  declare readonly vid: pulumi.Output<number | null>;
  declare readonly status: pulumi.Output<string>;

  constructor(name: string, args: VlanAssignmentArgs, opts?: pulumi.CustomResourceOptions) {
    const outputs = { assignmentId: undefined, vid: undefined, status: undefined };
    // Always delete-first: a server is assigned to a VLAN once, so create-first adopted the old
    // assignment and the engine then removed it.
    super(vlanAssignmentProvider, name, { ...args, providerVersion: LATITUDE_PROVIDER_VERSION, ...outputs }, pulumi.mergeOptions(opts, { deleteBeforeReplace: true }), "latitude", "VlanAssignment");
  }
}
