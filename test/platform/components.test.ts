// LocalPathStorage, CertManager, NgrokOperator and ArgoCd under Pulumi mocks: exact resource types,
// names and counts, Releases pinned from versions.ts, values with the override merged, custom
// resources ordered after their release, deletedWith and the k8s provider on every child, and no
// secret in plain text in any Release or Secret input.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { APPLICATION_HEALTH_KEY, APPLICATION_HEALTH_LUA } from "../../components/platform/argoCdValues";
import { CHARTS } from "../../versions";

interface Registration {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  provider?: string;
}
const registrations: Registration[] = [];
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registrations.push({ type: args.type, name: args.name, inputs: args.inputs as Record<string, unknown>, provider: args.provider });
        return { id: `${args.name}-id`, state: { ...(args.inputs as Record<string, unknown>) } };
      },
      call: (args) => {
        throw new Error(`unexpected invoke ${args.token}`);
      },
    },
    "cto-metal",
    "cto-test",
  );
});

const value = <T>(output: pulumi.Output<T>): Promise<T> => new Promise((resolve) => output.apply(resolve));

interface Seen {
  type: string;
  name: string;
  props: Record<string, unknown>;
  opts: pulumi.CustomResourceOptions;
}

class MockCluster extends pulumi.CustomResource {
  constructor(name: string) {
    super("test:Cluster", name, {});
  }
}

/** Builds `make(parent)` under a root that records every descendant's options. */
async function build<T extends pulumi.ComponentResource>(prefix: string, make: (opts: pulumi.ComponentResourceOptions, cluster: MockCluster) => T, expected: number) {
  const seen: Seen[] = [];
  const root = new pulumi.ComponentResource("test:Root", `${prefix}-testroot`, {}, {
    transformations: [(a) => { seen.push({ type: a.type, name: a.name, props: a.props, opts: a.opts }); return undefined; }],
  });
  const cluster = new MockCluster(`${prefix}-cluster`);
  const provider = new k8s.Provider(`${prefix}-k8s`, { kubeconfig: "apiVersion: v1" });
  const component = make({ parent: root, providers: [provider] }, cluster);
  await vi.waitFor(() => expect(mine(prefix).length).toBeGreaterThanOrEqual(expected));
  await new Promise((r) => setTimeout(r, 50));
  const children = seen.filter((s) => s.type !== "test:Root" && s.opts.parent !== root);
  return { component, cluster, seen, children, regs: mine(prefix), providerName: `${prefix}-k8s` };
}

/** Registrations of one test's resources (the names carry its prefix), without root, cluster and provider. */
const mine = (prefix: string) => registrations.filter((r) => r.name.startsWith(prefix) && !["test:Root", "test:Cluster", "pulumi:providers:kubernetes"].includes(r.type));

function isSecret(value: unknown): boolean {
  return value !== null && typeof value === "object" && SECRET_SIG in value;
}
function unwrap(value: unknown): unknown {
  return isSecret(value) ? (value as { value: unknown }).value : value;
}
function at(obj: unknown, path: string[]): unknown {
  return path.reduce<unknown>((o, key) => (o as Record<string, unknown> | undefined)?.[key], unwrap(obj));
}

function expectChildrenDeletedWithCluster(children: Seen[], cluster: MockCluster, count: number) {
  const custom = children.filter((c) => !c.type.startsWith("cto:"));
  expect(custom).toHaveLength(count);
  for (const child of custom) expect(child.opts.deletedWith, `${child.type} ${child.name}`).toBe(cluster);
}

function expectProvider(regs: Registration[], providerName: string) {
  for (const reg of regs.filter((r) => r.type.startsWith("kubernetes:"))) expect(reg.provider, reg.name).toContain(`::${providerName}::`);
}

