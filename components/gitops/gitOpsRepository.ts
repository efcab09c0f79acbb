// GitOpsRepository: the repository Argo CD syncs from, with its first files (seeded once, then the
// users') on the configured branch, made the default branch, Argo CD's read-only deploy key and
// push webhook, install links for the platform's GitHub Apps and, where their credentials are
// configured, the Apps' webhooks pointed here.
//
// The repository is created empty (autoInit false): with autoInit GitHub commits its own
// README.md, and the seed, which never overwrites a file, would keep GitHub's instead of ours.
// The seed's first write into the empty repository is its first commit and creates the branch;
// only then can the branch be made the default (github.BranchDefault needs it to exist).
//
// The GitHub provider (owner = args.org, token) comes from the caller's opts.providers: every
// child only sets { parent: this }. github.Repository has no owner argument; it takes the
// provider's `owner`, which must therefore be the same organisation as `org`.
//
// Adopting a repository that already exists: import it under this component before the first
// `up`, with the name this component gives it (`<name>-repo`):
//   pulumi import github:index/repository:Repository <name>-repo <repositoryName> \
//     --parent 'gitops=<urn of this GitOpsRepository>' --provider 'github=<urn of the GitHub provider>'
// The import id is the bare repository name (the owner comes from the provider). The import
// records no archiveOnDestroy, a destroy-time setting written to state on the next `up` without
// an API change. The seed then keeps every file that already exists on the branch and adds only
// missing ones; an adopted repository that has commits must already have the branch (the seed
// fails naming it otherwise), and the branch becomes its default.
import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";
import { AppWebhookUrl } from "../../providers/github/appWebhookUrl";
import { RepositorySeed } from "../../providers/github/repositorySeed";
import { branchNameProblem } from "../../providers/github/repositorySeedProvider";
import { appInstallLinks, validateApps, validateAppSlug, type GitHubApp } from "./installLinks";
import { normalizeAppsPath, seedFiles } from "./seedFiles";

export type RepositoryVisibility = "private" | "public" | "internal";
/** keep: the repository outlives the stack; archive: archived on destroy; delete: deleted. */
export type RepositoryOnDestroy = "keep" | "archive" | "delete";

export interface AppWebhook {
  slug: string;
  appId: pulumi.Input<string>;
  privateKey: pulumi.Input<string>;
  /** Where the App's webhook should deliver on this cluster. */
  url: pulumi.Input<string>;
}

export interface GitOpsRepositoryArgs {
  org: string;
  repositoryName: string;
  /** The branch seeded, made the default and synced by Argo CD. Default "main". */
  branch?: string;
  /** Default private. */
  visibility?: RepositoryVisibility;
  /** Default keep. */
  onDestroy?: RepositoryOnDestroy;
  /** The directory the root Application syncs, e.g. "apps". */
  appsPath: string;
  /** https://<argo domain>/api/webhook; absent when Argo CD has no public URL (then no webhook). */
  argoWebhookUrl?: pulumi.Input<string>;
  webhookSecret: pulumi.Input<string>;
  /** OpenSSH public key of Argo CD's read-only deploy key. */
  deployKeyPublic: pulumi.Input<string>;
  apps: GitHubApp[];
  appWebhooks?: AppWebhook[];
  /** From providers/github/installations.ts; defaults to "unknown: not checked" per App. */
  installationStatus?: pulumi.Input<Record<string, string>>;
  /** Namespace of Argo CD, for the example Application. Default argocd. */
  argoNamespace?: string;
}

const NAME = /^[A-Za-z0-9_.-]{1,100}$/;
export const DEFAULT_BRANCH = "main";

