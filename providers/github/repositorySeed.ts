// The repository seed as the program uses it (type pulumi-nodejs:dynamic/github:RepositorySeed).
import * as pulumi from "@pulumi/pulumi";
import { repositorySeedProvider, type RepositorySeedInputs, type SeedFile } from "./repositorySeedProvider";
import { GITHUB_PROVIDER_VERSION } from "./version";

export interface RepositorySeedArgs {
  owner: pulumi.Input<string>;
  repository: pulumi.Input<string>;
  /** The branch the files go to; the first write into an empty repository creates it. */
  branch: pulumi.Input<string>;
  files: pulumi.Input<SeedFile[]>;
  commitMessage?: pulumi.Input<string>;
}

export class RepositorySeed extends pulumi.dynamic.Resource {
  declare readonly owner: pulumi.Output<string>;
  declare readonly repository: pulumi.Output<string>;
  declare readonly branch: pulumi.Output<string>;
  declare readonly files: pulumi.Output<SeedFile[]>;
  declare readonly written: pulumi.Output<string[]>;
  declare readonly kept: pulumi.Output<string[]>;

  constructor(name: string, args: RepositorySeedArgs, opts?: pulumi.CustomResourceOptions) {
    const props: { [K in keyof RepositorySeedInputs]: pulumi.Input<RepositorySeedInputs[K]> } & { written: undefined; kept: undefined } = {
      providerVersion: GITHUB_PROVIDER_VERSION,
      owner: args.owner,
      repository: args.repository,
      branch: args.branch,
      files: args.files,
      commitMessage: args.commitMessage ?? "Initial layout (seeded once by cto-metal)",
      written: undefined,
      kept: undefined,
    };
    super(repositorySeedProvider, name, props, opts, "github", "RepositorySeed");
  }
}
