// The Latitude SSH key resource as the program uses it (type pulumi-nodejs:dynamic/latitude:SshKey).
import * as pulumi from "@pulumi/pulumi";
import { LATITUDE_PROVIDER_VERSION } from "./server";
import { sshKeyProvider, type SshKeyInputs } from "./sshKeyProvider";

export type SshKeyArgs = { [K in keyof Omit<SshKeyInputs, "providerVersion">]: pulumi.Input<SshKeyInputs[K]> };

export class SshKey extends pulumi.dynamic.Resource {
  declare readonly sshKeyId: pulumi.Output<string>;
  declare readonly fingerprint: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;

  constructor(name: string, args: SshKeyArgs, opts?: pulumi.CustomResourceOptions) {
    // Every output key is present (undefined until known); inputs of the same name override.
    const outputs = { sshKeyId: undefined, fingerprint: undefined, name: undefined };
    super(sshKeyProvider, name, { ...outputs, ...args, providerVersion: LATITUDE_PROVIDER_VERSION }, opts, "latitude", "SshKey");
  }
}
