// GitOpsRepository: the repository Argo CD syncs from, with its first files (seeded once, then the
// users'), Argo CD's read-only deploy key and push webhook, install links for the platform's
// GitHub Apps and, where their credentials are configured, the Apps' webhooks pointed here.
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
// records autoInit=false and no archiveOnDestroy; both are create-time or destroy-time settings
// (autoInit is ignored below, archiveOnDestroy is written to state on the next `up` without an
// API change). The seed then keeps every file that already exists and adds only missing ones.
import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";
import { AppWebhookUrl } from "../../providers/github/appWebhookUrl";
import { RepositorySeed } from "../../providers/github/repositorySeed";
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

/** The arguments checked and normalised; throws an error naming the argument. */
export function checkGitOpsArgs(args: GitOpsRepositoryArgs): { appsPath: string; apps: GitHubApp[]; hooks: AppWebhook[] } {
  if (!NAME.test(args.org)) throw new Error(`gitops org ${JSON.stringify(args.org)} is not a GitHub organisation name`);
  if (!NAME.test(args.repositoryName)) throw new Error(`gitops repositoryName ${JSON.stringify(args.repositoryName)}: letters, digits, ".", "-" and "_", at most 100`);
  const appsPath = normalizeAppsPath(args.appsPath);
  const apps = validateApps(args.apps);
  const hooks = args.appWebhooks ?? [];
  const hookSlugs = hooks.map((hook) => validateAppSlug(hook.slug));
  if (new Set(hookSlugs).size !== hookSlugs.length) throw new Error("gitops appWebhooks: each App slug may appear once");
  return { appsPath, apps, hooks };
}

/** Resource options per onDestroy: retained, archived (provider input) or deleted. */
export function repositoryDestroyBehaviour(onDestroy: RepositoryOnDestroy): { retainOnDelete: boolean; archiveOnDestroy: boolean } {
  return { retainOnDelete: onDestroy === "keep", archiveOnDestroy: onDestroy === "archive" };
}

/**
 * Repository fields people are expected to change in GitHub's settings: Pulumi sets what it sets
 * at creation and never reverts an edit. autoInit only matters at creation (and is false after an import).
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
    const { appsPath, apps, hooks } = checkGitOpsArgs(args);
    super("cto:gitops:GitOpsRepository", name, {}, opts);
    const destroy = repositoryDestroyBehaviour(args.onDestroy ?? "keep");

    this.repository = new github.Repository(
      `${name}-repo`,
      {
        name: args.repositoryName,
        description: "GitOps source of the cto-metal cluster (Argo CD app of apps)",
        visibility: args.visibility ?? "private",
        autoInit: true,
        archiveOnDestroy: destroy.archiveOnDestroy,
      },
      { parent: this, retainOnDelete: destroy.retainOnDelete, ignoreChanges: USER_OWNED_REPOSITORY_FIELDS },
    );
    const repo = this.repository;
    // With "delete" the hook and key go with the repository instead of one API call each.
    const withRepo = args.onDestroy === "delete" ? { deletedWith: repo } : {};

    new RepositorySeed(
      `${name}-seed`,
      {
        owner: args.org,
        repository: repo.name,
        files: repo.sshCloneUrl.apply((repoUrl) =>
          seedFiles({ repositoryName: args.repositoryName, repoUrl, appsPath, ...(args.argoNamespace ? { argoNamespace: args.argoNamespace } : {}) }),
        ),
      },
      { parent: this, ...withRepo },
    );

    new github.RepositoryDeployKey(
      `${name}-deploy-key`,
      { repository: repo.name, title: `${name}-argocd-read-only`, key: args.deployKeyPublic, readOnly: true },
      { parent: this, ...withRepo },
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
        { parent: this, additionalSecretOutputs: ["configuration"], ...withRepo },
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
