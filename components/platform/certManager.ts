// CertManager: the jetstack chart with its CRDs, then the ClusterIssuers (see certManagerIssuers.ts).
// The issuers are custom resources whose CRDs the release installs: they depend on the release
// explicitly, there is no data edge.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { CHARTS } from "../../versions";
import {
  acmeIssuerName,
  acmeIssuerSpec,
  caIssuerSpec,
  certManagerValues,
  INTERNAL_CA_ISSUER,
  internalCaCertificateSpec,
  SELF_SIGNED_ISSUER,
  selfSignedIssuerSpec,
  type AcmeEnvironment,
} from "./certManagerIssuers";
import { chartReleaseArgs, childOptions, namespaceArgs } from "./chartRelease";
import type { HelmValues } from "./values";

export const CERT_MANAGER_NAMESPACE = "cert-manager";

export interface CertManagerArgs {
  /** Common name of the internal CA; default "cto-metal internal CA". */
  caCommonName?: string;
  /** Let's Encrypt issuer; absent: none. */
  acme?: { environment: AcmeEnvironment; email: string; ingressClassName?: pulumi.Input<string> };
  values?: HelmValues;
  deletedWith?: pulumi.Resource;
}

export class CertManager extends pulumi.ComponentResource {
  readonly namespace: pulumi.Output<string>;
  readonly release: k8s.helm.v3.Release;
  readonly selfSignedIssuerName: pulumi.Output<string>;
  readonly caIssuerName: pulumi.Output<string>;
  /** Undefined when no ACME issuer was asked for. */
  readonly acmeIssuerName: pulumi.Output<string | undefined>;

  constructor(name: string, args: CertManagerArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    super("cto:platform:CertManager", name, {}, opts);
    const child = childOptions(this, args.deletedWith);
    const ns = new k8s.core.v1.Namespace(`${name}-ns`, namespaceArgs(CERT_MANAGER_NAMESPACE), child);
    this.namespace = ns.metadata.name;
    this.release = new k8s.helm.v3.Release(name, chartReleaseArgs(CHARTS.certManager, "cert-manager", this.namespace, certManagerValues(), args.values), child);

    const afterRelease = { ...child, dependsOn: [this.release] };
    const issuer = (suffix: string, issuerName: string, spec: Record<string, unknown>, extra?: pulumi.CustomResourceOptions) =>
      new k8s.apiextensions.CustomResource(`${name}-${suffix}`, { apiVersion: "cert-manager.io/v1", kind: "ClusterIssuer", metadata: { name: issuerName }, spec }, { ...afterRelease, ...extra });

    const selfSigned = issuer("selfsigned", SELF_SIGNED_ISSUER, selfSignedIssuerSpec());
    const caCertificate = new k8s.apiextensions.CustomResource(
      `${name}-internal-ca-cert`,
      { apiVersion: "cert-manager.io/v1", kind: "Certificate", metadata: { name: INTERNAL_CA_ISSUER, namespace: this.namespace }, spec: internalCaCertificateSpec(args.caCommonName ?? "cto-metal internal CA") },
      { ...afterRelease, dependsOn: [this.release, selfSigned] },
    );
    const ca = issuer("internal-ca", INTERNAL_CA_ISSUER, caIssuerSpec(), { dependsOn: [this.release, caCertificate] });
    this.selfSignedIssuerName = selfSigned.metadata.name;
    this.caIssuerName = ca.metadata.name;

    if (args.acme) {
      const acmeName = acmeIssuerName(args.acme.environment);
      const acme = issuer("acme", acmeName, acmeIssuerSpec({ environment: args.acme.environment, email: args.acme.email, ingressClassName: args.acme.ingressClassName ?? "ngrok" }));
      this.acmeIssuerName = acme.metadata.name;
    } else {
      this.acmeIssuerName = pulumi.output(undefined);
    }
    this.registerOutputs({ namespace: this.namespace, selfSignedIssuerName: this.selfSignedIssuerName, caIssuerName: this.caIssuerName, acmeIssuerName: this.acmeIssuerName });
  }
}
