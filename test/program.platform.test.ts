// The whole program with its platform and GitOps layers under Pulumi mocks: cto-test as one graph
// (servers, Talos, every chart, every GitHub object), the stack without a GitHub org, and the dev
// stack on an existing cluster. Latitude lookups are served by the emulator, GitHub's installations
// by the fake GitHub; nothing else is dialled. The GitOps change matrix compares the registrations
// of two runs: what is created, changed (and replaced, with which option) or deleted, and what the
// state-only guard's check, which the engine runs at preview with the previous inputs, refuses.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { checkedState } from "./fixtures/checkedState";
import { CHARTS } from "../versions";
import type { GitOpsRemovalGuardInputs } from "../providers/cluster/gitOpsRemovalGuard";
import { startEmulator, type Emulator } from "./emulator";
import { startFakeGitHub, type FakeGitHub } from "./github/fakeGitHub";
import { MOCK_TALOS_SECRETS } from "./fixtures/talosMocks";

interface Registration {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  provider: string | undefined;
  /** What mocks drop: the options the engine would receive. */
  deleteBeforeReplace: boolean;
}
interface RegisterRequest {
  getName(): string;
  getDeletebeforereplace(): boolean;
}
interface PatchableMonitor {
  registerResource(req: RegisterRequest, callback: unknown): unknown;
}
let emulator: Emulator;
let github: FakeGitHub;
const registered: Registration[] = [];
const deleteBeforeReplace = new Map<string, boolean>();
const configPatches: string[][] = [];
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const NGROK_API_KEY = "sentinel-ngrok-api-key-5c2f";
const NGROK_AUTHTOKEN = "sentinel-ngrok-authtoken-9e41";
const GITHUB_TOKEN = "sentinel-github-token-7d0b";

/** A kubeconfig as Talos writes one: the VaultInit provider reads its API server and certificates. */
const pem = (label: string) => Buffer.from(`-----BEGIN ${label}-----\nAAAA\n-----END ${label}-----\n`).toString("base64");
const KUBECONFIG = [
  "apiVersion: v1",
  "kind: Config",
  `clusters: [{name: cto, cluster: {server: 'https://127.0.0.7:6443', certificate-authority-data: ${pem("CERTIFICATE")}}}]`,
  `users: [{name: admin@cto, user: {client-certificate-data: ${pem("CERTIFICATE")}, client-key-data: ${pem("PRIVATE KEY")}}}]`,
  "contexts: [{name: admin@cto, context: {cluster: cto, user: admin@cto}}]",
  "current-context: admin@cto",
].join("\n");

const CTO_TEST = {
  "cto-metal:project": '{"name":"cto-test","provisioningType":"on_demand"}',
  "cto-metal:site": "MIA2",
  "cto-metal:plan": "c2-small-x86",
  "cto-metal:nodes": '[{"name":"cp1","role":"controlplane"},{"name":"worker1","role":"worker"}]',
  "cto-metal:githubOrg": "5dlabs-test",
  "cto-metal:argocdDomain": "argocd.cto-test.ngrok.app",
  "cto-metal:ngrokApiKey": NGROK_API_KEY,
  "cto-metal:ngrokAuthtoken": NGROK_AUTHTOKEN,
  "github:token": GITHUB_TOKEN,
};
const SECRET_CONFIG = ["cto-metal:ngrokApiKey", "cto-metal:ngrokAuthtoken", "github:token"];

/** Secret values reach the mocks wrapped: unwrap them, remembering that they were secret. */
function unwrap(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unwrap);
  if (value !== null && typeof value === "object") {
    if (SECRET_SIG in value) return unwrap((value as unknown as { value: unknown }).value);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrap(v)]));
  }
  return value;
}

/** Every string in an input tree outside the values wrapped as secrets. */
function plainStrings(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(plainStrings);
  if (value !== null && typeof value === "object") return SECRET_SIG in value ? [] : Object.values(value).flatMap(plainStrings);
  return typeof value === "string" ? [value] : [];
}

