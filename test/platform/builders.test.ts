// The platform's pure builders: values merge, chart values, Talos patch, issuer specs, Argo CD URLs
// and the root Application spec. No Pulumi engine.
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { APPLICATION_HEALTH_KEY, APPLICATION_HEALTH_LUA, ARGOCD_NAMESPACE, argoCdValues, argoUrl, argoWebhookUrl, repoSecretData, rootApplicationSpec } from "../../components/platform/argoCdValues";
import { acmeIssuerName, acmeIssuerSpec, acmeServerUrl, caIssuerSpec, certManagerValues, internalCaCertificateSpec, selfSignedIssuerSpec } from "../../components/platform/certManagerIssuers";
import { chartReleaseArgs, namespaceArgs } from "../../components/platform/chartRelease";
import { LOCAL_PATH_HOST_DIR, localPathKubeletPatch, localPathValues } from "../../components/platform/localPathStorage";
import { ngrokValues } from "../../components/platform/ngrokOperator";
import { deepMerge } from "../../components/platform/values";
import { CHARTS } from "../../versions";

describe("deepMerge", () => {
  it("merges objects recursively, replaces arrays and scalars, keeps null, skips undefined", () => {
    const base = { a: { b: 1, c: [1, 2], d: { e: "x" } }, f: true, g: "keep" };
    const merged = deepMerge(base, { a: { c: [3], d: { h: 2 } }, f: false, g: undefined, i: null });
    expect(merged).toEqual({ a: { b: 1, c: [3], d: { e: "x", h: 2 } }, f: false, g: "keep", i: null });
    expect(base).toEqual({ a: { b: 1, c: [1, 2], d: { e: "x" } }, f: true, g: "keep" });
  });

  it("treats Outputs as leaves and accepts no override", () => {
    const secret = pulumi.secret("s");
    expect(deepMerge({ a: { b: 1 } }, { a: secret }).a).toBe(secret);
    expect(deepMerge({ a: secret }, { a: { b: 1 } })).toEqual({ a: { b: 1 } });
    expect(deepMerge({ a: 1 }, undefined)).toEqual({ a: 1 });
  });

  it("replaces an object by a scalar and a scalar by an object", () => {
    expect(deepMerge({ a: { b: 1 } }, { a: "x" })).toEqual({ a: "x" });
    expect(deepMerge({ a: "x" }, { a: { b: 1 } })).toEqual({ a: { b: 1 } });
  });
});

describe("chart release arguments", () => {
  it("pin every chart by repo, chart and version, never creating the namespace", () => {
    expect(chartReleaseArgs(CHARTS.ngrok, "ngrok-operator", "ngrok-operator", { a: { b: 1 } }, { a: { c: 2 } })).toEqual({
      name: "ngrok-operator",
      namespace: "ngrok-operator",
      createNamespace: false,
      chart: "ngrok-operator",
      version: CHARTS.ngrok.version,
      repositoryOpts: { repo: "https://charts.ngrok.com" },
      values: { a: { b: 1, c: 2 } },
    });
  });

  it("label privileged namespaces for Talos pod security", () => {
    expect(namespaceArgs("x", true).metadata).toEqual({
      name: "x",
      labels: { "app.kubernetes.io/managed-by": "pulumi", "pod-security.kubernetes.io/enforce": "privileged", "pod-security.kubernetes.io/audit": "privileged", "pod-security.kubernetes.io/warn": "privileged" },
    });
    expect(namespaceArgs("y").metadata).toEqual({ name: "y", labels: { "app.kubernetes.io/managed-by": "pulumi" } });
  });
});

describe("local-path storage", () => {
  it("is the default class on the Talos host dir", () => {
    expect(localPathValues()).toEqual({
      storageClass: { create: true, defaultClass: true, name: "local-path", reclaimPolicy: "Delete", volumeBindingMode: "WaitForFirstConsumer" },
      nodePathMap: [{ node: "DEFAULT_PATH_FOR_NON_LISTED_NODES", paths: ["/var/mnt/local-path-provisioner"] }],
    });
  });

  it("binds the host dir into the kubelet", () => {
    expect(LOCAL_PATH_HOST_DIR).toBe("/var/mnt/local-path-provisioner");
    expect(localPathKubeletPatch()).toEqual({
      machine: { kubelet: { extraMounts: [{ destination: LOCAL_PATH_HOST_DIR, type: "bind", source: LOCAL_PATH_HOST_DIR, options: ["rbind", "rshared", "rw"] }] } },
    });
  });
});

