// The generator providers called directly (no engine): formats, lengths, the SSH public key
// re-derived from the private key with node:crypto, bcrypt verification, stable values across
// diff/update/read, and no secret in any failure text.
import * as crypto from "node:crypto";
import bcrypt from "bcryptjs";
import type * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { adminPasswordProvider, rfc3339, type AdminPasswordOutputs } from "../../providers/generators/adminPasswordProvider";
import { ALPHABETS, UNKNOWN } from "../../providers/generators/generatorSupport";
import { randomSecretProvider, type RandomSecretOutputs } from "../../providers/generators/randomSecretProvider";
import { sshKeyPairProvider, type SshKeyPairOutputs } from "../../providers/generators/sshKeyPairProvider";
import { GENERATORS_PROVIDER_VERSION } from "../../providers/generators";
import { ed25519Pkcs8FromOpenSsh } from "../../providers/generators/openSshPrivateKey";
import { ed25519AuthorizedKey, ed25519RawPublicKey } from "../../providers/generators/sshPublicKey";

const V = "1";

/** The provider methods as the host calls them: all present, create/update returning outs. */
interface Direct<I, O> {
  check(olds: I, news: I): Promise<pulumi.dynamic.CheckResult<I>>;
  diff(id: string, olds: O, news: I): Promise<pulumi.dynamic.DiffResult>;
  create(inputs: I): Promise<{ id: string; outs: O }>;
  read(id: string, props?: O): Promise<{ id: string; props: O }>;
  update(id: string, olds: O, news: I): Promise<{ outs: O }>;
}
const direct = <I, O>(provider: pulumi.dynamic.ResourceProvider<I, O>) => provider as unknown as Direct<I, O>;
const randomSecret = direct(randomSecretProvider);
const sshKeyPair = direct(sshKeyPairProvider);
const adminPassword = direct(adminPasswordProvider);

describe("RandomSecret provider", () => {
  it.each([
    ["hex", /^[0-9a-f]{40}$/, 40],
    ["alphanumeric", /^[A-Za-z0-9]{33}$/, 33],
    ["base64url", /^[A-Za-z0-9_-]{64}$/, 64],
  ] as const)("makes %s values of the asked length", async (encoding, pattern, length) => {
    const created = await randomSecret.create({ providerVersion: V, length, encoding });
    expect(created.outs.value).toMatch(pattern);
    expect(created.outs).toMatchObject({ length, encoding, providerVersion: V });
    const other = await randomSecret.create({ providerVersion: V, length, encoding });
    expect(other.outs.value).not.toBe(created.outs.value);
    expect(other.id).not.toBe(created.id);
  });

  it("spreads over the whole alphabet", async () => {
    const { outs } = await randomSecret.create({ providerVersion: V, length: 1024, encoding: "hex" });
    expect(new Set(outs.value).size).toBe(ALPHABETS.hex.length);
  });

  it("replaces only on length or encoding; a provider bump keeps the value", async () => {
    const { outs } = await randomSecret.create({ providerVersion: V, length: 32, encoding: "hex" });
    expect(await randomSecret.diff("id", outs, { providerVersion: V, length: 32, encoding: "hex" })).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
    expect((await randomSecret.diff("id", outs, { providerVersion: V, length: 48, encoding: "hex" })).replaces).toEqual(["length"]);
    expect((await randomSecret.diff("id", outs, { providerVersion: V, length: 32, encoding: "base64url" })).replaces).toEqual(["encoding"]);
    expect(await randomSecret.diff("id", outs, { providerVersion: "2", length: 32, encoding: "hex" })).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    const updated = await randomSecret.update("id", outs, { providerVersion: "2", length: 32, encoding: "hex" });
    expect(updated.outs).toEqual({ ...outs, providerVersion: "2" });
    expect((await randomSecret.read("id", outs)).props).toEqual(outs);
  });

  it("checks length and encoding, lets unknown values through", async () => {
    const bad = await randomSecret.check({} as RandomSecretOutputs, { providerVersion: V, length: 8, encoding: "base32" as "hex" });
    expect(bad.failures?.map((f) => f.property)).toEqual(["length", "encoding"]);
    const preview = await randomSecret.check({} as RandomSecretOutputs, { providerVersion: V, length: UNKNOWN as unknown as number, encoding: UNKNOWN as "hex" });
    expect(preview.failures).toEqual([]);
  });
});