async function runProgram(stack: string, config: Record<string, string>) {
  registered.length = 0;
  configPatches.length = 0;
  deleteBeforeReplace.clear();
  emulator.clearLog();
  github.clearLog();
  await pulumi.runtime.setMocks(
    {
      newResource: async (args) => {
        registered.push({ type: args.type, name: args.name, inputs: args.inputs as Record<string, unknown>, provider: args.provider, deleteBeforeReplace: deleteBeforeReplace.get(args.name) ?? false });
        const state: Record<string, unknown> = await checkedState(args.type, { ...(args.inputs as Record<string, unknown>) });
        if (args.type.endsWith(":Server")) Object.assign(state, { serverId: `sv_${args.name}`, primaryIpv4: "127.0.0.7" });
        if (args.type.endsWith(":Project")) state["projectId"] = "proj_new";
        if (args.type.endsWith(":Tag")) state["tagId"] = "tag_new";
        if (args.type === "talos:machine/secrets:Secrets") Object.assign(state, MOCK_TALOS_SECRETS);
        if (args.type === "talos:cluster/kubeconfig:Kubeconfig") state["kubeconfigRaw"] = KUBECONFIG;
        if (args.type === "github:index/repository:Repository") {
          const name = String((args.inputs as { name?: string }).name);
          Object.assign(state, { htmlUrl: `https://github.com/5dlabs-test/${name}`, sshCloneUrl: `git@github.com:5dlabs-test/${name}.git` });
        }
        // The generators never run under mocks: stand in for what they would return.
        if (args.type.endsWith(":RandomSecret")) state["value"] = `secret-of-${args.name}`;
        if (args.type.endsWith(":AdminPassword")) Object.assign(state, { password: "admin-password", bcryptHash: "$2a$10$hash", passwordMtime: "2026-12-01T00:00:00Z" });
        if (args.type.endsWith(":SshKeyPair")) Object.assign(state, { publicKey: "ssh-ed25519 AAAA argocd", privateKey: "-----BEGIN PRIVATE KEY-----" });
        if (args.type === "kubernetes:helm.sh/v3:Release") state["status"] = { name: (args.inputs as { name?: string }).name };
        return { id: `${args.name}-id`, state };
      },
      call: (args) => {
        const inputs = args.inputs as Record<string, unknown>;
        if (args.token === "talos:machine/getConfiguration:getConfiguration") {
          configPatches.push(inputs["configPatches"] as string[]);
          return { ...inputs, machineConfiguration: "machine-config" };
        }
        if (args.token === "talos:client/getConfiguration:getConfiguration") return { ...inputs, talosConfig: "talosconfig-text" };
        if (args.token === "talos:cluster/getHealth:getHealth") return { ...inputs };
        if (args.token === "github:index/getOrganization:getOrganization") return { ...inputs, id: "4242", login: "5dlabs-test" };
        throw new Error(`unexpected invoke ${args.token}`);
      },
    },
    "cto-metal",
    stack,
  );
  // Mocks drop resource options; the monitor still receives them in the request.
  const monitor = pulumi.runtime.getMonitor() as unknown as PatchableMonitor;
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) => {
    deleteBeforeReplace.set(req.getName(), req.getDeletebeforereplace());
    return register(req, callback);
  };
  pulumi.runtime.setAllConfig({ ...config, "latitudesh:authToken": "any-key" }, ["latitudesh:authToken", ...SECRET_CONFIG]);
  vi.resetModules();
  const program = (await import("../index")).default;
  try {
    return await program();
  } finally {
    await settled();
  }
}