describe("cert-manager issuers", () => {
  it("installs CRDs with the current key", () => {
    expect(certManagerValues()).toEqual({ crds: { enabled: true, keep: true } });
    expect(certManagerValues()).not.toHaveProperty("installCRDs");
  });

  it("picks the Let's Encrypt directory by environment", () => {
    expect(acmeServerUrl("staging")).toBe("https://acme-staging-v02.api.letsencrypt.org/directory");
    expect(acmeServerUrl("production")).toBe("https://acme-v02.api.letsencrypt.org/directory");
    expect(acmeIssuerName("production")).toBe("letsencrypt-production");
    expect(() => acmeServerUrl("prod" as "production")).toThrow(/staging" or "production/);
  });

  it("chains self-signed → CA certificate → CA issuer", () => {
    expect(selfSignedIssuerSpec()).toEqual({ selfSigned: {} });
    expect(internalCaCertificateSpec("cto CA")).toMatchObject({ isCA: true, commonName: "cto CA", secretName: "internal-ca", issuerRef: { kind: "ClusterIssuer", name: "selfsigned" } });
    expect(caIssuerSpec()).toEqual({ ca: { secretName: "internal-ca" } });
  });

  it("answers HTTP-01 through the ngrok ingress class and checks the email", () => {
    expect(acmeIssuerSpec({ environment: "staging", email: "ops@example.com", ingressClassName: "ngrok" })).toEqual({
      acme: {
        server: "https://acme-staging-v02.api.letsencrypt.org/directory",
        email: "ops@example.com",
        privateKeySecretRef: { name: "letsencrypt-staging-account" },
        solvers: [{ http01: { ingress: { ingressClassName: "ngrok" } } }],
      },
    });
    expect(() => acmeIssuerSpec({ environment: "staging", email: "nope", ingressClassName: "ngrok" })).toThrow(/email address/);
  });
});

describe("ngrok values", () => {
  it("reference the credentials Secret and create the ingress class", () => {
    expect(ngrokValues("creds", "ngrok")).toEqual({ credentials: { secret: { name: "creds" } }, ingressClass: { name: "ngrok", create: true, default: false } });
  });
});

describe("Argo CD builders", () => {
  it("build the URLs from a host name only", () => {
    expect(argoUrl("ArgoCD.example.ngrok.app")).toBe("https://argocd.example.ngrok.app");
    expect(argoWebhookUrl("argocd.example.ngrok.app")).toBe("https://argocd.example.ngrok.app/api/webhook");
    for (const bad of ["https://argocd.example.com", "argocd.example.com/x", "", "localhost"]) expect(() => argoUrl(bad)).toThrow(/host name/);
  });

  it("put the admin hash, mtime and webhook secret in argocd-secret, insecure behind ngrok, an ingress at the domain", () => {
    expect(argoCdValues({ domain: "cd.example.com", ingressClassName: "ngrok", adminPasswordHash: "$2a$10$h", adminPasswordMtime: "2026-01-01T00:00:00Z", webhookSecret: "w" })).toEqual({
      global: { domain: "cd.example.com" },
      configs: {
        params: { "server.insecure": true },
        cm: { "admin.enabled": true, url: "https://cd.example.com", [APPLICATION_HEALTH_KEY]: APPLICATION_HEALTH_LUA },
        secret: { argocdServerAdminPassword: "$2a$10$h", argocdServerAdminPasswordMtime: "2026-01-01T00:00:00Z", githubSecret: "w" },
      },
      dex: { enabled: false },
      server: { ingress: { enabled: true, ingressClassName: "ngrok", hostname: "cd.example.com", path: "/", pathType: "Prefix", tls: false } },
    });
  });

  it("have no ingress, domain or url without a domain", () => {
    const values = argoCdValues({ adminPasswordHash: "h", adminPasswordMtime: "m", webhookSecret: "w" });
    expect(values).not.toHaveProperty("global");
    expect(values["server"]).toEqual({ ingress: { enabled: false } });
    expect((values["configs"] as { cm: unknown }).cm).toEqual({ "admin.enabled": true, [APPLICATION_HEALTH_KEY]: APPLICATION_HEALTH_LUA });
  });

  it("restore the health check of child Applications, so that the root's sync waves wait for each wave", () => {
    // The key Argo CD reads per kind (<group>_<kind>), and a check that reports the child's own
    // health, Progressing until it has one (operator manual, "Argocd App").
    expect(APPLICATION_HEALTH_KEY).toBe("resource.customizations.health.argoproj.io_Application");
    expect(APPLICATION_HEALTH_LUA).toContain('hs.status = "Progressing"');
    expect(APPLICATION_HEALTH_LUA).toContain("hs.status = obj.status.health.status");
    expect(APPLICATION_HEALTH_LUA.trim().split("\n").at(-1)).toBe("return hs");
  });

  it("describe the repository credential", () => {
    expect(repoSecretData("git@github.com:o/r.git", "KEY")).toEqual({ type: "git", url: "git@github.com:o/r.git", sshPrivateKey: "KEY" });
  });

  it("build the root Application: in-cluster, automated prune + selfHeal, CreateNamespace, retry 5 × 5s→3m", () => {
    expect(rootApplicationSpec({ repoUrl: "git@github.com:o/r.git", appsPath: "/apps/" })).toEqual({
      project: "default",
      source: { repoURL: "git@github.com:o/r.git", path: "apps", targetRevision: "HEAD" },
      destination: { server: "https://kubernetes.default.svc", namespace: ARGOCD_NAMESPACE },
      syncPolicy: {
        automated: { prune: true, selfHeal: true },
        syncOptions: ["CreateNamespace=true"],
        retry: { limit: 5, backoff: { duration: "5s", factor: 2, maxDuration: "3m" } },
      },
    });
    expect(rootApplicationSpec({ repoUrl: "r", appsPath: "apps", targetRevision: "main" })).toMatchObject({ source: { targetRevision: "main" } });
    for (const bad of ["", "/", "../x"]) expect(() => rootApplicationSpec({ repoUrl: "r", appsPath: bad })).toThrow(/appsPath/);
  });
});
