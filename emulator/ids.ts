// Deterministic randomness and Latitude-style identifiers.
import { createHash, randomInt } from "node:crypto";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** A seedable PRNG (mulberry32): the same seed gives the same ids and fault decisions. */
export class Rng {
  private state: number;

  constructor(seed: number = randomInt(0, 2 ** 31)) {
    this.state = seed >>> 0;
  }

  /** Uniform float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  base62(length: number): string {
    let out = "";
    for (let i = 0; i < length; i++) out += BASE62[this.int(0, 61)] ?? "0";
    return out;
  }

  /** `prefix` + 13 base62 chars, like `sv_ZWr75Zbjr5A91`; tags use 27. */
  id(prefix: string, length = 13): string {
    return `${prefix}${this.base62(length)}`;
  }
}

/** A stable id derived from a name, so catalogue ids are the same in every emulator instance. */
export function stableId(prefix: string, name: string): string {
  const digest = createHash("sha256").update(name).digest();
  let out = "";
  for (let i = 0; i < 13; i++) out += BASE62[(digest[i] ?? 0) % 62] ?? "0";
  return `${prefix}${out}`;
}

/** ISO-8601 with an explicit offset and no millis, as the API writes it (`2025-05-05T10:54:34+00:00`). */
export function timestamp(ms: number = Date.now()): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "+00:00");
}

/** First 12 hex chars of sha256(key): identifies a key in the request log without revealing it. */
export function keyHash(key: string): string {
  return key === "" ? "" : createHash("sha256").update(key).digest("hex").slice(0, 12);
}
