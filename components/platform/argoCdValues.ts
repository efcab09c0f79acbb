// Argo CD as pure builders: chart values, public URLs, the repository credential and the root
// (app-of-apps) Application spec.
import type * as pulumi from "@pulumi/pulumi";
import type { HelmValues } from "./values";

export const ARGOCD_NAMESPACE = "argocd";
export const IN_CLUSTER_SERVER = "https://kubernetes.default.svc";
export const ROOT_APPLICATION = "root";
export const REPO_SECRET = "gitops-repo";
/**
 * Argo CD's cascading-delete finalizer (foreground): deleting an Application with it makes the
 * controller delete what the Application deployed, and wait for it, before the Application goes.
 */
export const RESOURCES_FINALIZER = "resources-finalizer.argocd.argoproj.io";

function checkedDomain(domain: string): string {
  // A host name only: the scheme and path are ours to add.
  if (!/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i.test(domain)) {
    throw new Error(`Argo CD domain must be a host name such as "argocd.example.ngrok.app", got ${JSON.stringify(domain)}`);
  }
  return domain.toLowerCase();
}

export function argoUrl(domain: string): string {
  return `https://${checkedDomain(domain)}`;
}

/** Where GitHub posts push events (Argo CD's API server, verified with the webhook secret). */
export function argoWebhookUrl(domain: string): string {
  return `${argoUrl(domain)}/api/webhook`;
}

export interface ArgoCdValueInputs {
  domain?: string;
  ingressClassName?: pulumi.Input<string>;
  /** bcrypt hash (secret Output). */
  adminPasswordHash: pulumi.Input<string>;
  /** RFC 3339. */
  adminPasswordMtime: pulumi.Input<string>;
  /** GitHub webhook shared secret (secret Output). */
  webhookSecret: pulumi.Input<string>;
}

/**
 * The health of a child Application as its own status reports it. Argo CD stopped assessing
 * `argoproj.io/Application` health in 1.8 and v3.1 ships no check; without one a child is healthy
 * as soon as it exists, and the root's sync waves stop waiting for the wave before. This restores
 * the check the operator manual documents for app-of-apps with sync waves
 * (https://argo-cd.readthedocs.io/en/stable/operator-manual/health/#argocd-app): Progressing until
 * the child reports a health status, then that status and its message.
 */
export const APPLICATION_HEALTH_LUA = [
  "hs = {}",
  'hs.status = "Progressing"',
  'hs.message = ""',
  "if obj.status ~= nil and obj.status.health ~= nil then",
  "  hs.status = obj.status.health.status",
  "  if obj.status.health.message ~= nil then",
  "    hs.message = obj.status.health.message",
  "  end",
  "end",
  "return hs",
  "",
].join("\n");

/** The argocd-cm key a health check for a kind is read from (`<group>_<kind>`). */
export const APPLICATION_HEALTH_KEY = "resource.customizations.health.argoproj.io_Application";

export function argoCdValues(inputs: ArgoCdValueInputs): HelmValues {
  const domain = inputs.domain === undefined ? undefined : checkedDomain(inputs.domain);
  return {
    ...(domain ? { global: { domain } } : {}),
    configs: {
      // TLS ends at ngrok; the server speaks plain HTTP behind it.
      params: { "server.insecure": true },
      // argo-helm renders configs.cm as argocd-cm's data.
      cm: { "admin.enabled": true, ...(domain ? { url: argoUrl(domain) } : {}), [APPLICATION_HEALTH_KEY]: APPLICATION_HEALTH_LUA },
      secret: {
        // With admin.password set Argo CD never creates argocd-initial-admin-secret.
        argocdServerAdminPassword: inputs.adminPasswordHash,
        argocdServerAdminPasswordMtime: inputs.adminPasswordMtime,
        githubSecret: inputs.webhookSecret,
      },
    },
    // No SSO is configured: Dex would be an idle pod (override to enable it).
    dex: { enabled: false },
    server: {
      ingress: domain
        ? { enabled: true, ingressClassName: inputs.ingressClassName ?? "ngrok", hostname: domain, path: "/", pathType: "Prefix", tls: false }
        : { enabled: false },
    },
  };
}

/** stringData of the Secret Argo CD reads repository credentials from (label secret-type=repository). */
export function repoSecretData(repoUrl: pulumi.Input<string>, sshPrivateKey: pulumi.Input<string>): Record<string, pulumi.Input<string>> {
  return { type: "git", url: repoUrl, sshPrivateKey };
}

export interface RootApplicationOptions {
  repoUrl: pulumi.Input<string>;
  appsPath: string;
  /** Default "HEAD". */
  targetRevision?: string;
}

/** The app-of-apps: syncs the Application manifests under `appsPath` into the argocd namespace. */
export function rootApplicationSpec(options: RootApplicationOptions): Record<string, unknown> {
  const path = options.appsPath.replace(/^\/+|\/+$/g, "");
  if (path === "" || path.split("/").includes("..")) throw new Error(`Argo CD root application: appsPath must be a directory inside the repository, got ${JSON.stringify(options.appsPath)}`);
  return {
    project: "default",
    source: { repoURL: options.repoUrl, path, targetRevision: options.targetRevision ?? "HEAD" },
    destination: { server: IN_CLUSTER_SERVER, namespace: ARGOCD_NAMESPACE },
    syncPolicy: {
      automated: { prune: true, selfHeal: true },
      syncOptions: ["CreateNamespace=true"],
      retry: { limit: 5, backoff: { duration: "5s", factor: 2, maxDuration: "3m" } },
    },
  };
}
