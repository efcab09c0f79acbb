// The RandomSecret resource as the program uses it (type pulumi-nodejs:dynamic/generators:RandomSecret).
import * as pulumi from "@pulumi/pulumi";
import { GENERATORS_PROVIDER_VERSION, type SecretEncoding } from "./generatorSupport";
import { randomSecretProvider } from "./randomSecretProvider";

export interface RandomSecretArgs {
  /** Characters in the value (16 to 1024). */
  length: pulumi.Input<number>;
  /** Alphabet of the value; default hex. */
  encoding?: pulumi.Input<SecretEncoding>;
}

export const RANDOM_SECRET_SECRET_OUTPUTS = ["value"];

export class RandomSecret extends pulumi.dynamic.Resource {
  declare readonly length: pulumi.Output<number>;
  declare readonly encoding: pulumi.Output<SecretEncoding>;
  /** Secret. */
  declare readonly value: pulumi.Output<string>;

  constructor(name: string, args: RandomSecretArgs, opts?: pulumi.CustomResourceOptions) {
    const props = { value: undefined, length: args.length, encoding: args.encoding ?? "hex", providerVersion: GENERATORS_PROVIDER_VERSION };
    super(randomSecretProvider, name, props, pulumi.mergeOptions(opts, { additionalSecretOutputs: RANDOM_SECRET_SECRET_OUTPUTS }), "generators", "RandomSecret");
  }
}
