// GitOpsRepository under Pulumi mocks: exact resources, names, inputs and counts; an empty
// repository seeded on the configured branch, which becomes the default branch; the Argo CD
// webhook carries exactly the given URL and secret (and is absent without a URL); the destroy
// behaviour per onDestroy and the other options mocks cannot see, captured by a transformation.
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it, vi } from "vitest";

interface Registration {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}
interface Seen {
  type: string;
  name: string;
  opts: pulumi.ResourceOptions & Record<string, unknown>;
}
const registrations: Registration[] = [];
const invokes: Array<{ token: string; inputs: Record<string, unknown> }> = [];
const seen: Seen[] = [];
const ORG_ID = "987654321";
const WEBHOOK_SECRET = "argo-webhook-shared-secret-value";
const PRIVATE_KEY = "-----BEGIN RSA PRIVATE KEY-----\nmock-key-material\n-----END RSA PRIVATE KEY-----\n";
const DEPLOY_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMockKey argocd";

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        const inputs = args.inputs as Record<string, unknown>;
        registrations.push({ type: args.type, name: args.name, inputs });
        const state: Record<string, unknown> = { ...inputs };
        if (args.type === "github:index/repository:Repository") {
          Object.assign(state, { htmlUrl: `https://github.com/acme/${String(inputs["name"])}`, sshCloneUrl: `git@github.com:acme/${String(inputs["name"])}.git` });
        }
        return { id: `${args.name}-id`, state };
      },
      call: (args) => {
        const inputs = args.inputs as Record<string, unknown>;
        invokes.push({ token: args.token, inputs });
        if (args.token === "github:index/getOrganization:getOrganization") return { ...inputs, id: ORG_ID, login: inputs["name"], orgname: inputs["name"] };
        throw new Error(`unexpected invoke ${args.token}`);
      },
    },
    "cto-metal",
    "cto-test",
  );
});

const value = <T>(output: pulumi.Output<T>): Promise<T> => new Promise((resolve) => output.apply(resolve));
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const isSecretValue = (v: unknown): v is { value: unknown } => v !== null && typeof v === "object" && SECRET_SIG in v;
/** The input with secrets unwrapped, and the paths where a secret was. */
function unwrap(v: unknown, path = "", secrets: string[] = []): { value: unknown; secrets: string[] } {
  if (isSecretValue(v)) {
    secrets.push(path || "(root)");
    return unwrap(v.value, path, secrets);
  }
  if (Array.isArray(v)) return { value: v.map((x, i) => unwrap(x, `${path}[${i}]`, secrets).value), secrets };
  if (v !== null && typeof v === "object") {
    return { value: Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unwrap(x, path ? `${path}.${k}` : k, secrets).value])), secrets };
  }
  return { value: v, secrets };
}

const apps = [
  { name: "Morgan", slug: "morgan-5dlabs" },
  { name: "Rex", slug: "rex-5dlabs" },
];

async function build(prefix: string, extra: Partial<import("../../components/gitops/gitOpsRepository").GitOpsRepositoryArgs>, expected: number) {
  const { GitOpsRepository } = await import("../../components/gitops/gitOpsRepository");
  const root = new pulumi.ComponentResource("test:Root", `${prefix}-root`, {}, {
    transformations: [
      (a) => {
        seen.push({ type: a.type, name: a.name, opts: a.opts as Seen["opts"] });
        return undefined;
      },
    ],
  });
  const gitops = new GitOpsRepository(
    prefix,
    {
      org: "acme",
      repositoryName: `${prefix}-apps`,
      visibility: "private",
      onDestroy: "keep",
      appsPath: "apps",
      webhookSecret: pulumi.secret(WEBHOOK_SECRET),
      deployKeyPublic: DEPLOY_KEY,
      apps,
      ...extra,
    },
    { parent: root },
  );
  const outputs = {
    repoUrl: await value(gitops.repoUrl),
    cloneUrl: await value(gitops.cloneUrl),
    webhookId: await value(gitops.webhookId),
    installLinks: await value(gitops.installLinks),
    installationStatus: await value(gitops.installationStatus),
    appWebhookUrls: await value(gitops.appWebhookUrls),
  };
  const mine = () => registrations.filter((r) => r.type !== "test:Root" && (r.name.startsWith(`${prefix}-`) || r.name === prefix));
  await vi.waitFor(() => expect(mine().length).toBeGreaterThanOrEqual(expected));
  // and nothing more arrives afterwards
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(mine()).toHaveLength(expected);
  const byType = (type: string) => mine().filter((r) => r.type === type);
  const optsOf = (name: string) => seen.find((s) => s.name === name)?.opts;
  return { gitops, outputs, mine, byType, optsOf };
}

