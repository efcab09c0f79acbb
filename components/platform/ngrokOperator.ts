// NgrokOperator: the ngrok Kubernetes operator as the cluster's public ingress (TLS ends at ngrok).
// Its API key and authtoken go into a Secret we create, which the chart reads by name
// (`credentials.secret.name`, keys API_KEY / AUTHTOKEN), so they never sit in the Release values.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { CHARTS } from "../../versions";
import { chartReleaseArgs, childOptions, namespaceArgs } from "./chartRelease";
import type { HelmValues } from "./values";

export const NGROK_NAMESPACE = "ngrok-operator";
export const NGROK_CREDENTIALS_SECRET = "ngrok-operator-credentials";
export const NGROK_INGRESS_CLASS = "ngrok";

/** Values for chart 0.19.x (top-level `ingressClass`; later charts moved it under `ingress`, then `features`). */
export function ngrokValues(credentialsSecretName: string, ingressClassName: string): HelmValues {
  return {
    credentials: { secret: { name: credentialsSecretName } },
    ingressClass: { name: ingressClassName, create: true, default: false },
  };
}

export interface NgrokOperatorArgs {
  /** ngrok API key (secret). */
  apiKey: pulumi.Input<string>;
  /** ngrok agent authtoken (secret). */
  authtoken: pulumi.Input<string>;
  /** Default "ngrok". */
  ingressClassName?: string;
  values?: HelmValues;
  deletedWith?: pulumi.Resource;
}

export class NgrokOperator extends pulumi.ComponentResource {
  readonly namespace: pulumi.Output<string>;
  readonly release: k8s.helm.v3.Release;
  /** Known once the chart (and so the IngressClass) is installed. */
  readonly ingressClassName: pulumi.Output<string>;

  constructor(name: string, args: NgrokOperatorArgs, opts?: pulumi.ComponentResourceOptions) {
    super("cto:platform:NgrokOperator", name, {}, opts);
    const child = childOptions(this, args.deletedWith);
    const className = args.ingressClassName ?? NGROK_INGRESS_CLASS;
    const ns = new k8s.core.v1.Namespace(`${name}-ns`, namespaceArgs(NGROK_NAMESPACE), child);
    this.namespace = ns.metadata.name;
    const credentials = new k8s.core.v1.Secret(
      `${name}-credentials`,
      {
        metadata: { name: NGROK_CREDENTIALS_SECRET, namespace: this.namespace },
        type: "Opaque",
        stringData: { API_KEY: pulumi.secret(args.apiKey), AUTHTOKEN: pulumi.secret(args.authtoken) },
      },
      child,
    );
    // The chart reads the Secret by name (no data edge): dependsOn starts the operator after it.
    const values = ngrokValues(NGROK_CREDENTIALS_SECRET, className);
    this.release = new k8s.helm.v3.Release(name, chartReleaseArgs(CHARTS.ngrok, "ngrok-operator", this.namespace, values, args.values), { ...child, dependsOn: [credentials] });
    this.ingressClassName = this.release.name.apply(() => className);
    this.registerOutputs({ namespace: this.namespace, ingressClassName: this.ingressClassName });
  }
}
