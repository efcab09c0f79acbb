// Removing the GitOps repository from the config (unsetting cto-metal:githubOrg) removes Argo CD's
// root Application, and the root carries Argo CD's resources finalizer (components/platform/argoCd.ts
// says why): deleting it makes the controller delete every child Application and everything they
// deployed. Nothing in the program sees that loss: the root is simply no longer registered, and
// only state knows it was there. So a state-only guard (providers/cluster/gitOpsRemovalGuard.ts)
// remembers whether a root Application exists and refuses, at preview, a run that drops it without
// cto-metal:allowGitOpsRemoval. This module is serialized into that guard's state: no imports.

export interface RootApplicationState {
  /** The previous run registered a root Application; absent on the first run. */
  rootApplication?: boolean;
}

export interface RootApplicationPlan {
  /** This run registers a root Application. */
  rootApplication: boolean;
  /** cto-metal:allowGitOpsRemoval. */
  allowRemoval: boolean;
}

/** Why this run may not drop the root Application, or undefined when it may. */
export function gitOpsRemovalRefusal(previous: RootApplicationState, next: RootApplicationPlan): string | undefined {
  if (previous.rootApplication !== true || next.rootApplication || next.allowRemoval) return undefined;
  return (
    'cto-metal:githubOrg: expected the GitOps repository to stay configured, got none; without it Argo CD\'s root Application "root" is deleted, ' +
    "and its resources finalizer deletes every app it deployed from Git, with everything those apps run. " +
    "Set cto-metal:githubOrg back, or confirm with `pulumi config set cto-metal:allowGitOpsRemoval true` (and unset it afterwards)"
  );
}
