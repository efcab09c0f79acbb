// OpenSSH public keys built by hand from the raw ed25519 key (RFC 8709 wire format), so no SSH
// library is needed. Serialized with the SSH key pair provider: builtins are require()d inside.

/** SSH wire "string": a uint32 big-endian length, then the bytes. */
export function sshString(bytes: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length, 0);
  return Buffer.concat([length, bytes]);
}

/** `ssh-ed25519 AAAA... comment` (authorized_keys format) from the 32 raw public key bytes. */
export function ed25519AuthorizedKey(rawPublicKey: Buffer, comment: string): string {
  if (rawPublicKey.length !== 32) throw new Error(`an ed25519 public key has 32 bytes, got ${rawPublicKey.length}`);
  const blob = Buffer.concat([sshString(Buffer.from("ssh-ed25519")), sshString(rawPublicKey)]);
  const line = `ssh-ed25519 ${blob.toString("base64")}`;
  return comment.trim() === "" ? line : `${line} ${comment.trim()}`;
}

/** The raw 32-byte public key of an ed25519 private key in PEM (PKCS#8). */
export function ed25519RawPublicKey(privateKeyPem: string): Buffer {
  return ed25519RawKeys(privateKeyPem).publicKey;
}

/** The raw 32-byte seed and public key of an ed25519 private key in PEM (PKCS#8). */
export function ed25519RawKeys(privateKeyPem: string): { seed: Buffer; publicKey: Buffer } {
  const crypto = require("node:crypto") as typeof import("node:crypto");
  const jwk = crypto.createPrivateKey(privateKeyPem).export({ format: "jwk" });
  if (jwk.crv !== "Ed25519" || typeof jwk.x !== "string" || typeof jwk.d !== "string") throw new Error("the private key is not an ed25519 key");
  return { seed: Buffer.from(jwk.d, "base64url"), publicKey: Buffer.from(jwk.x, "base64url") };
}
