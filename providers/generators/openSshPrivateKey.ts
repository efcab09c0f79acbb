// An ed25519 private key in OpenSSH's own format ("BEGIN OPENSSH PRIVATE KEY"), which every
// OpenSSH reads; PKCS#8 ed25519 is read only from OpenSSH 9.6 (Debian 12 ships 9.2: "invalid
// format"), and Argo CD fetches over SSH with the `ssh` program. The layout is OpenSSH's
// PROTOCOL.key (openssh-portable): magic, cipher "none", kdf "none", one public key, then the
// private section padded to the cipher's block size (8 for "none"). Written by hand: node:crypto
// has no OpenSSH encoder and the format is 30 lines; the suite judges it with the real ssh-keygen.
// Serialized with the SSH key pair provider: builtins are require()d inside.
import { ed25519RawKeys, sshString } from "./sshPublicKey";

const MAGIC = Buffer.from("openssh-key-v1\0", "latin1");
const KEY_TYPE = Buffer.from("ssh-ed25519");
const BLOCK_SIZE = 8;

function uint32(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(value >>> 0, 0);
  return b;
}

/** The OpenSSH private key file of an ed25519 key given in PKCS#8 PEM, with the public key's comment. */
export function ed25519OpenSshPrivateKey(pkcs8Pem: string, comment: string): string {
  const crypto = require("node:crypto") as typeof import("node:crypto");
  const { seed, publicKey } = ed25519RawKeys(pkcs8Pem);
  const publicBlob = Buffer.concat([sshString(KEY_TYPE), sshString(publicKey)]);
  // Two equal words let a reader check a decryption. OpenSSH draws them at random; derived from
  // the key here, so the same key and comment always give the same file (no churn in state).
  const check = crypto.createHash("sha256").update(publicKey).digest().subarray(0, 4);
  const unpadded = Buffer.concat([check, check, sshString(KEY_TYPE), sshString(publicKey), sshString(Buffer.concat([seed, publicKey])), sshString(Buffer.from(comment.trim()))]);
  const padLength = (BLOCK_SIZE - (unpadded.length % BLOCK_SIZE)) % BLOCK_SIZE;
  const padding = Buffer.from(Array.from({ length: padLength }, (_, i) => i + 1));
  const none = sshString(Buffer.from("none"));
  const body = Buffer.concat([MAGIC, none, none, sshString(Buffer.alloc(0)), uint32(1), sshString(publicBlob), sshString(Buffer.concat([unpadded, padding]))]);
  const lines = body.toString("base64").match(/.{1,70}/g) ?? [];
  return `-----BEGIN OPENSSH PRIVATE KEY-----\n${lines.join("\n")}\n-----END OPENSSH PRIVATE KEY-----\n`;
}

/** Reads SSH wire "string"s one after another. */
function wireReader(buf: Buffer, start = 0): { string(): Buffer; skip(bytes: number): void } {
  let at = start;
  return {
    string(): Buffer {
      if (at + 4 > buf.length) throw new Error("truncated OpenSSH private key");
      const length = buf.readUInt32BE(at);
      if (at + 4 + length > buf.length) throw new Error("truncated OpenSSH private key");
      const value = buf.subarray(at + 4, at + 4 + length);
      at += 4 + length;
      return value;
    },
    skip(bytes: number): void {
      at += bytes;
    },
  };
}

/** The PKCS#8 PEM of an unencrypted ed25519 key in OpenSSH's format, for node:crypto. */
export function ed25519Pkcs8FromOpenSsh(openSshPem: string): string {
  const crypto = require("node:crypto") as typeof import("node:crypto");
  const body = Buffer.from(openSshPem.replace(/-----(BEGIN|END) OPENSSH PRIVATE KEY-----/g, "").replace(/\s+/g, ""), "base64");
  if (!body.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error("not an OpenSSH private key");
  const outer = wireReader(body, MAGIC.length);
  if (outer.string().toString() !== "none" || outer.string().toString() !== "none") throw new Error("an encrypted OpenSSH private key cannot be read here");
  outer.string(); // kdf options
  outer.skip(4); // number of keys: 1
  outer.string(); // public key blob
  const section = wireReader(outer.string(), 8); // after the two check words
  if (section.string().toString() !== "ssh-ed25519") throw new Error("the OpenSSH private key is not an ed25519 key");
  const publicKey = section.string();
  const seed = section.string().subarray(0, 32);
  const jwk = { kty: "OKP", crv: "Ed25519", d: seed.toString("base64url"), x: publicKey.toString("base64url") };
  return crypto.createPrivateKey({ key: jwk, format: "jwk" }).export({ type: "pkcs8", format: "pem" }).toString();
}
