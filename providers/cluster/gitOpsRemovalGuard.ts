// A state-only resource that remembers whether Argo CD's root Application exists, so the next
// preview can refuse a run that drops it unconfirmed (components/gitops/gitOpsRemoval.ts says why).
// It talks to no API. The engine runs `check` with the previous and the new inputs while the
// program registers resources, and deletes what a run no longer registers only after the program
// has finished: a failed check stops the run before the root Application is deleted, in `preview`
// and in `up` alike. This object is serialized into state: dependencies are local modules only.
import * as pulumi from "@pulumi/pulumi";
import { gitOpsRemovalRefusal } from "./gitOpsRemoval";

/** Bumped with the provider code, so the engine stores the new code in state. */
const PROVIDER_VERSION = "1";

export interface GitOpsRemovalGuardInputs {
  providerVersion: string;
  /** This run registers Argo CD's root Application (a GitOps repository is configured). */
  rootApplication: boolean;
  /** cto-metal:allowGitOpsRemoval. */
  allowRemoval: boolean;
}

type Outputs = GitOpsRemovalGuardInputs;

export const gitOpsRemovalGuardProvider: pulumi.dynamic.ResourceProvider<GitOpsRemovalGuardInputs, Outputs> = {
  check(olds: Partial<GitOpsRemovalGuardInputs>, news: GitOpsRemovalGuardInputs): Promise<pulumi.dynamic.CheckResult<GitOpsRemovalGuardInputs>> {
    const refusal = gitOpsRemovalRefusal(olds, news);
    if (refusal === undefined) return Promise.resolve({ inputs: news });
    return Promise.resolve({ failures: [{ property: "rootApplication", reason: refusal }] });
  },
  diff(_id: string, olds: Outputs, news: GitOpsRemovalGuardInputs): Promise<pulumi.dynamic.DiffResult> {
    const changes = olds.providerVersion !== news.providerVersion || olds.rootApplication !== news.rootApplication || olds.allowRemoval !== news.allowRemoval;
    return Promise.resolve({ changes, replaces: [] });
  },
  create(inputs: GitOpsRemovalGuardInputs): Promise<pulumi.dynamic.CreateResult<Outputs>> {
    return Promise.resolve({ id: "gitops-root-application", outs: inputs });
  },
  update(_id: string, _olds: Outputs, news: GitOpsRemovalGuardInputs): Promise<pulumi.dynamic.UpdateResult<Outputs>> {
    return Promise.resolve({ outs: news });
  },
  delete(): Promise<void> {
    return Promise.resolve();
  },
};

export interface GitOpsRemovalGuardArgs {
  rootApplication: boolean;
  allowRemoval: boolean;
}

export class GitOpsRemovalGuard extends pulumi.dynamic.Resource {
  declare readonly rootApplication: pulumi.Output<boolean>;

  constructor(name: string, args: GitOpsRemovalGuardArgs, opts?: pulumi.CustomResourceOptions) {
    super(gitOpsRemovalGuardProvider, name, { providerVersion: PROVIDER_VERSION, ...args }, opts, "cluster", "GitOpsRemovalGuard");
  }
}
