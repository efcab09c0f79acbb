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
    // Always delete-first (`pulumi up --replace` too): a create cannot tell the key it replaces from
    // a leftover of an interrupted create, so create-first adopted the old key and the engine then
    // deleted it. Servers keep a deleted key; only a reinstall reads the key list again.
    super(sshKeyProvider, name, { ...outputs, ...args, providerVersion: LATITUDE_PROVIDER_VERSION }, pulumi.mergeOptions(opts, { deleteBeforeReplace: true }), "latitude", "SshKey");
  }
}
