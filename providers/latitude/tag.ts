// The Latitude Tag resource as the program uses it (type pulumi-nodejs:dynamic/latitude:Tag).
import * as pulumi from "@pulumi/pulumi";
import { LATITUDE_PROVIDER_VERSION } from "./server";
import { tagProvider, type TagInputs } from "./tagProvider";

export type TagArgs = { [K in keyof Omit<TagInputs, "providerVersion">]: pulumi.Input<TagInputs[K]> };

export class Tag extends pulumi.dynamic.Resource {
  declare readonly tagId: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  declare readonly description: pulumi.Output<string>;
  declare readonly color: pulumi.Output<string>;

  constructor(name: string, args: TagArgs, opts?: pulumi.CustomResourceOptions) {
    // Every output key is present (undefined until known); inputs of the same name override.
    const outputs = { tagId: undefined, name: undefined, description: undefined, color: undefined };
    // Always delete-first (`pulumi up --replace` too): tag names are unique per team, so a second
    // tag of our name cannot exist beside the old one; create-first adopted the old tag by name and
    // the engine then deleted it.
    super(tagProvider, name, { ...outputs, ...args, providerVersion: LATITUDE_PROVIDER_VERSION }, pulumi.mergeOptions(opts, { deleteBeforeReplace: true }), "latitude", "Tag");
  }
}