/** Registrations arrive as their inputs resolve: wait until the count settles. */
async function settled(): Promise<void> {
  let count = -1;
  while (count !== registered.length) {
    count = registered.length;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

const value = (output: unknown): Promise<unknown> => new Promise((resolve) => (output as pulumi.Output<unknown>).apply(resolve));
const releases = () => registered.filter((r) => r.type === "kubernetes:helm.sh/v3:Release");
const indexOf = (name: string) => registered.findIndex((r) => r.name === name);

beforeAll(async () => {
  emulator = await startEmulator();
  vi.stubEnv("LATITUDESH_API_URL", emulator.url);
  vi.stubEnv("LATITUDESH_AUTH_TOKEN", "any-key");
  // The token comes from github:token unless a test says otherwise; the installation check asks the fake.
  github = await startFakeGitHub();
  github.tokens.add(GITHUB_TOKEN);
  github.installations.set("5dlabs-test", ["morgan"]);
  vi.stubEnv("GITHUB_TOKEN", "");
  vi.stubEnv("GITHUB_API_URL", github.url);
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await emulator.close();
  await github.close();
});

describe("cto-test as one graph", () => {
  it("registers servers, Talos, every chart and every GitHub object", async () => {
    const outputs = await runProgram("cto-test", CTO_TEST);
    const types = new Set(registered.map((r) => r.type));
    for (const type of [
      "pulumi-nodejs:dynamic/latitude:Server",
      "talos:machine/bootstrap:Bootstrap",
      "pulumi:providers:kubernetes",
      "kubernetes:helm.sh/v3:Release",
      "pulumi-nodejs:dynamic/vault:VaultInit",
      "github:index/repository:Repository",
      "github:index/repositoryWebhook:RepositoryWebhook",
      "github:index/repositoryDeployKey:RepositoryDeployKey",
    ]) {
      expect(types, type).toContain(type);
    }
    expect(releases().map((r) => r.inputs["name"]).sort()).toEqual(["argocd", "cert-manager", "local-path-provisioner", "ngrok-operator", "vault"]);
    expect(await value(outputs["argocdUrl"])).toBe("https://argocd.cto-test.ngrok.app");
    for (const key of ["argocdAdminPassword", "vaultUnsealKeys", "vaultRootToken", "kubeconfig", "talosconfig"]) {
      expect(await pulumi.isSecret(outputs[key] as pulumi.Output<unknown>), key).toBe(true);
    }
    const gitops = outputs["gitops"] as Record<string, pulumi.Output<unknown>>;
    expect(await value(gitops["repoUrl"])).toBe("https://github.com/5dlabs-test/cto-apps");
    expect(await value(gitops["appInstallLinks"])).toMatchObject({ Morgan: "https://github.com/apps/morgan/installations/new/permissions?target_id=4242" });
    expect(await value(gitops["appInstallationStatus"])).toMatchObject({ Morgan: "installed", Rex: "not installed" });
    // The program only read Latitude: the writes belong to the providers, which mocks never run.
    expect(emulator.requests.every((r) => r.method === "GET")).toBe(true);
  });

  it("pins every chart and puts it on the cluster's provider", async () => {
    await runProgram("cto-test", CTO_TEST);
    const provider = registered.find((r) => r.type === "pulumi:providers:kubernetes")!;
    expect(unwrap(provider.inputs["kubeconfig"])).toBe(KUBECONFIG);
    const pins: Record<string, { repo: string; chart: string; version: string; namespace: string }> = {
      "local-path-provisioner": { ...CHARTS.localPath, namespace: "local-path-storage" },
      "cert-manager": { ...CHARTS.certManager, namespace: "cert-manager" },
      "ngrok-operator": { ...CHARTS.ngrok, namespace: "ngrok-operator" },
      argocd: { ...CHARTS.argocd, namespace: "argocd" },
      vault: { ...CHARTS.vault, namespace: "vault" },
    };
    for (const release of releases()) {
      const pin = pins[release.inputs["name"] as string]!;
      expect(release.inputs, release.name).toMatchObject({ chart: pin.chart, version: pin.version, repositoryOpts: { repo: pin.repo }, namespace: pin.namespace });
      expect(release.provider, release.name).toMatch(/^urn:pulumi:cto-test::cto-metal::pulumi:providers:kubernetes::cto-k8s::/);
    }
  });

  it("orders by data: storage before Vault, Argo CD before its root Application, ngrok before Argo's Ingress class", async () => {
    await runProgram("cto-test", CTO_TEST);
    const vault = releases().find((r) => r.inputs["name"] === "vault")!;
    const storage = releases().find((r) => r.inputs["name"] === "local-path-provisioner")!;
    expect(indexOf(storage.name)).toBeLessThan(indexOf(vault.name));
    expect(JSON.stringify(unwrap(vault.inputs["values"]))).toContain('"storageClass":"local-path"');
    const root = registered.find((r) => r.type === "kubernetes:argoproj.io/v1alpha1:Application")!;
    expect(indexOf(releases().find((r) => r.inputs["name"] === "argocd")!.name)).toBeLessThan(indexOf(root.name));
    expect(unwrap(root.inputs["spec"])).toMatchObject({ source: { repoURL: "git@github.com:5dlabs-test/cto-apps.git", path: "apps", targetRevision: "main" } });
  });

  it("points the webhook at Argo CD's domain with the very secret Argo CD verifies", async () => {
    await runProgram("cto-test", CTO_TEST);
    const hook = registered.find((r) => r.type === "github:index/repositoryWebhook:RepositoryWebhook")!;
    const configuration = unwrap(hook.inputs["configuration"]) as { url: string; secret: string; contentType: string };
    expect(configuration.url).toBe("https://argocd.cto-test.ngrok.app/api/webhook");
    expect(hook.inputs["events"]).toEqual(["push"]);
    const argo = unwrap(releases().find((r) => r.inputs["name"] === "argocd")!.inputs["values"]) as { configs: { secret: { githubSecret: string } } };
    expect(configuration.secret).toBe("secret-of-cto-platform-secrets-webhook");
    expect(argo.configs.secret.githubSecret).toBe(configuration.secret);
    // The deploy key GitHub gets is the public half of the key Argo CD pulls with.
    const deployKey = registered.find((r) => r.type === "github:index/repositoryDeployKey:RepositoryDeployKey")!;
    expect(deployKey.inputs).toMatchObject({ readOnly: true, key: "ssh-ed25519 AAAA argocd" });
    const repoSecret = registered.find((r) => r.type === "kubernetes:core/v1:Secret" && r.name.includes("argocd"))!;
    expect(JSON.stringify(unwrap(repoSecret.inputs))).toContain("-----BEGIN PRIVATE KEY-----");
  });

  it("keeps the ngrok credentials and the GitHub token out of every input in plain text", async () => {
    await runProgram("cto-test", CTO_TEST);
    const texts = registered.flatMap((r) => plainStrings(r.inputs));
    expect(texts.some((t) => t.includes(NGROK_API_KEY) || t.includes(NGROK_AUTHTOKEN) || t.includes(GITHUB_TOKEN))).toBe(false);
    expect(JSON.stringify(registered.map((r) => r.inputs))).toContain(NGROK_API_KEY); // present, but only wrapped as a secret
  });

  it("adds the local-path kubelet mount to every Talos config, and not when the platform is skipped", async () => {
    const mount = { destination: "/var/mnt/local-path-provisioner", type: "bind", source: "/var/mnt/local-path-provisioner", options: ["rbind", "rshared", "rw"] };
    const hasMount = (patches: string[]) => patches.some((p) => JSON.stringify((JSON.parse(p) as { machine?: { kubelet?: unknown } }).machine?.kubelet ?? null).includes(JSON.stringify(mount)));
    await runProgram("cto-test", CTO_TEST);
    expect(configPatches).toHaveLength(2);
    expect(configPatches.every(hasMount)).toBe(true);
    await runProgram("cto-test", { ...CTO_TEST, "cto-metal:skipStack": "true" });
    expect(configPatches).toHaveLength(2);
    expect(configPatches.some(hasMount)).toBe(false);
  });
});

describe("ngrok credentials from the environment (how CI passes them)", () => {
  it("takes NGROK_API_KEY and NGROK_AUTHTOKEN when the secret keys are not set, and keeps them secret", async () => {
    const config: Record<string, string> = { ...CTO_TEST };
    delete config["cto-metal:ngrokApiKey"];
    delete config["cto-metal:ngrokAuthtoken"];
    vi.stubEnv("NGROK_API_KEY", "env-ngrok-key-31f7");
    vi.stubEnv("NGROK_AUTHTOKEN", "env-ngrok-token-88a0");
    try {
      await runProgram("cto-test", config);
    } finally {
      vi.stubEnv("NGROK_API_KEY", "");
      vi.stubEnv("NGROK_AUTHTOKEN", "");
    }
    expect(releases().map((r) => r.inputs["name"])).toContain("ngrok-operator");
    const credentials = registered.find((r) => r.type === "kubernetes:core/v1:Secret" && r.name.includes("ngrok"))!;
    expect(JSON.stringify(unwrap(credentials.inputs))).toContain("env-ngrok-key-31f7");
    const texts = registered.flatMap((r) => plainStrings(r.inputs));
    expect(texts.some((t) => t.includes("env-ngrok-key-31f7") || t.includes("env-ngrok-token-88a0"))).toBe(false);
  });
});

describe("the GitHub token", () => {
  const withoutToken = (): Record<string, string> => {
    const config: Record<string, string> = { ...CTO_TEST };
    delete config["github:token"];
    return config;
  };
  const gitHubRegistrations = () => registered.filter((r) => r.type.startsWith("github:") || r.type.includes("dynamic/github") || r.type.startsWith("pulumi:providers:github"));

  it("is required with a GitHub organization: the preview fails naming github:token, before any GitHub resource or call", async () => {
    await expect(runProgram("cto-test", withoutToken())).rejects.toThrow(
      'cto-metal:githubOrg is "5dlabs-test", so the GitOps repository, its deploy key and its webhook are managed on GitHub: ' +
        "expected a GitHub token in github:token or GITHUB_TOKEN, got neither",
    );
    expect(gitHubRegistrations()).toEqual([]);
    expect(github.requests).toEqual([]);
  });

  it("may come from GITHUB_TOKEN, which the installation check then uses", async () => {
    vi.stubEnv("GITHUB_TOKEN", GITHUB_TOKEN);
    let outputs: Record<string, unknown>;
    try {
      outputs = await runProgram("cto-test", withoutToken());
    } finally {
      vi.stubEnv("GITHUB_TOKEN", "");
    }
    expect(gitHubRegistrations().length).toBeGreaterThan(0);
    const gitops = outputs["gitops"] as Record<string, pulumi.Output<unknown>>;
    expect(await value(gitops["appInstallationStatus"])).toMatchObject({ Morgan: "installed" });
    expect(github.requests.map((r) => r.authorization)).toContain(`Bearer ${GITHUB_TOKEN}`);
  });
});

/** One run's registrations by name, inputs without secrets' wrapping or the dynamic providers' code. */
type Snapshot = Map<string, { type: string; inputs: Record<string, unknown>; deleteBeforeReplace: boolean }>;
function snapshot(): Snapshot {
  return new Map(
    registered
      .filter((r) => !r.type.startsWith("cto:"))
      .map((r) => {
        const inputs = { ...(unwrap(r.inputs) as Record<string, unknown>) };
        delete inputs["__provider"];
        return [r.name, { type: r.type, inputs, deleteBeforeReplace: r.deleteBeforeReplace }];
      }),
  );
}

/**
 * Inputs the GitHub provider answers with a replace when they change (the SDK declares none, see
 * components/gitops/gitOpsRepository.ts): every field of a deploy key, a webhook's repository.
 */
const REPLACED_ON: Record<string, readonly string[]> = {
  "github:index/repositoryDeployKey:RepositoryDeployKey": ["key", "readOnly", "repository", "title"],
  "github:index/repositoryWebhook:RepositoryWebhook": ["repository"],
};

/** What the engine would do from `before` to `after`: per changed resource, its changed inputs. */
function plan(before: Snapshot, after: Snapshot) {
  const created = [...after.keys()].filter((name) => !before.has(name)).sort();
  const deleted = [...before.keys()].filter((name) => !after.has(name)).sort();
  const changed: Record<string, string[]> = {};
  for (const [name, next] of after) {
    const previous = before.get(name);
    if (!previous) continue;
    const keys = [...new Set([...Object.keys(previous.inputs), ...Object.keys(next.inputs)])];
    const differing = keys.filter((key) => JSON.stringify(previous.inputs[key]) !== JSON.stringify(next.inputs[key])).sort();
    if (differing.length > 0) changed[name] = differing;
  }
  const replaced = Object.entries(changed)
    .filter(([name, keys]) => keys.some((key) => REPLACED_ON[after.get(name)!.type]?.includes(key)))
    .map(([name]) => name)
    .sort();
  return { created, deleted, changed, replaced };
}

const GUARD = "cto-gitops-guard";
const guardInputs = (snap: Snapshot) => snap.get(GUARD)?.inputs as GitOpsRemovalGuardInputs | undefined;
/** The guard's check as the engine runs it at preview: previous inputs, then this run's. */
async function guardCheck(before: Snapshot, after: Snapshot) {
  expect(guardInputs(before), `${GUARD} in the first run`).toBeDefined();
  expect(guardInputs(after), `${GUARD} in the second run`).toBeDefined();
  const { gitOpsRemovalGuardProvider } = await import("../providers/cluster/gitOpsRemovalGuard");
  return gitOpsRemovalGuardProvider.check!(guardInputs(before)!, guardInputs(after)!);
}

describe("change matrix: the GitOps repository (under mocks)", () => {
  it("skip the platform (skipStack) of a stack with GitOps: refused at preview like a removal, since the root Application goes too", async () => {
    await runProgram("cto-test", CTO_TEST);
    const before = snapshot();
    await runProgram("cto-test", { ...CTO_TEST, "cto-metal:skipStack": "true" });
    const after = snapshot();
    const result = await guardCheck(before, after);
    expect(result.failures?.[0]?.reason).toContain("allowGitOpsRemoval");
  });

  it("rename the GitOps repo: renamed in place; the deploy key and the webhook replaced delete-first; Argo CD follows the new URL", async () => {
    await runProgram("cto-test", CTO_TEST);
    const before = snapshot();
    await runProgram("cto-test", { ...CTO_TEST, "cto-metal:gitopsRepo": '{"name":"cto-gitops"}' });
    const after = snapshot();
    const { created, deleted, changed, replaced } = plan(before, after);
    expect(created).toEqual([]);
    expect(deleted).toEqual([]);
    expect(changed).toEqual({
      "cto-gitops-repo": ["name"],
      "cto-gitops-seed": ["files", "repository"],
      "cto-gitops-default-branch": ["repository"],
      "cto-gitops-deploy-key": ["repository"],
      "cto-gitops-argocd-webhook": ["repository"],
      "cto-platform-argocd-repo": ["stringData"],
      "cto-platform-argocd-root": ["spec"],
    });
    expect(replaced).toEqual(["cto-gitops-argocd-webhook", "cto-gitops-deploy-key"]);
    // GitHub answers 422 to the same deploy key or hook added twice: the old one goes first.
    for (const name of replaced) expect(after.get(name)!.deleteBeforeReplace, name).toBe(true);
    expect(after.get("cto-gitops-repo")!.deleteBeforeReplace).toBe(false);
    expect(after.get("cto-platform-argocd-root")!.inputs["spec"]).toMatchObject({ source: { repoURL: "git@github.com:5dlabs-test/cto-gitops.git" } });
    expect(guardInputs(after)).toEqual(guardInputs(before));
  });

  const withoutGitOps = (more: Record<string, string> = {}): Record<string, string> => {
    const config: Record<string, string> = { ...CTO_TEST, ...more };
    delete config["cto-metal:githubOrg"];
    delete config["github:token"];
    return config;
  };
  /** Everything the GitOps repository brought: its GitHub objects, Argo CD's root Application and repository Secret. */
  const GITOPS_RESOURCES = [
    "cto-github",
    "cto-gitops-argocd-webhook",
    "cto-gitops-default-branch",
    "cto-gitops-deploy-key",
    "cto-gitops-repo",
    "cto-gitops-seed",
    "cto-platform-argocd-repo",
    "cto-platform-argocd-root",
  ];

  it("remove the GitOps repo from config without confirmation: refused at preview, naming the key that confirms it", async () => {
    await runProgram("cto-test", CTO_TEST);
    const before = snapshot();
    await runProgram("cto-test", withoutGitOps());
    const after = snapshot();
    expect(plan(before, after).deleted).toEqual(GITOPS_RESOURCES);
    // The engine runs the guard's check with the previous inputs before it deletes anything.
    const checked = await guardCheck(before, after);
    expect(checked.inputs).toBeUndefined();
    expect(checked.failures).toEqual([{ property: "rootApplication", reason: expect.stringContaining("confirm with `pulumi config set cto-metal:allowGitOpsRemoval true`") as unknown }]);
    expect(checked.failures?.[0]?.reason).toMatch(/^cto-metal:githubOrg: expected the GitOps repository to stay configured, got none; .*every app it deployed/);
  });

  it("remove the GitOps repo from config with cto-metal:allowGitOpsRemoval: allowed; the root Application and the GitHub objects go", async () => {
    await runProgram("cto-test", CTO_TEST);
    const before = snapshot();
    await runProgram("cto-test", withoutGitOps({ "cto-metal:allowGitOpsRemoval": "true" }));
    const after = snapshot();
    expect(plan(before, after)).toMatchObject({ created: [], deleted: GITOPS_RESOURCES });
    const checked = await guardCheck(before, after);
    expect(checked).toEqual({ inputs: { providerVersion: "1", rootApplication: false, allowRemoval: true } });
  });
});

describe("without a GitHub organization", () => {
  it("installs the platform and registers no GitHub resource", async () => {
    const config: Record<string, string> = { ...CTO_TEST };
    delete config["cto-metal:githubOrg"];
    const outputs = await runProgram("cto-test", config);
    expect(registered.filter((r) => r.type.startsWith("github:") || r.type.includes("dynamic/github") || r.type.startsWith("pulumi:providers:github"))).toEqual([]);
    expect(outputs["gitops"]).toBe("skipped: no cto-metal:githubOrg configured");
    expect(registered.some((r) => r.type === "kubernetes:argoproj.io/v1alpha1:Application")).toBe(false);
    expect(releases()).toHaveLength(5);
  });

  it("brings up the cluster only with skipStack", async () => {
    await runProgram("cto-test", { ...CTO_TEST, "cto-metal:skipStack": "true" });
    expect(registered.filter((r) => r.type.startsWith("kubernetes:") || r.type.startsWith("github:") || r.type.startsWith("cto:platform"))).toEqual([]);
    expect(registered.some((r) => r.type === "talos:cluster/kubeconfig:Kubeconfig")).toBe(true);
  });
});

describe("the dev stack on an existing cluster", () => {
  it("registers no Latitude or Talos resource and installs the platform with the file's context", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dev-kubeconfig-"));
    const file = path.join(dir, "config");
    fs.writeFileSync(file, KUBECONFIG);
    const outputs = await runProgram("dev", { "cto-metal:clusterSource": "kubeconfig", "cto-metal:kubeconfigPath": file, "cto-metal:kubeContext": "admin@cto" });
    expect(registered.filter((r) => r.type.includes("latitude") || r.type.startsWith("talos:") || r.type.startsWith("cto:talos") || r.type.startsWith("cto:fleet"))).toEqual([]);
    const provider = registered.find((r) => r.type === "pulumi:providers:kubernetes")!;
    expect(provider.inputs["context"]).toBe("admin@cto");
    expect(unwrap(provider.inputs["kubeconfig"])).toBe(KUBECONFIG);
    expect(releases().map((r) => r.inputs["name"]).sort()).toEqual(["argocd", "cert-manager", "local-path-provisioner", "vault"]);
    expect(outputs["kubeconfigPath"]).toBe(file);
    expect(await value(outputs["argocdUrl"])).toBeUndefined();
    expect(emulator.requests).toEqual([]);
  });

  it("names the key when the kubeconfig file is missing", async () => {
    await expect(runProgram("dev", { "cto-metal:clusterSource": "kubeconfig", "cto-metal:kubeconfigPath": "/nonexistent/kubeconfig" })).rejects.toThrow(
      /^cto-metal:kubeconfigPath: cannot read the kubeconfig \/nonexistent\/kubeconfig \(ENOENT\)/,
    );
    expect(registered).toEqual([]);
  });
});
