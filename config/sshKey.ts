// OpenSSH public key check. Besides the text shape, the key data is read as SSH wire format: it
// must name the same key type as the prefix and hold exactly the fields of that type, which
// catches keys truncated or mangled by copy and paste before Latitude sees them.

export const SSH_KEY_TYPES = [
  "ssh-ed25519",
  "ssh-rsa",
  "ecdsa-sha2-nistp256",
  "ecdsa-sha2-nistp384",
  "ecdsa-sha2-nistp521",
] as const;

const KEY_PATTERN = /^(\S+) ([A-Za-z0-9+/]+={0,2})(?: [^\r\n]*)?$/;

// Uncompressed EC point sizes (0x04 || X || Y) per curve.
const EC_POINT_BYTES: Record<string, number> = { nistp256: 65, nistp384: 97, nistp521: 133 };

export function isOpenSshPublicKey(text: string): boolean {
  const match = KEY_PATTERN.exec(text);
  const type = match?.[1];
  const data = match?.[2];
  if (type === undefined || data === undefined || data.length % 4 !== 0) return false;
  if (!(SSH_KEY_TYPES as readonly string[]).includes(type)) return false;

  const blob = Buffer.from(data, "base64");
  let offset = 0;
  // An SSH "string": uint32 length, then that many bytes.
  const field = (): Buffer | undefined => {
    if (offset + 4 > blob.length) return undefined;
    const length = blob.readUInt32BE(offset);
    if (offset + 4 + length > blob.length) return undefined;
    const value = blob.subarray(offset + 4, offset + 4 + length);
    offset += 4 + length;
    return value;
  };

  if (field()?.toString("latin1") !== type) return false;
  if (type === "ssh-ed25519") {
    if (field()?.length !== 32) return false;
  } else if (type === "ssh-rsa") {
    const exponent = field();
    const modulus = field();
    if (!exponent?.length || modulus === undefined || modulus.length < 128) return false;
  } else {
    const curve = type.slice("ecdsa-sha2-".length);
    if (field()?.toString("latin1") !== curve) return false;
    if (field()?.length !== EC_POINT_BYTES[curve]) return false;
  }
  return offset === blob.length;
}