/** The arguments checked and normalised; throws an error naming the argument. */
export function checkGitOpsArgs(args: GitOpsRepositoryArgs): { branch: string; appsPath: string; apps: GitHubApp[]; hooks: AppWebhook[] } {
  if (!NAME.test(args.org)) throw new Error(`gitops org ${JSON.stringify(args.org)} is not a GitHub organisation name`);
  if (!NAME.test(args.repositoryName)) throw new Error(`gitops repositoryName ${JSON.stringify(args.repositoryName)}: letters, digits, ".", "-" and "_", at most 100`);
  const branch = args.branch ?? DEFAULT_BRANCH;
  const branchProblem = branchNameProblem(branch);
  if (branchProblem) throw new Error(`gitops branch: ${branchProblem}; use e.g. "main"`);
  const appsPath = normalizeAppsPath(args.appsPath);
  const apps = validateApps(args.apps);
  const hooks = args.appWebhooks ?? [];
  const hookSlugs = hooks.map((hook) => validateAppSlug(hook.slug));
  if (new Set(hookSlugs).size !== hookSlugs.length) throw new Error("gitops appWebhooks: each App slug may appear once");
  return { branch, appsPath, apps, hooks };
}

/** Resource options per onDestroy: retained, archived (provider input) or deleted. */
export function repositoryDestroyBehaviour(onDestroy: RepositoryOnDestroy): { retainOnDelete: boolean; archiveOnDestroy: boolean } {
  return { retainOnDelete: onDestroy === "keep", archiveOnDestroy: onDestroy === "archive" };
}

/**
 * Repository fields people are expected to change in GitHub's settings: Pulumi sets what it sets
 * at creation and never reverts an edit. autoInit only matters at creation: ignored so that a
 * repository created with an older autoInit=true, or imported, is not touched.
 */
export const USER_OWNED_REPOSITORY_FIELDS = [
  "description",
  "homepageUrl",
  "topics",
  "hasIssues",
  "hasWiki",
  "hasProjects",
  "hasDiscussions",
  "hasDownloads",
  "isTemplate",
  "allowMergeCommit",
  "allowSquashMerge",
  "allowRebaseMerge",
  "allowAutoMerge",
  "allowUpdateBranch",
  "deleteBranchOnMerge",
  "mergeCommitTitle",
  "mergeCommitMessage",
  "squashMergeCommitTitle",
  "squashMergeCommitMessage",
  "webCommitSignoffRequired",
  "vulnerabilityAlerts",
  "securityAndAnalysis",
  "autoInit",
];