describe("LocalPathStorage", () => {
  it("installs the pinned chart as the default class into a privileged namespace", async () => {
    const { LocalPathStorage } = await import("../../components/platform/localPathStorage");
    const { component, cluster, children, regs, providerName } = await build("lp", (opts, c) => new LocalPathStorage("lp", { values: { resources: { requests: { cpu: "10m" } }, storageClass: { reclaimPolicy: "Retain" } }, deletedWith: c }, opts), 3);
    expect(regs.map((r) => `${r.type} ${r.name}`).sort()).toEqual(["cto:platform:LocalPathStorage lp", "kubernetes:core/v1:Namespace lp-ns", "kubernetes:helm.sh/v3:Release lp"]);
    const ns = regs.find((r) => r.type === "kubernetes:core/v1:Namespace")!;
    expect(at(ns.inputs, ["metadata", "labels", "pod-security.kubernetes.io/enforce"])).toBe("privileged");
    const release = regs.find((r) => r.type === "kubernetes:helm.sh/v3:Release")!;
    expect(release.inputs).toMatchObject({ name: "local-path-provisioner", namespace: "local-path-storage", createNamespace: false, chart: CHARTS.localPath.chart, version: CHARTS.localPath.version, repositoryOpts: { repo: CHARTS.localPath.repo } });
    expect(release.inputs["values"]).toEqual({
      storageClass: { create: true, defaultClass: true, name: "local-path", reclaimPolicy: "Retain", volumeBindingMode: "WaitForFirstConsumer" },
      nodePathMap: [{ node: "DEFAULT_PATH_FOR_NON_LISTED_NODES", paths: ["/var/mnt/local-path-provisioner"] }],
      resources: { requests: { cpu: "10m" } },
    });
    expect(await value(component.storageClassName)).toBe("local-path");
    expect(await value(component.namespace)).toBe("local-path-storage");
    expectChildrenDeletedWithCluster(children, cluster, 2);
    expectProvider(regs, providerName);
  });
});

describe("CertManager", () => {
  it("installs the chart with CRDs, then self-signed → CA certificate → CA issuer and an ACME issuer, all after the release", async () => {
    const { CertManager } = await import("../../components/platform/certManager");
    const { component, cluster, children, regs, providerName } = await build("cm", (opts, c) => new CertManager("cm", { acme: { environment: "staging", email: "ops@example.com" }, values: { replicaCount: 2 }, deletedWith: c }, opts), 7);
    expect(regs.map((r) => `${r.type} ${r.name}`).sort()).toEqual([
      "cto:platform:CertManager cm",
      "kubernetes:cert-manager.io/v1:Certificate cm-internal-ca-cert",
      "kubernetes:cert-manager.io/v1:ClusterIssuer cm-acme",
      "kubernetes:cert-manager.io/v1:ClusterIssuer cm-internal-ca",
      "kubernetes:cert-manager.io/v1:ClusterIssuer cm-selfsigned",
      "kubernetes:core/v1:Namespace cm-ns",
      "kubernetes:helm.sh/v3:Release cm",
    ]);
    const release = regs.find((r) => r.type === "kubernetes:helm.sh/v3:Release")!;
    expect(release.inputs).toMatchObject({ name: "cert-manager", namespace: "cert-manager", createNamespace: false, chart: "cert-manager", version: CHARTS.certManager.version, repositoryOpts: { repo: CHARTS.certManager.repo } });
    expect(release.inputs["values"]).toEqual({ crds: { enabled: true, keep: true }, replicaCount: 2 });
    const acme = regs.find((r) => r.name === "cm-acme")!;
    expect(at(acme.inputs, ["spec", "acme", "solvers"])).toEqual([{ http01: { ingress: { ingressClassName: "ngrok" } } }]);
    expect(at(acme.inputs, ["spec", "acme", "server"])).toBe("https://acme-staging-v02.api.letsencrypt.org/directory");
    expect(at(regs.find((r) => r.name === "cm-internal-ca-cert")!.inputs, ["metadata", "namespace"])).toBe("cert-manager");

    const byName = (n: string) => children.find((c) => c.name === n)!;
    for (const n of ["cm-selfsigned", "cm-internal-ca-cert", "cm-internal-ca", "cm-acme"]) expect(byName(n).opts.dependsOn, n).toContain(component.release);
    expect((byName("cm-internal-ca-cert").opts.dependsOn as pulumi.Resource[]).map((r) => r.constructor.name)).toEqual(["Release", "CustomResource"]);
    expect(await value(component.selfSignedIssuerName)).toBe("selfsigned");
    expect(await value(component.caIssuerName)).toBe("internal-ca");
    expect(await value(component.acmeIssuerName)).toBe("letsencrypt-staging");
    expectChildrenDeletedWithCluster(children, cluster, 6);
    expectProvider(regs, providerName);
  });

  it("has no ACME issuer unless asked", async () => {
    const { CertManager } = await import("../../components/platform/certManager");
    const { component, regs } = await build("cn", (opts) => new CertManager("cn", {}, opts), 6);
    expect(regs.filter((r) => r.type.endsWith(":ClusterIssuer")).map((r) => r.name).sort()).toEqual(["cn-internal-ca", "cn-selfsigned"]);
    expect(await value(component.acmeIssuerName)).toBeUndefined();
  });
});

