// The SshKeyPair resource as the program uses it (type pulumi-nodejs:dynamic/generators:SshKeyPair).
import * as pulumi from "@pulumi/pulumi";
import { GENERATORS_PROVIDER_VERSION } from "./generatorSupport";
import { sshKeyPairProvider, type SshKeyType } from "./sshKeyPairProvider";

export interface SshKeyPairArgs {
  /** Default "ed25519" (the only type generated). */
  keyType?: pulumi.Input<SshKeyType>;
  /** The public key line's comment; default none. */
  comment?: pulumi.Input<string>;
}

export const SSH_KEY_PAIR_SECRET_OUTPUTS = ["privateKey"];

export class SshKeyPair extends pulumi.dynamic.Resource {
  declare readonly keyType: pulumi.Output<SshKeyType>;
  declare readonly comment: pulumi.Output<string>;
  declare readonly publicKey: pulumi.Output<string>;
  /** Secret. */
  declare readonly privateKey: pulumi.Output<string>;
  declare readonly fingerprint: pulumi.Output<string>;

  constructor(name: string, args: SshKeyPairArgs = {}, opts?: pulumi.CustomResourceOptions) {
    const props = {
      publicKey: undefined,
      privateKey: undefined,
      fingerprint: undefined,
      keyType: args.keyType ?? "ed25519",
      comment: args.comment ?? "",
      providerVersion: GENERATORS_PROVIDER_VERSION,
    };
    super(sshKeyPairProvider, name, props, pulumi.mergeOptions(opts, { additionalSecretOutputs: SSH_KEY_PAIR_SECRET_OUTPUTS }), "generators", "SshKeyPair");
  }
}
