// The stack's identity as the program uses it (type pulumi-nodejs:dynamic/latitude:StackIdentity).
import * as pulumi from "@pulumi/pulumi";
import { LATITUDE_PROVIDER_VERSION } from "./server";
import { stackIdentityProvider, type StackIdentityInputs } from "./stackIdentityProvider";

export type StackIdentityArgs = { [K in keyof Omit<StackIdentityInputs, "providerVersion">]: pulumi.Input<StackIdentityInputs[K]> };

export class StackIdentity extends pulumi.dynamic.Resource {
  /** 16 lower-case hex characters, made once and kept in state. */
  declare readonly identity: pulumi.Output<string>;

  constructor(name: string, args: StackIdentityArgs, opts?: pulumi.CustomResourceOptions) {
    super(stackIdentityProvider, name, { ...args, providerVersion: LATITUDE_PROVIDER_VERSION, identity: undefined }, opts, "latitude", "StackIdentity");
  }
}
