// The ClusterIssuers the platform offers, as pure specs: an internal CA (self-signed root → CA
// Certificate → CA ClusterIssuer) for in-cluster TLS, and optionally Let's Encrypt over HTTP-01
// answered through the ngrok ingress class.
import type * as pulumi from "@pulumi/pulumi";

export type AcmeEnvironment = "staging" | "production";

export const SELF_SIGNED_ISSUER = "selfsigned";
export const INTERNAL_CA_ISSUER = "internal-ca";
/** Certificate and Secret holding the internal CA, in the cert-manager namespace (where a ClusterIssuer reads secrets). */
export const INTERNAL_CA_SECRET = "internal-ca";

const ACME_SERVERS: Record<AcmeEnvironment, string> = {
  staging: "https://acme-staging-v02.api.letsencrypt.org/directory",
  production: "https://acme-v02.api.letsencrypt.org/directory",
};

export function acmeServerUrl(environment: AcmeEnvironment): string {
  const url = ACME_SERVERS[environment];
  if (!url) throw new Error(`ACME environment must be "staging" or "production", got ${JSON.stringify(environment)}`);
  return url;
}

export function acmeIssuerName(environment: AcmeEnvironment): string {
  acmeServerUrl(environment); // refuses an unknown environment
  return `letsencrypt-${environment}`;
}

export function selfSignedIssuerSpec(): Record<string, unknown> {
  return { selfSigned: {} };
}

export function internalCaCertificateSpec(commonName: string): Record<string, unknown> {
  return {
    isCA: true,
    commonName,
    secretName: INTERNAL_CA_SECRET,
    duration: "87600h", // 10 years: rotating the root re-trusts every workload
    renewBefore: "720h",
    privateKey: { algorithm: "ECDSA", size: 256 },
    issuerRef: { kind: "ClusterIssuer", name: SELF_SIGNED_ISSUER, group: "cert-manager.io" },
  };
}

export function caIssuerSpec(): Record<string, unknown> {
  return { ca: { secretName: INTERNAL_CA_SECRET } };
}

export interface AcmeIssuerOptions {
  environment: AcmeEnvironment;
  /** Let's Encrypt account contact (expiry notices). */
  email: string;
  /** The ingress class that answers HTTP-01 challenges (an Output orders the issuer after it). */
  ingressClassName: pulumi.Input<string>;
}

export function acmeIssuerSpec(options: AcmeIssuerOptions): Record<string, unknown> {
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(options.email)) throw new Error(`ACME issuer: expected an email address for the Let's Encrypt account, got ${JSON.stringify(options.email)}`);
  return {
    acme: {
      server: acmeServerUrl(options.environment),
      email: options.email,
      privateKeySecretRef: { name: `${acmeIssuerName(options.environment)}-account` },
      solvers: [{ http01: { ingress: { ingressClassName: options.ingressClassName } } }],
    },
  };
}

export function certManagerValues(): Record<string, unknown> {
  // crds.enabled replaces the deprecated installCRDs; keep=true leaves CRDs (and every Certificate)
  // in place if the release is ever uninstalled on its own.
  return { crds: { enabled: true, keep: true } };
}
