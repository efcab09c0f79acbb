// The Latitude Project resource as the program uses it (type pulumi-nodejs:dynamic/latitude:Project):
// a project the stack creates and owns. To use an existing project, findProjectBySlug instead.
import * as pulumi from "@pulumi/pulumi";
import { projectProvider, type ProjectInputs } from "./projectProvider";
import { LATITUDE_PROVIDER_VERSION } from "./server";

export type ProjectArgs = { [K in keyof Omit<ProjectInputs, "providerVersion">]: pulumi.Input<ProjectInputs[K]> };

export class Project extends pulumi.dynamic.Resource {
  declare readonly projectId: pulumi.Output<string>;
  declare readonly slug: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;

  constructor(name: string, args: ProjectArgs, opts?: pulumi.CustomResourceOptions) {
    // Every output key is present (undefined until known); inputs of the same name override.
    const outputs = { projectId: undefined, slug: undefined, name: undefined };
    // Always delete-first, as diff() asks, and for `pulumi up --replace` too (the engine decides that
    // one alone): names are unique, and a create-first would adopt the old project by its description.
    super(projectProvider, name, { ...outputs, ...args, providerVersion: LATITUDE_PROVIDER_VERSION }, pulumi.mergeOptions(opts, { deleteBeforeReplace: true }), "latitude", "Project");
  }
}
