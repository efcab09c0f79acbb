// The first files of the GitOps repository, as a pure function of the repository's coordinates.
// They are written once (providers/github/repositorySeedProvider.ts) and then belong to the users,
// so they explain the layout rather than configure anything the program relies on.
import * as yaml from "js-yaml";
import type { SeedFile } from "../../providers/github/repositorySeedProvider";

/** Argo CD sync waves: lower waves are applied first, each waits for the one before to be healthy. */
export const SYNC_WAVES = { crdsAndOperators: -10, platform: 0, apps: 10 } as const;

/** Where the example Application's workload lives: outside the apps directory, so the root app does not apply it directly. */
export const EXAMPLE_WORKLOAD_PATH = "examples/hello";
export const EXAMPLE_APP_NAME = "example-hello";

export interface SeedFilesInput {
  repositoryName: string;
  /** The URL Argo CD knows the repository by (the SSH clone URL its deploy key is registered for). */
  repoUrl: string;
  /** The directory the root Application (app of apps) syncs. */
  appsPath: string;
  /** Namespace Argo CD runs in: Application objects live there. */
  argoNamespace?: string;
}

/** The apps path without "./" or trailing "/"; refuses the root, absolute paths, ".." and the example workload's directory. */
export function normalizeAppsPath(appsPath: string): string {
  const path = appsPath.trim().replace(/^\.\/+/, "").replace(/\/+$/, "");
  if (path === "" || path === ".") throw new Error(`gitops appsPath ${JSON.stringify(appsPath)}: the apps directory cannot be the repository root; use e.g. "apps"`);
  if (path.startsWith("/")) throw new Error(`gitops appsPath ${JSON.stringify(appsPath)} must be relative to the repository root, e.g. "apps"`);
  if (path.split("/").some((segment) => segment === "" || segment === "." || segment === "..")) {
    throw new Error(`gitops appsPath ${JSON.stringify(appsPath)} must not contain empty, "." or ".." segments`);
  }
  const inside = (a: string, b: string) => a === b || a.startsWith(`${b}/`);
  if (inside(path, EXAMPLE_WORKLOAD_PATH) || inside(EXAMPLE_WORKLOAD_PATH, path)) {
    throw new Error(`gitops appsPath ${JSON.stringify(appsPath)} overlaps the example workload in ${EXAMPLE_WORKLOAD_PATH}/; choose another directory, e.g. "apps"`);
  }
  return path;
}

function rootReadme(input: SeedFilesInput, appsPath: string): string {
  return `# ${input.repositoryName}

The GitOps source of this cto-metal cluster. Argo CD watches this repository and applies what it
finds: a push reaches Argo CD at once through a webhook, and Argo CD reads the repository with a
read-only deploy key.

cto-metal wrote these files once, when it created the repository. They are yours now: cto-metal
never rewrites them and never brings back a file you delete.

## Layout: app of apps

- \`${appsPath}/\`: one Argo CD \`Application\` manifest per app. The root Application that
  cto-metal installs syncs this directory, so adding a manifest here adds an app and removing it
  removes the app (with its resources: the root Application prunes).
- \`${EXAMPLE_WORKLOAD_PATH}/\`: the workload of the example Application
  \`${appsPath}/${EXAMPLE_APP_NAME}.yaml\`. Delete both when you no longer want the example.

Only \`.yaml\`, \`.yml\`, \`.json\` and \`.jsonnet\` files are read as manifests; READMEs are ignored.

## Sync waves

Argo CD applies lower waves first and waits until each wave is healthy before the next (cto-metal
configures Argo CD to assess an Application's health from its own status, which Argo CD does not do
by default since 1.8). Set the wave with the annotation \`argocd.argoproj.io/sync-wave\` on the Application:

| wave | what belongs there |
|---:|---|
| ${SYNC_WAVES.crdsAndOperators} | CRDs and operators other things depend on |
| ${SYNC_WAVES.platform} | platform services (ingress, certificates, secrets, observability) |
| ${SYNC_WAVES.apps} | applications |

## Adding an app

1. Put its manifests (or a Helm chart or Kustomization) in a directory of this repository, or
   point at another repository Argo CD can read.
2. Add \`${appsPath}/<app>.yaml\` with an \`Application\` like the example, in namespace
   \`${input.argoNamespace ?? "argocd"}\`, with the right sync wave.
3. Push. Argo CD picks it up within seconds.
`;
}

function appsReadme(appsPath: string): string {
  return `# ${appsPath}

Argo CD \`Application\` manifests, one file per app. The root Application (app of apps) syncs this
directory: a new file here is a new app, a removed file removes the app.

Order apps with the \`argocd.argoproj.io/sync-wave\` annotation: ${SYNC_WAVES.crdsAndOperators} for CRDs and
operators, ${SYNC_WAVES.platform} for platform services, ${SYNC_WAVES.apps} for applications.
\`${EXAMPLE_APP_NAME}.yaml\` is a working example.
`;
}

/** The example Application: syncs the ConfigMap in examples/hello into its own namespace. */
export function exampleApplication(input: SeedFilesInput): Record<string, unknown> {
  return {
    apiVersion: "argoproj.io/v1alpha1",
    kind: "Application",
    metadata: {
      name: EXAMPLE_APP_NAME,
      namespace: input.argoNamespace ?? "argocd",
      annotations: { "argocd.argoproj.io/sync-wave": String(SYNC_WAVES.apps) },
      // Deleting the Application deletes what it deployed.
      finalizers: ["resources-finalizer.argocd.argoproj.io"],
    },
    spec: {
      project: "default",
      source: { repoURL: input.repoUrl, targetRevision: "HEAD", path: EXAMPLE_WORKLOAD_PATH },
      destination: { server: "https://kubernetes.default.svc", namespace: EXAMPLE_APP_NAME },
      syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ["CreateNamespace=true"] },
    },
  };
}

const exampleWorkload = {
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name: "hello" },
  data: { message: "Hello from the GitOps repository. Edit me, push, and watch Argo CD sync." },
};

const manifest = (comment: string, value: object) => `# ${comment}\n${yaml.dump(value, { lineWidth: 120, noRefs: true })}`;

export function seedFiles(input: SeedFilesInput): SeedFile[] {
  const appsPath = normalizeAppsPath(input.appsPath);
  return [
    { path: "README.md", content: rootReadme(input, appsPath) },
    { path: `${appsPath}/README.md`, content: appsReadme(appsPath) },
    { path: `${appsPath}/${EXAMPLE_APP_NAME}.yaml`, content: manifest("Example app: delete this file (and examples/hello/) when you no longer need it.", exampleApplication(input)) },
    { path: `${EXAMPLE_WORKLOAD_PATH}/configmap.yaml`, content: manifest(`Workload of the ${EXAMPLE_APP_NAME} Application.`, exampleWorkload) },
  ];
}