describe("NgrokOperator", () => {
  it("puts the credentials in a Secret the chart reads by name, and creates the ngrok ingress class", async () => {
    const { NgrokOperator } = await import("../../components/platform/ngrokOperator");
    const { component, cluster, children, regs, providerName } = await build("ng", (opts, c) => new NgrokOperator("ng", { apiKey: pulumi.secret("API-KEY-1"), authtoken: pulumi.secret("TOKEN-1"), values: { description: "cto" }, deletedWith: c }, opts), 4);
    expect(regs.map((r) => `${r.type} ${r.name}`).sort()).toEqual(["cto:platform:NgrokOperator ng", "kubernetes:core/v1:Namespace ng-ns", "kubernetes:core/v1:Secret ng-credentials", "kubernetes:helm.sh/v3:Release ng"]);
    const secret = regs.find((r) => r.type === "kubernetes:core/v1:Secret")!;
    expect(at(secret.inputs, ["metadata"])).toEqual({ name: "ngrok-operator-credentials", namespace: "ngrok-operator" });
    const stringData = secret.inputs["stringData"] as Record<string, unknown>;
    expect(isSecret(stringData) || (isSecret(stringData["API_KEY"]) && isSecret(stringData["AUTHTOKEN"]))).toBe(true);
    const data = unwrap(stringData) as Record<string, unknown>;
    expect({ API_KEY: unwrap(data["API_KEY"]), AUTHTOKEN: unwrap(data["AUTHTOKEN"]) }).toEqual({ API_KEY: "API-KEY-1", AUTHTOKEN: "TOKEN-1" });
    const release = regs.find((r) => r.type === "kubernetes:helm.sh/v3:Release")!;
    expect(release.inputs).toMatchObject({ name: "ngrok-operator", namespace: "ngrok-operator", createNamespace: false, chart: "ngrok-operator", version: CHARTS.ngrok.version, repositoryOpts: { repo: CHARTS.ngrok.repo } });
    expect(release.inputs["values"]).toEqual({ credentials: { secret: { name: "ngrok-operator-credentials" } }, ingressClass: { name: "ngrok", create: true, default: false }, description: "cto" });
    expect(JSON.stringify(release.inputs)).not.toMatch(/API-KEY-1|TOKEN-1/);
    expect((children.find((c) => c.type === "kubernetes:helm.sh/v3:Release")!.opts.dependsOn as pulumi.Resource[]).map((r) => r.constructor.name)).toEqual(["Secret"]);
    expect(await value(component.ingressClassName)).toBe("ngrok");
    expectChildrenDeletedWithCluster(children, cluster, 3);
    expectProvider(regs, providerName);
  });
});

