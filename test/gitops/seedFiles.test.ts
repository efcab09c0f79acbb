// The seed files, no Pulumi: paths, YAML that parses, and an example Application that points at
// its workload in this repository.
import * as yaml from "js-yaml";
import { describe, expect, it } from "vitest";
import { EXAMPLE_WORKLOAD_PATH, normalizeAppsPath, seedFiles, SYNC_WAVES } from "../../components/gitops/seedFiles";
import { seedPathProblem } from "../../providers/github/repositorySeedProvider";

const REPO_URL = "git@github.com:acme/cto-apps.git";
const files = seedFiles({ repositoryName: "cto-apps", repoUrl: REPO_URL, appsPath: "apps" });
const byPath = Object.fromEntries(files.map((f) => [f.path, f.content]));

interface Application {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string; annotations: Record<string, string> };
  spec: { project: string; source: { repoURL: string; targetRevision: string; path: string }; destination: { server: string; namespace: string }; syncPolicy: { syncOptions: string[] } };
}

describe("seedFiles", () => {
  it("writes the two READMEs, the example Application in the apps directory and its workload", () => {
    expect(files.map((f) => f.path)).toEqual(["README.md", "apps/README.md", "apps/example-hello.yaml", "examples/hello/configmap.yaml"]);
    for (const file of files) expect(seedPathProblem(file.path)).toBeUndefined();
  });

  it("the README explains the app-of-apps layout and the sync waves", () => {
    const readme = byPath["README.md"]!;
    expect(readme).toMatch(/app of apps/i);
    expect(readme).toContain("`apps/`");
    expect(readme).toContain("argocd.argoproj.io/sync-wave");
    for (const wave of Object.values(SYNC_WAVES)) expect(readme).toContain(`| ${wave} |`);
    expect(readme).toMatch(/never rewrites them/);
  });

  it("the example Application is valid YAML and syncs examples/hello of this repository, in the apps wave", () => {
    const app = yaml.load(byPath["apps/example-hello.yaml"]!) as Application;
    expect(app.apiVersion).toBe("argoproj.io/v1alpha1");
    expect(app.kind).toBe("Application");
    expect(app.metadata).toMatchObject({ name: "example-hello", namespace: "argocd", annotations: { "argocd.argoproj.io/sync-wave": "10" } });
    expect(app.spec.source).toEqual({ repoURL: REPO_URL, targetRevision: "HEAD", path: EXAMPLE_WORKLOAD_PATH });
    expect(app.spec.destination).toEqual({ server: "https://kubernetes.default.svc", namespace: "example-hello" });
    expect(app.spec.syncPolicy.syncOptions).toContain("CreateNamespace=true");
    // the path the Application points at is one of the seeded files' directories
    expect(files.some((f) => f.path.startsWith(`${app.spec.source.path}/`) && f.path.endsWith(".yaml"))).toBe(true);
    const workload = yaml.load(byPath["examples/hello/configmap.yaml"]!) as { kind: string; metadata: { name: string } };
    expect(workload).toMatchObject({ kind: "ConfigMap", metadata: { name: "hello" } });
  });

  it("follows the apps path and the Argo CD namespace", () => {
    const nested = seedFiles({ repositoryName: "r", repoUrl: REPO_URL, appsPath: "./clusters/cto/apps/", argoNamespace: "gitops" });
    expect(nested.map((f) => f.path)).toContain("clusters/cto/apps/example-hello.yaml");
    const app = yaml.load(nested.find((f) => f.path === "clusters/cto/apps/example-hello.yaml")!.content) as Application;
    expect(app.metadata.namespace).toBe("gitops");
  });

  it.each(["", ".", "/apps", "apps/../x", "examples", "examples/hello/apps"])("refuses the apps path %j", (path) => {
    expect(() => normalizeAppsPath(path)).toThrow(/gitops appsPath/);
  });
});