describe("GitOpsRepository with an Argo CD URL and App webhooks, kept on destroy", () => {
  let built: Awaited<ReturnType<typeof build>>;
  beforeAll(async () => {
    built = await build(
      "g1",
      {
        argoWebhookUrl: "https://argo.cto.example.com/api/webhook",
        appWebhooks: [
          { slug: "morgan-5dlabs", appId: "111", privateKey: PRIVATE_KEY, url: "https://argo.cto.example.com/hooks/morgan" },
          { slug: "rex-5dlabs", appId: pulumi.output("222"), privateKey: pulumi.secret(PRIVATE_KEY), url: "https://argo.cto.example.com/hooks/rex" },
        ],
        installationStatus: { Morgan: "installed", Rex: "not installed" },
      },
      // component, repo, seed, default branch, deploy key, webhook, two App webhook URLs
      8,
    );
  });

  it("registers exactly the component, repository, seed, default branch, deploy key, webhook and one webhook URL per App", () => {
    expect(built.mine().map((r) => `${r.type} ${r.name}`).sort()).toEqual(
      [
        "cto:gitops:GitOpsRepository g1",
        "github:index/repository:Repository g1-repo",
        "pulumi-nodejs:dynamic/github:RepositorySeed g1-seed",
        "github:index/branchDefault:BranchDefault g1-default-branch",
        "github:index/repositoryDeployKey:RepositoryDeployKey g1-deploy-key",
        "github:index/repositoryWebhook:RepositoryWebhook g1-argocd-webhook",
        "pulumi-nodejs:dynamic/github:AppWebhookUrl g1-morgan-5dlabs-webhook-url",
        "pulumi-nodejs:dynamic/github:AppWebhookUrl g1-rex-5dlabs-webhook-url",
      ].sort(),
    );
  });

  it("creates a private, empty (not auto-initialised) repository that is retained on destroy and leaves user-edited fields alone", () => {
    const [repo] = built.byType("github:index/repository:Repository");
    expect(repo?.inputs).toEqual({
      name: "g1-apps",
      description: "GitOps source of the cto-metal cluster (Argo CD app of apps)",
      visibility: "private",
      autoInit: false,
      archiveOnDestroy: false,
    });
    const opts = built.optsOf("g1-repo")!;
    expect(opts.retainOnDelete).toBe(true);
    expect(opts.ignoreChanges).toEqual(expect.arrayContaining(["description", "topics", "homepageUrl", "hasIssues", "autoInit"]));
    expect(opts.ignoreChanges).not.toContain("visibility");
    expect(opts.ignoreChanges).not.toContain("name");
  });

  it("seeds the four files, README.md included, once into that repository, on branch main by default", () => {
    const [seed] = built.byType("pulumi-nodejs:dynamic/github:RepositorySeed");
    const files = seed?.inputs["files"] as Array<{ path: string; content: string }>;
    expect(seed?.inputs).toMatchObject({ owner: "acme", repository: "g1-apps", branch: "main", providerVersion: "2" });
    expect(files.map((f) => f.path)).toEqual(["README.md", "apps/README.md", "apps/example-hello.yaml", "examples/hello/configmap.yaml"]);
    expect(files[2]?.content).toContain("repoURL: git@github.com:acme/g1-apps.git");
  });

  it("makes the seeded branch the default branch, after the seed created it, and keeps it with the repository", () => {
    const [branch] = built.byType("github:index/branchDefault:BranchDefault");
    expect(branch?.inputs).toEqual({ repository: "g1-apps", branch: "main" });
    const opts = built.optsOf("g1-default-branch")!;
    expect((opts.dependsOn as pulumi.Resource[]).map((r) => r.constructor.name)).toEqual(["RepositorySeed"]);
    expect(opts.retainOnDelete).toBe(true);
    expect(opts.deletedWith).toBeUndefined();
  });

  it("gives Argo CD a read-only deploy key and a push webhook with exactly the given URL and secret", () => {
    const [key] = built.byType("github:index/repositoryDeployKey:RepositoryDeployKey");
    expect(key?.inputs).toEqual({ repository: "g1-apps", title: "g1-argocd-read-only", key: DEPLOY_KEY, readOnly: true });
    const [hook] = built.byType("github:index/repositoryWebhook:RepositoryWebhook");
    const { value: inputs, secrets } = unwrap(hook?.inputs);
    expect(inputs).toEqual({
      repository: "g1-apps",
      active: true,
      events: ["push"],
      configuration: { url: "https://argo.cto.example.com/api/webhook", contentType: "json", insecureSsl: false, secret: WEBHOOK_SECRET },
    });
    expect(secrets.some((p) => p === "configuration" || p === "configuration.secret")).toBe(true);
    expect(built.optsOf("g1-argocd-webhook")?.additionalSecretOutputs).toEqual(["configuration"]);
    expect(built.outputs.webhookId).toBe("g1-argocd-webhook-id");
  });

  it("replaces the deploy key and the webhook delete-first: GitHub refuses the same key or hook twice on one repository (422)", () => {
    // A renamed repository changes their `repository` input, which the GitHub provider replaces.
    expect(built.optsOf("g1-deploy-key")?.deleteBeforeReplace).toBe(true);
    expect(built.optsOf("g1-argocd-webhook")?.deleteBeforeReplace).toBe(true);
    // The repository itself is renamed in place, and what Argo CD syncs follows it.
    expect(built.optsOf("g1-repo")?.deleteBeforeReplace).toBeUndefined();
  });

  it("points each App's webhook at its URL with the private key always secret", () => {
    const hooks = built.byType("pulumi-nodejs:dynamic/github:AppWebhookUrl").sort((a, b) => a.name.localeCompare(b.name));
    expect(hooks).toHaveLength(2);
    const expected: Array<[string, string]> = [
      ["morgan-5dlabs", "111"],
      ["rex-5dlabs", "222"],
    ];
    for (const [i, [slug, appId]] of expected.entries()) {
      const { value: inputs, secrets } = unwrap(hooks[i]?.inputs);
      expect(inputs).toMatchObject({ slug, appId, privateKey: PRIVATE_KEY, url: `https://argo.cto.example.com/hooks/${slug.split("-")[0]}`, providerVersion: "2" });
      expect(secrets).toEqual(["privateKey"]);
      expect(built.optsOf(hooks[i]!.name)?.additionalSecretOutputs).toEqual(["privateKey", "previousUrl", "currentUrl"]);
    }
  });

  it("exports the URLs, one install link per App for the numeric org id, the status and the App webhook URLs, without secrets", async () => {
    expect(built.outputs).toEqual({
      repoUrl: "https://github.com/acme/g1-apps",
      cloneUrl: "git@github.com:acme/g1-apps.git",
      webhookId: "g1-argocd-webhook-id",
      installLinks: {
        Morgan: `https://github.com/apps/morgan-5dlabs/installations/new/permissions?target_id=${ORG_ID}`,
        Rex: `https://github.com/apps/rex-5dlabs/installations/new/permissions?target_id=${ORG_ID}`,
      },
      installationStatus: { Morgan: "installed", Rex: "not installed" },
      appWebhookUrls: { "morgan-5dlabs": "https://argo.cto.example.com/hooks/morgan", "rex-5dlabs": "https://argo.cto.example.com/hooks/rex" },
    });
    expect(invokes.filter((i) => i.token === "github:index/getOrganization:getOrganization").map((i) => i.inputs)).toContainEqual({ name: "acme", summaryOnly: true });
    const text = JSON.stringify(built.outputs);
    expect(text).not.toContain(WEBHOOK_SECRET);
    expect(text).not.toContain("mock-key-material");
    expect(await pulumi.isSecret(built.gitops.installLinks)).toBe(false);
  });
});