export class GitOpsRepository extends pulumi.ComponentResource {
  readonly repository: github.Repository;
  /** https://github.com/<org>/<repo> */
  readonly repoUrl: pulumi.Output<string>;
  /** SSH clone URL: what Argo CD reads with the deploy key. */
  readonly cloneUrl: pulumi.Output<string>;
  readonly webhookId: pulumi.Output<string | undefined>;
  readonly installLinks: pulumi.Output<Record<string, string>>;
  readonly installationStatus: pulumi.Output<Record<string, string>>;
  /** Per App slug, the webhook URL set on the App. */
  readonly appWebhookUrls: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: GitOpsRepositoryArgs, opts?: pulumi.ComponentResourceOptions) {
    // Refused before anything is registered.
    const { branch, appsPath, apps, hooks } = checkGitOpsArgs(args);
    super("cto:gitops:GitOpsRepository", name, {}, opts);
    const destroy = repositoryDestroyBehaviour(args.onDestroy ?? "keep");

    this.repository = new github.Repository(
      `${name}-repo`,
      {
        name: args.repositoryName,
        description: "GitOps source of the cto-metal cluster (Argo CD app of apps)",
        visibility: args.visibility ?? "private",
        // Empty: the seed writes the first commit, so README.md is ours (see the header).
        autoInit: false,
        archiveOnDestroy: destroy.archiveOnDestroy,
      },
      { parent: this, retainOnDelete: destroy.retainOnDelete, ignoreChanges: USER_OWNED_REPOSITORY_FIELDS },
    );
    const repo = this.repository;
    // With "delete" the hook and key go with the repository instead of one API call each.
    const withRepo = args.onDestroy === "delete" ? { deletedWith: repo } : {};
    // Renaming the repository (cto-metal:gitopsRepo.name) renames it in place, but changes the
    // `repository` input of the deploy key and the webhook, which the GitHub provider answers with
    // a replace: every field of a deploy key forces one (@pulumi/github 6.15.0
    // repositoryDeployKey.d.ts: "Changing any of the fields forces re-creating the resource"), and
    // a webhook's repository does (upstream terraform-provider-github
    // resource_github_repository_webhook.go: "repository" ForceNew). The SDK declares neither as
    // replaceOnChanges or deleteBeforeReplace (the constructors only add the plugin version), so
    // the engine would create the replacement first: the same key again, which GitHub refuses as
    // already in use (422), and a hook with the same config, which it refuses as a duplicate (422).
    // The old one goes first; Argo CD misses at most a pull or a push event in between.
    const replaceDeleteFirst = { deleteBeforeReplace: true };

    const seed = new RepositorySeed(
      `${name}-seed`,
      {
        owner: args.org,
        repository: repo.name,
        branch,
        files: repo.sshCloneUrl.apply((repoUrl) =>
          seedFiles({ repositoryName: args.repositoryName, repoUrl, appsPath, ...(args.argoNamespace ? { argoNamespace: args.argoNamespace } : {}) }),
        ),
      },
      { parent: this, ...withRepo },
    );

    // The branch exists once the seed has written to it (no data edge: dependsOn). HEAD, which
    // the seeded example Application follows, is then the branch the root Application syncs.
    // A kept repository keeps its default branch: nothing to undo on destroy.
    new github.BranchDefault(
      `${name}-default-branch`,
      { repository: repo.name, branch },
      { parent: this, dependsOn: [seed], retainOnDelete: destroy.retainOnDelete, ...withRepo },
    );

    new github.RepositoryDeployKey(
      `${name}-deploy-key`,
      { repository: repo.name, title: `${name}-argocd-read-only`, key: args.deployKeyPublic, readOnly: true },
      { parent: this, ...replaceDeleteFirst, ...withRepo },
    );

    if (args.argoWebhookUrl !== undefined) {
      const hook = new github.RepositoryWebhook(
        `${name}-argocd-webhook`,
        {
          repository: repo.name,
          active: true,
          events: ["push"],
          configuration: { url: args.argoWebhookUrl, contentType: "json", insecureSsl: false, secret: pulumi.secret(args.webhookSecret) },
        },
        // The configuration carries the shared secret: the whole block stays secret in state.
        { parent: this, additionalSecretOutputs: ["configuration"], ...replaceDeleteFirst, ...withRepo },
      );
      this.webhookId = hook.id;
    } else {
      this.webhookId = pulumi.output<string | undefined>(undefined);
    }

    // summaryOnly: the numeric id is all we need, not every repository and member of the org.
    const organization = github.getOrganizationOutput({ name: args.org, summaryOnly: true }, { parent: this });
    this.installLinks = organization.id.apply((orgId) => appInstallLinks(apps, orgId));
    this.installationStatus = pulumi.output(args.installationStatus ?? Object.fromEntries(apps.map((app) => [app.name, "unknown: not checked"])));

    const appHooks = hooks.map(
      (hook) => new AppWebhookUrl(`${name}-${hook.slug}-webhook-url`, { slug: hook.slug, appId: hook.appId, privateKey: hook.privateKey, url: hook.url }, { parent: this }),
    );
    this.appWebhookUrls = pulumi.all(appHooks.map((hook) => hook.url)).apply((urls) => Object.fromEntries(hooks.map((hook, i) => [hook.slug, urls[i]!])));

    this.repoUrl = repo.htmlUrl;
    this.cloneUrl = repo.sshCloneUrl;
    this.registerOutputs({
      repoUrl: this.repoUrl,
      cloneUrl: this.cloneUrl,
      webhookId: this.webhookId,
      installLinks: this.installLinks,
      installationStatus: this.installationStatus,
      appWebhookUrls: this.appWebhookUrls,
    });
  }
}
