// An ed25519 SSH key pair generated once, at create, on node:crypto: the read-only deploy key Argo
// CD pulls the GitOps repository with. The private key is in OpenSSH's own format ("BEGIN OPENSSH
// PRIVATE KEY"), which every OpenSSH and golang.org/x/crypto/ssh (Argo CD, go-git) read; keys made
// before were PKCS#8, which OpenSSH reads only from 9.6, and an update rewrites them in OpenSSH's
// format (the same key: GitHub's deploy key stays valid). The public key is an authorized_keys line.
// This object is serialized into state: dependencies are local modules or require()d inside.
import type * as pulumi from "@pulumi/pulumi";
import { UNKNOWN } from "./generatorSupport";
import { ed25519OpenSshPrivateKey, ed25519Pkcs8FromOpenSsh } from "./openSshPrivateKey";
import { ed25519AuthorizedKey, ed25519RawPublicKey } from "./sshPublicKey";

export type SshKeyType = "ed25519";

export interface SshKeyPairInputs {
  /** Bumped with the provider code, so the engine stores the new code in state. */
  providerVersion: string;
  keyType: SshKeyType;
  /** The third field of the public key line ("" for none). */
  comment: string;
}

export interface SshKeyPairOutputs extends SshKeyPairInputs {
  /** `ssh-ed25519 AAAA... comment`. */
  publicKey: string;
  /** OpenSSH private key file; secret (additionalSecretOutputs). */
  privateKey: string;
  /** OpenSSH SHA256 fingerprint ("SHA256:..."), as GitHub shows it. */
  fingerprint: string;
}

/** PKCS#8 PEM of a private key in either format this provider has written. */
function pkcs8Of(privateKey: string): string {
  return privateKey.includes("BEGIN OPENSSH PRIVATE KEY") ? ed25519Pkcs8FromOpenSsh(privateKey) : privateKey;
}

function fingerprintOf(publicKey: string): string {
  const crypto = require("node:crypto") as typeof import("node:crypto");
  const blob = Buffer.from(publicKey.split(" ")[1] ?? "", "base64");
  return `SHA256:${crypto.createHash("sha256").update(blob).digest("base64").replace(/=+$/, "")}`;
}

export const sshKeyPairProvider: pulumi.dynamic.ResourceProvider<SshKeyPairInputs, SshKeyPairOutputs> = {
  check(_olds: SshKeyPairInputs, news: SshKeyPairInputs): Promise<pulumi.dynamic.CheckResult<SshKeyPairInputs>> {
    const failures: pulumi.dynamic.CheckFailure[] = [];
    if ((news.keyType as string) !== UNKNOWN && news.keyType !== "ed25519") failures.push({ property: "keyType", reason: `SshKeyPair: only "ed25519" keys are generated, got ${JSON.stringify(news.keyType)}` });
    if (news.comment !== UNKNOWN && (typeof news.comment !== "string" || /[\r\n]/.test(news.comment))) failures.push({ property: "comment", reason: "SshKeyPair: the comment must be one line of text" });
    return Promise.resolve({ inputs: news, failures });
  },

  diff(_id: string, olds: SshKeyPairOutputs, news: SshKeyPairInputs): Promise<pulumi.dynamic.DiffResult> {
    const replaces = olds.keyType !== news.keyType ? ["keyType"] : [];
    const changes = replaces.length > 0 || olds.comment !== news.comment || olds.providerVersion !== news.providerVersion;
    return Promise.resolve({ changes, replaces, deleteBeforeReplace: false });
  },

  create(inputs: SshKeyPairInputs): Promise<pulumi.dynamic.CreateResult<SshKeyPairOutputs>> {
    const crypto = require("node:crypto") as typeof import("node:crypto");
    const { privateKey: pkcs8 } = crypto.generateKeyPairSync("ed25519", { privateKeyEncoding: { type: "pkcs8", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });
    const publicKey = ed25519AuthorizedKey(ed25519RawPublicKey(pkcs8), inputs.comment);
    const privateKey = ed25519OpenSshPrivateKey(pkcs8, inputs.comment);
    const fingerprint = fingerprintOf(publicKey);
    return Promise.resolve({ id: fingerprint, outs: { ...inputs, publicKey, privateKey, fingerprint } });
  },

  read(id: string, props?: SshKeyPairOutputs): Promise<pulumi.dynamic.ReadResult<SshKeyPairOutputs>> {
    if (!props) throw new Error(`importing SshKeyPair ${id} is not supported: dynamic resources cannot be imported`);
    return Promise.resolve({ id, props });
  },

  update(_id: string, olds: SshKeyPairOutputs, news: SshKeyPairInputs): Promise<pulumi.dynamic.UpdateResult<SshKeyPairOutputs>> {
    // Same key, new comment or format: GitHub compares key material, so the deploy key stays valid.
    const pkcs8 = pkcs8Of(olds.privateKey);
    const publicKey = ed25519AuthorizedKey(ed25519RawPublicKey(pkcs8), news.comment);
    const privateKey = ed25519OpenSshPrivateKey(pkcs8, news.comment);
    return Promise.resolve({ outs: { ...olds, providerVersion: news.providerVersion, comment: news.comment, publicKey, privateKey } });
  },

  delete(): Promise<void> {
    return Promise.resolve();
  },
};