describe("GitOpsRepository without an Argo CD URL, archived on destroy", () => {
  it("registers no webhook, archives instead of retaining, and reports unknown installation status", async () => {
    const built = await build("g2", { onDestroy: "archive", branch: "gitops" }, 5);
    // the configured branch is where the seed writes and what becomes the default
    expect(built.byType("pulumi-nodejs:dynamic/github:RepositorySeed")[0]?.inputs["branch"]).toBe("gitops");
    expect(built.byType("github:index/branchDefault:BranchDefault")[0]?.inputs).toEqual({ repository: "g2-apps", branch: "gitops" });
    expect(built.optsOf("g2-default-branch")?.retainOnDelete).toBe(false);
    expect(built.byType("github:index/repositoryWebhook:RepositoryWebhook")).toHaveLength(0);
    expect(built.byType("pulumi-nodejs:dynamic/github:AppWebhookUrl")).toHaveLength(0);
    expect(built.byType("github:index/repository:Repository")[0]?.inputs["archiveOnDestroy"]).toBe(true);
    expect(built.optsOf("g2-repo")?.retainOnDelete).toBe(false);
    expect(built.outputs.webhookId).toBeUndefined();
    expect(built.outputs.appWebhookUrls).toEqual({});
    expect(built.outputs.installationStatus).toEqual({ Morgan: "unknown: not checked", Rex: "unknown: not checked" });
    expect(built.optsOf("g2-deploy-key")?.deletedWith).toBeUndefined();
  });
});