describe("ArgoCd", () => {
  const args = (c?: MockCluster) => ({
    domain: "cd.example.ngrok.app",
    ingressClassName: pulumi.output("ngrok"),
    adminPasswordHash: pulumi.secret("$2a$10$HASH"),
    adminPasswordMtime: pulumi.output("2026-01-01T00:00:00Z"),
    webhookSecret: pulumi.secret("WEBHOOK-1"),
    repoUrl: "git@github.com:org/cto-apps.git",
    repoPrivateKey: pulumi.secret("-----BEGIN OPENSSH PRIVATE KEY-----\nKEY-1\n-----END OPENSSH PRIVATE KEY-----\n"),
    appsPath: "apps",
    values: { configs: { cm: { "timeout.reconciliation": "60s" } } },
    deletedWith: c,
  });

  it("installs the chart behind ngrok with the generated secrets, the repository Secret and the root Application", async () => {
    const { ArgoCd } = await import("../../components/platform/argoCd");
    const { component, cluster, children, regs, providerName } = await build("cd", (opts, c) => new ArgoCd("cd", args(c), opts), 5);
    expect(regs.map((r) => `${r.type} ${r.name}`).sort()).toEqual([
      "cto:platform:ArgoCd cd",
      "kubernetes:argoproj.io/v1alpha1:Application cd-root",
      "kubernetes:core/v1:Namespace cd-ns",
      "kubernetes:core/v1:Secret cd-repo",
      "kubernetes:helm.sh/v3:Release cd",
    ]);
    const release = regs.find((r) => r.type === "kubernetes:helm.sh/v3:Release")!;
    expect(release.inputs).toMatchObject({ name: "argocd", namespace: "argocd", createNamespace: false, chart: "argo-cd", version: CHARTS.argocd.version, repositoryOpts: { repo: CHARTS.argocd.repo } });
    const values = release.inputs["values"];
    for (const key of ["argocdServerAdminPassword", "githubSecret"]) {
      const leaf = (unwrap(values) as { configs: { secret: Record<string, unknown> } }).configs.secret[key];
      expect(isSecret(values) || isSecret(leaf), key).toBe(true);
    }
    expect(unwrap(at(values, ["configs", "secret", "argocdServerAdminPassword"]))).toBe("$2a$10$HASH");
    expect(unwrap(at(values, ["configs", "secret", "argocdServerAdminPasswordMtime"]))).toBe("2026-01-01T00:00:00Z");
    expect(at(values, ["configs", "params"])).toEqual({ "server.insecure": true });
    expect(at(values, ["configs", "cm"])).toEqual({ "admin.enabled": true, url: "https://cd.example.ngrok.app", [APPLICATION_HEALTH_KEY]: APPLICATION_HEALTH_LUA, "timeout.reconciliation": "60s" });
    expect(at(values, ["server", "ingress"])).toEqual({ enabled: true, ingressClassName: "ngrok", hostname: "cd.example.ngrok.app", path: "/", pathType: "Prefix", tls: false });

    const repo = regs.find((r) => r.type === "kubernetes:core/v1:Secret")!;
    expect(at(repo.inputs, ["metadata"])).toEqual({ name: "gitops-repo", namespace: "argocd", labels: { "argocd.argoproj.io/secret-type": "repository" } });
    const repoData = repo.inputs["stringData"] as Record<string, unknown>;
    expect(isSecret(repoData) || isSecret(repoData["sshPrivateKey"])).toBe(true);
    expect(unwrap(repoData)).toMatchObject({ type: "git", url: "git@github.com:org/cto-apps.git" });

    const root = regs.find((r) => r.name === "cd-root")!;
    // The cascading finalizer: destroying the root makes the controller delete the child
    // Applications (which carry the same finalizer) while it still runs.
    expect(at(root.inputs, ["metadata"])).toEqual({ name: "root", namespace: "argocd", finalizers: ["resources-finalizer.argocd.argoproj.io"] });
    expect(at(root.inputs, ["spec", "source"])).toEqual({ repoURL: "git@github.com:org/cto-apps.git", path: "apps", targetRevision: "HEAD" });
    expect(at(root.inputs, ["spec", "syncPolicy", "automated"])).toEqual({ prune: true, selfHeal: true });
    const rootOpts = children.find((c) => c.name === "cd-root")!.opts;
    expect(rootOpts.dependsOn).toContain(component.release);
    expect((rootOpts.dependsOn as pulumi.Resource[]).map((r) => r.constructor.name)).toEqual(["Release", "Secret"]);
    // Destroy order, reversed creation order: root first (it depends on the release), then the
    // release, then the namespace (release and root take their namespace from it: a data edge).
    const nsResource = [...((children.find((c) => c.name === "cd")!.props["namespace"] as { resources(): Set<pulumi.Resource> }).resources())];
    expect(nsResource.map((r) => r.constructor.name)).toEqual(["Namespace"]);
    const rootMetadata = children.find((c) => c.name === "cd-root")!.props["metadata"] as { namespace: { resources(): Set<pulumi.Resource> } };
    expect([...rootMetadata.namespace.resources()]).toEqual(nsResource);

    // No secret value anywhere in clear text.
    const clear = JSON.stringify(regs.map((r) => ({ ...r.inputs, values: undefined, stringData: undefined })));
    expect(clear).not.toMatch(/WEBHOOK-1|KEY-1|HASH/);
    // The release's values hold the hash and the webhook secret: its stored outputs stay secret too.
    expect(children.find((c) => c.type === "kubernetes:helm.sh/v3:Release")!.opts.additionalSecretOutputs).toEqual(["values"]);
    expect(await value(component.url)).toBe("https://cd.example.ngrok.app");
    expect(await value(component.webhookUrl)).toBe("https://cd.example.ngrok.app/api/webhook");
    expect(await value(component.rootApplicationName)).toBe("root");
    expect(await value(component.namespace)).toBe("argocd");
    expectChildrenDeletedWithCluster(children, cluster, 4);
    expectProvider(regs, providerName);
  });

  it("has no ingress, url, repository Secret or root Application without domain and repository", async () => {
    const { ArgoCd } = await import("../../components/platform/argoCd");
    const full = args();
    const rest = { ...full, domain: undefined, repoUrl: undefined, repoPrivateKey: undefined };
    const { component, regs } = await build("ce", (opts) => new ArgoCd("ce", rest, opts), 3);
    expect(regs.map((r) => `${r.type} ${r.name}`).sort()).toEqual([
      "cto:platform:ArgoCd ce",
      "kubernetes:core/v1:Namespace ce-ns",
      "kubernetes:helm.sh/v3:Release ce",
    ]);
    expect(at(regs.find((r) => r.name === "ce" && r.type.includes("Release"))!.inputs["values"], ["server", "ingress"])).toEqual({ enabled: false });
    expect(await value(component.url)).toBeUndefined();
    expect(await value(component.rootApplicationName)).toBeUndefined();
  });
});
