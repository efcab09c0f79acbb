// ArgoCd: the argo-helm chart behind ngrok (TLS ends at ngrok), with the generated admin password
// (bcrypt hash + mtime) and GitHub webhook secret, the GitOps repository's read-only deploy key as
// a repository Secret, and the root Application (app-of-apps) that syncs everything else from Git.
//
// Sync-wave conventions for the GitOps repository (argocd.argoproj.io/sync-wave annotation; Argo CD
// applies lower waves first and waits for each to be healthy), the same three the seeded README
// teaches (components/gitops/seedFiles.ts SYNC_WAVES):
//   -10  CRDs, operators and cluster-scoped prerequisites later waves use
//     0  platform services (ingress, certificates, secrets, observability); the default
//    10  applications
// Child Applications under `appsPath` carry the same annotation, so the root syncs them in order.
// Pulumi owns what must exist before Git can be read (storage, cert-manager, ngrok, Argo CD itself,
// Vault); Git owns everything after. Never manage one object from both.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { CHARTS } from "../../versions";
import { ARGOCD_NAMESPACE, argoCdValues, argoUrl, argoWebhookUrl, REPO_SECRET, repoSecretData, RESOURCES_FINALIZER, ROOT_APPLICATION, rootApplicationSpec } from "./argoCdValues";
import { chartReleaseArgs, childOptions, namespaceArgs } from "./chartRelease";
import type { HelmValues } from "./values";

export interface ArgoCdArgs {
  /** Public host name (an ngrok domain); absent: no Ingress and no url. */
  domain?: string;
  /** Default "ngrok"; pass NgrokOperator.ingressClassName to order the Ingress after it. */
  ingressClassName?: pulumi.Input<string>;
  /** bcrypt hash of the admin password (secret). */
  adminPasswordHash: pulumi.Input<string>;
  /** RFC 3339 time of the password's creation. */
  adminPasswordMtime: pulumi.Input<string>;
  /** GitHub webhook shared secret (secret). */
  webhookSecret: pulumi.Input<string>;
  /** The GitOps repository (SSH URL, e.g. git@github.com:org/cto-apps.git); absent: no root Application. */
  repoUrl?: pulumi.Input<string>;
  /** Deploy key private half (PEM, secret); absent: the repository is read anonymously. */
  repoPrivateKey?: pulumi.Input<string>;
  /** Directory of Application manifests in the repository. */
  appsPath: string;
  /** Default "HEAD". */
  targetRevision?: string;
  values?: HelmValues;
  deletedWith?: pulumi.Resource;
}

export class ArgoCd extends pulumi.ComponentResource {
  readonly namespace: pulumi.Output<string>;
  readonly release: k8s.helm.v3.Release;
  /** https://<domain>, undefined without a domain. */
  readonly url: pulumi.Output<string | undefined>;
  /** https://<domain>/api/webhook, undefined without a domain. */
  readonly webhookUrl: pulumi.Output<string | undefined>;
  /** Undefined without a repoUrl. */
  readonly rootApplicationName: pulumi.Output<string | undefined>;

  constructor(name: string, args: ArgoCdArgs, opts?: pulumi.ComponentResourceOptions) {
    super("cto:platform:ArgoCd", name, {}, opts);
    const child = childOptions(this, args.deletedWith);
    const ns = new k8s.core.v1.Namespace(`${name}-ns`, namespaceArgs(ARGOCD_NAMESPACE), child);
    this.namespace = ns.metadata.name;

    const values = argoCdValues({
      domain: args.domain,
      ingressClassName: args.ingressClassName,
      adminPasswordHash: pulumi.secret(args.adminPasswordHash),
      adminPasswordMtime: args.adminPasswordMtime,
      webhookSecret: pulumi.secret(args.webhookSecret),
    });
    // The values carry the admin password hash and the webhook secret: keep the output copy secret too.
    this.release = new k8s.helm.v3.Release(name, chartReleaseArgs(CHARTS.argocd, "argocd", this.namespace, values, args.values), {
      ...child,
      additionalSecretOutputs: ["values"],
    });

    const dependsOn: pulumi.Resource[] = [this.release];
    if (args.repoUrl !== undefined && args.repoPrivateKey !== undefined) {
      const repoSecret = new k8s.core.v1.Secret(
        `${name}-repo`,
        {
          metadata: { name: REPO_SECRET, namespace: this.namespace, labels: { "argocd.argoproj.io/secret-type": "repository" } },
          type: "Opaque",
          stringData: repoSecretData(args.repoUrl, pulumi.secret(args.repoPrivateKey)),
        },
        child,
      );
      dependsOn.push(repoSecret);
    }

    if (args.repoUrl !== undefined) {
      // The Application CRD comes with the release: no data edge, so dependsOn.
      //
      // The resources finalizer makes destroy finish. The child Applications in Git (the seeded
      // example among them) carry the same finalizer, and only the Argo CD controller removes it.
      // Without one on the root, a destroy that deletes objects one by one (a stack without
      // deletedWith, e.g. a kubeconfig-source cluster) deleted the root alone, then the release
      // (the controller with it), then the namespace, which stayed Terminating on the children's
      // finalizers for ever. With it, deleting the root makes the controller delete the children,
      // and their resources, while it still runs; Pulumi waits for the root to be gone before it
      // deletes the release (the root depends on it) and the namespace (the release and the
      // root are in it). The cost: deleting the root, also by no longer configuring a GitOps
      // repository, deletes every app it deployed; the GitOpsRemovalGuard (index.ts) refuses that unconfirmed. If
      // the controller is down the delete waits and times out: start Argo CD again, or remove the
      // finalizer by hand.
      const root = new k8s.apiextensions.CustomResource(
        `${name}-root`,
        {
          apiVersion: "argoproj.io/v1alpha1",
          kind: "Application",
          metadata: { name: ROOT_APPLICATION, namespace: this.namespace, finalizers: [RESOURCES_FINALIZER] },
          spec: rootApplicationSpec({ repoUrl: args.repoUrl, appsPath: args.appsPath, targetRevision: args.targetRevision }),
        },
        { ...child, dependsOn },
      );
      this.rootApplicationName = root.metadata.name;
    } else {
      this.rootApplicationName = pulumi.output(undefined);
    }

    this.url = pulumi.output(args.domain === undefined ? undefined : argoUrl(args.domain));
    this.webhookUrl = pulumi.output(args.domain === undefined ? undefined : argoWebhookUrl(args.domain));
    this.registerOutputs({ namespace: this.namespace, url: this.url, webhookUrl: this.webhookUrl, rootApplicationName: this.rootApplicationName });
  }
}
