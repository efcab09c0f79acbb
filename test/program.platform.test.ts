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
import { describe, expect, it, vi } from "vitest";
import { CHARTS } from "../versions";
import {
  CTO_TEST,
  GITHUB_TOKEN,
  KUBECONFIG,
  NGROK_API_KEY,
  NGROK_AUTHTOKEN,
  configPatches,
  harness,
  indexOf,
  plainStrings,
  registered,
  releases,
  runProgram,
  unwrap,
  usePlatformProgram,
  value,
} from "./fixtures/platformProgram";

usePlatformProgram();

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
    expect(harness.emulator.requests.every((r) => r.method === "GET")).toBe(true);
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
    expect(JSON.stringify(unwrap(repoSecret.inputs))).toContain("-----BEGIN OPENSSH PRIVATE KEY-----");
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
    expect(harness.github.requests).toEqual([]);
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
    expect(harness.github.requests.map((r) => r.authorization)).toContain(`Bearer ${GITHUB_TOKEN}`);
  });
});

/** One run's registrations by name, inputs without secrets' wrapping or the dynamic providers' code. */

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
    expect(harness.emulator.requests).toEqual([]);
  });

  it("names the key when the kubeconfig file is missing", async () => {
    await expect(runProgram("dev", { "cto-metal:clusterSource": "kubeconfig", "cto-metal:kubeconfigPath": "/nonexistent/kubeconfig" })).rejects.toThrow(
      /^cto-metal:kubeconfigPath: cannot read the kubeconfig \/nonexistent\/kubeconfig \(ENOENT\)/,
    );
    expect(registered).toEqual([]);
  });
});