describe("GitOpsRepository deleted on destroy", () => {
  it("deletes the repository and lets the key, webhook and seed go with it", async () => {
    const built = await build("g3", { onDestroy: "delete", visibility: "internal", argoWebhookUrl: "https://argo.example.com/api/webhook" }, 6);
    const repo = built.byType("github:index/repository:Repository")[0]!;
    expect(repo.inputs).toMatchObject({ visibility: "internal", archiveOnDestroy: false });
    expect(built.optsOf("g3-repo")?.retainOnDelete).toBe(false);
    for (const child of ["g3-deploy-key", "g3-argocd-webhook", "g3-seed", "g3-default-branch"]) {
      const deletedWith = built.optsOf(child)?.deletedWith;
      expect(deletedWith && (await value((deletedWith as pulumi.CustomResource).urn))).toMatch(/::g3-repo$/);
    }
  });
});

describe("GitOpsRepository arguments", () => {
  it("refuses a bad slug, a bad apps path and a bad repository name before registering anything", async () => {
    const { GitOpsRepository } = await import("../../components/gitops/gitOpsRepository");
    const base = { org: "acme", repositoryName: "ok", visibility: "private" as const, onDestroy: "keep" as const, appsPath: "apps", webhookSecret: "s", deployKeyPublic: DEPLOY_KEY, apps };
    expect(() => new GitOpsRepository("bad1", { ...base, apps: [{ name: "Rex", slug: "Rex Bot" }] })).toThrow(/not a slug/);
    expect(() => new GitOpsRepository("bad2", { ...base, appsPath: "../apps" })).toThrow(/gitops appsPath/);
    expect(() => new GitOpsRepository("bad3", { ...base, repositoryName: "no spaces" })).toThrow(/repositoryName/);
    expect(() => new GitOpsRepository("bad5", { ...base, branch: "two words" })).toThrow(/gitops branch: "two words" is not a valid git branch name/);
    expect(() => new GitOpsRepository("bad4", { ...base, appWebhooks: [{ slug: "rex", appId: "1", privateKey: "k", url: "u" }, { slug: "rex", appId: "2", privateKey: "k", url: "u" }] })).toThrow(/once/);
  });
});
