// PlatformSecrets: the secrets the program generates for the platform and the GitOps wiring: the
// GitHub webhook secret Argo CD verifies pushes with, Argo CD's admin password (+ bcrypt hash and
// mtime) and the read-only deploy key Argo CD pulls the repository with. Generated once; they
// change only if replaced on purpose (`pulumi up --replace`).
import * as pulumi from "@pulumi/pulumi";
import { AdminPassword, RandomSecret, SshKeyPair } from "../../providers/generators";
import { childOptions } from "./chartRelease";

export interface PlatformSecretsArgs {
  /** Comment on the deploy key's public line; default "argocd@<name>". */
  deployKeyComment?: string;
  deletedWith?: pulumi.Resource;
}

export class PlatformSecrets extends pulumi.ComponentResource {
  /** Secret. */
  readonly webhookSecret: pulumi.Output<string>;
  /** Secret. */
  readonly adminPassword: pulumi.Output<string>;
  /** Secret. */
  readonly adminPasswordHash: pulumi.Output<string>;
  readonly adminPasswordMtime: pulumi.Output<string>;
  /** authorized_keys line for the GitHub deploy key (not secret). */
  readonly deployPublicKey: pulumi.Output<string>;
  /** Secret. */
  readonly deployPrivateKey: pulumi.Output<string>;

  constructor(name: string, args: PlatformSecretsArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    super("cto:platform:PlatformSecrets", name, {}, opts);
    const child = childOptions(this, args.deletedWith);
    const webhook = new RandomSecret(`${name}-webhook`, { length: 40, encoding: "hex" }, child);
    const admin = new AdminPassword(`${name}-admin`, { length: 32 }, child);
    const deployKey = new SshKeyPair(`${name}-deploy-key`, { comment: args.deployKeyComment ?? `argocd@${name}` }, child);
    // additionalSecretOutputs encrypt them in state; wrapping keeps them secret for every consumer
    // whatever the engine reports (and under mocks, which ignore that option).
    this.webhookSecret = pulumi.secret(webhook.value);
    this.adminPassword = pulumi.secret(admin.password);
    this.adminPasswordHash = pulumi.secret(admin.bcryptHash);
    this.adminPasswordMtime = admin.passwordMtime;
    this.deployPublicKey = deployKey.publicKey;
    this.deployPrivateKey = pulumi.secret(deployKey.privateKey);
    this.registerOutputs({
      webhookSecret: this.webhookSecret,
      adminPassword: this.adminPassword,
      adminPasswordHash: this.adminPasswordHash,
      adminPasswordMtime: this.adminPasswordMtime,
      deployPublicKey: this.deployPublicKey,
      deployPrivateKey: this.deployPrivateKey,
    });
  }
}