describe("SshKeyPair provider", () => {
  it("makes an ed25519 private key in OpenSSH's format and the matching authorized_keys line", async () => {
    const { id, outs } = await sshKeyPair.create({ providerVersion: V, keyType: "ed25519", comment: "argocd@cto" });
    expect(outs.privateKey).toMatch(/^-----BEGIN OPENSSH PRIVATE KEY-----\n[\s\S]+\n-----END OPENSSH PRIVATE KEY-----\n$/);
    const privateKey = crypto.createPrivateKey(ed25519Pkcs8FromOpenSsh(outs.privateKey));
    expect(privateKey.asymmetricKeyType).toBe("ed25519");
    const [type, blob, comment] = outs.publicKey.split(" ");
    expect(type).toBe("ssh-ed25519");
    expect(comment).toBe("argocd@cto");
    // Decode the wire format: string "ssh-ed25519", string <32 bytes>.
    const wire = Buffer.from(blob!, "base64");
    expect(wire.readUInt32BE(0)).toBe(11);
    expect(wire.subarray(4, 15).toString()).toBe("ssh-ed25519");
    expect(wire.readUInt32BE(15)).toBe(32);
    expect(wire.length).toBe(51);
    // Re-derive the public key from the private one with node:crypto: same 32 bytes.
    const raw = Buffer.from(crypto.createPublicKey(privateKey).export({ format: "jwk" }).x!, "base64url");
    expect(wire.subarray(19).equals(raw)).toBe(true);
    // The key really signs: what the raw public key verifies.
    const signature = crypto.sign(null, Buffer.from("hello"), privateKey);
    expect(crypto.verify(null, Buffer.from("hello"), crypto.createPublicKey(privateKey), signature)).toBe(true);
    expect(outs.fingerprint).toBe(`SHA256:${crypto.createHash("sha256").update(wire).digest("base64").replace(/=+$/, "")}`);
    expect(id).toBe(outs.fingerprint);
  });

  it("leaves the comment off when empty, rejects a wrong-size key", () => {
    expect(ed25519AuthorizedKey(Buffer.alloc(32), "  ")).toBe(`ssh-ed25519 ${Buffer.concat([Buffer.from([0, 0, 0, 11]), Buffer.from("ssh-ed25519"), Buffer.from([0, 0, 0, 32]), Buffer.alloc(32)]).toString("base64")}`);
    expect(() => ed25519AuthorizedKey(Buffer.alloc(31), "x")).toThrow(/32 bytes/);
  });

  it("renames the comment in place with the same key; keyType replaces", async () => {
    const { outs } = await sshKeyPair.create({ providerVersion: V, keyType: "ed25519", comment: "old" });
    expect(await sshKeyPair.diff("id", outs, { providerVersion: V, keyType: "ed25519", comment: "old" })).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
    expect(await sshKeyPair.diff("id", outs, { providerVersion: V, keyType: "ed25519", comment: "new" })).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    expect((await sshKeyPair.diff("id", outs, { providerVersion: V, keyType: "rsa" as "ed25519", comment: "old" })).replaces).toEqual(["keyType"]);
    const updated = (await sshKeyPair.update("id", outs, { providerVersion: "2", keyType: "ed25519", comment: "new" })).outs;
    expect(ed25519Pkcs8FromOpenSsh(updated.privateKey)).toBe(ed25519Pkcs8FromOpenSsh(outs.privateKey));
    expect(updated.fingerprint).toBe(outs.fingerprint);
    expect(updated.publicKey).toBe(`${outs.publicKey.split(" ").slice(0, 2).join(" ")} new`);
    expect((await sshKeyPair.read("id", outs)).props).toEqual(outs);
  });

  it("rewrites a PKCS#8 key from an earlier version in OpenSSH's format: the same key, the same deploy key on GitHub", async () => {
    const { privateKey: pkcs8 } = crypto.generateKeyPairSync("ed25519", { privateKeyEncoding: { type: "pkcs8", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });
    const { outs } = await sshKeyPair.create({ providerVersion: GENERATORS_PROVIDER_VERSION, keyType: "ed25519", comment: "c" });
    const old = { ...outs, providerVersion: "1", privateKey: pkcs8, publicKey: ed25519AuthorizedKey(ed25519RawPublicKey(pkcs8), "c") };
    expect((await sshKeyPair.diff("id", old, { providerVersion: GENERATORS_PROVIDER_VERSION, keyType: "ed25519", comment: "c" })).changes).toBe(true);
    const updated = (await sshKeyPair.update("id", old, { providerVersion: GENERATORS_PROVIDER_VERSION, keyType: "ed25519", comment: "c" })).outs;
    expect(updated.privateKey).toMatch(/^-----BEGIN OPENSSH PRIVATE KEY-----\n/);
    expect(ed25519Pkcs8FromOpenSsh(updated.privateKey)).toBe(pkcs8);
    expect(updated.publicKey).toBe(old.publicKey);
    // The same key and comment always give the same file: no churn in state on the next update.
    expect((await sshKeyPair.update("id", updated, { providerVersion: GENERATORS_PROVIDER_VERSION, keyType: "ed25519", comment: "c" })).outs.privateKey).toBe(updated.privateKey);
  });

  it("refuses other key types and multi-line comments without echoing anything secret", async () => {
    const result = await sshKeyPair.check({} as SshKeyPairOutputs, { providerVersion: V, keyType: "rsa" as "ed25519", comment: "a\nb" });
    expect(result.failures?.map((f) => f.property)).toEqual(["keyType", "comment"]);
  });
});

describe("AdminPassword provider", () => {
  it("makes an alphanumeric password with a $2a$ cost-10 bcrypt hash that verifies, and an RFC 3339 mtime", async () => {
    const before = Date.now();
    const { outs } = await adminPassword.create({ providerVersion: V, length: 32 });
    expect(outs.password).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(outs.bcryptHash).toMatch(/^\$2a\$10\$[./A-Za-z0-9]{53}$/);
    expect(bcrypt.compareSync(outs.password, outs.bcryptHash)).toBe(true);
    expect(bcrypt.compareSync(`${outs.password}x`, outs.bcryptHash)).toBe(false);
    expect(bcrypt.getRounds(outs.bcryptHash)).toBe(10);
    expect(outs.passwordMtime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(Date.parse(outs.passwordMtime)).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(rfc3339(new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678)))).toBe("2026-01-02T03:04:05Z");
  });

  it("keeps password, hash and mtime on a provider bump; length replaces", async () => {
    const { outs } = await adminPassword.create({ providerVersion: V, length: 20 });
    expect(await adminPassword.diff("id", outs, { providerVersion: V, length: 20 })).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
    expect((await adminPassword.diff("id", outs, { providerVersion: V, length: 24 })).replaces).toEqual(["length"]);
    expect((await adminPassword.update("id", outs, { providerVersion: "2", length: 20 })).outs).toEqual({ ...outs, providerVersion: "2" });
    expect((await adminPassword.read("id", outs)).props).toEqual(outs);
  });

  it("refuses lengths bcrypt would truncate or that are too short", async () => {
    for (const length of [8, 100]) {
      const result = await adminPassword.check({} as AdminPasswordOutputs, { providerVersion: V, length });
      expect(result.failures?.[0]?.property).toBe("length");
    }
  });

  it("never puts a generated value into an error", async () => {
    const { outs } = await adminPassword.create({ providerVersion: V, length: 32 });
    const errors: string[] = [];
    for (const call of [(): Promise<unknown> => adminPassword.read("id-1"), (): Promise<unknown> => sshKeyPair.read("id-2"), (): Promise<unknown> => randomSecret.read("id-3")]) {
      await Promise.resolve().then(call).catch((error: unknown) => errors.push(String(error)));
    }
    // A corrupt state (not a key) fails update without echoing the stored value.
    const corrupt = { providerVersion: V, keyType: "ed25519" as const, comment: "", publicKey: "x", privateKey: outs.password, fingerprint: "f" };
    await Promise.resolve()
      .then(() => sshKeyPair.update("id", corrupt, { providerVersion: V, keyType: "ed25519", comment: "c" }))
      .catch((error: unknown) => errors.push(String(error)));
    expect(errors).toHaveLength(4);
    for (const text of errors) expect(text).not.toContain(outs.password);
  });
});
