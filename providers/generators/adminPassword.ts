// The AdminPassword resource as the program uses it (type pulumi-nodejs:dynamic/generators:AdminPassword).
import * as pulumi from "@pulumi/pulumi";
import { adminPasswordProvider } from "./adminPasswordProvider";
import { GENERATORS_PROVIDER_VERSION } from "./generatorSupport";

export interface AdminPasswordArgs {
  /** Alphanumeric characters (16 to 72); default 32. */
  length?: pulumi.Input<number>;
}

export const ADMIN_PASSWORD_SECRET_OUTPUTS = ["password", "bcryptHash"];

export class AdminPassword extends pulumi.dynamic.Resource {
  declare readonly length: pulumi.Output<number>;
  /** Secret. */
  declare readonly password: pulumi.Output<string>;
  /** Secret. */
  declare readonly bcryptHash: pulumi.Output<string>;
  declare readonly passwordMtime: pulumi.Output<string>;

  constructor(name: string, args: AdminPasswordArgs = {}, opts?: pulumi.CustomResourceOptions) {
    const props = { password: undefined, bcryptHash: undefined, passwordMtime: undefined, length: args.length ?? 32, providerVersion: GENERATORS_PROVIDER_VERSION };
    super(adminPasswordProvider, name, props, pulumi.mergeOptions(opts, { additionalSecretOutputs: ADMIN_PASSWORD_SECRET_OUTPUTS }), "generators", "AdminPassword");
  }
}
