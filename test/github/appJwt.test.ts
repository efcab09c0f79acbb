// The App JWT: RS256 that verifies with the App's public key, iat set back for clock skew, exp
// within GitHub's ten minutes, iss = App id; bad ids and keys refused without quoting the key.
import { createPublicKey, generateKeyPairSync, verify } from "node:crypto";
import { describe, expect, it } from "vitest";
import { APP_JWT_CLOCK_SKEW_S, APP_JWT_LIFETIME_S, appJwt, appJwtClaims } from "../../providers/github/appJwt";

const rsa = generateKeyPairSync("rsa", { modulusLength: 2048, publicKeyEncoding: { type: "spki", format: "pem" }, privateKeyEncoding: { type: "pkcs1", format: "pem" } });
const decode = (part: string) => JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as Record<string, unknown>;
const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);

describe("appJwt", () => {
  it("is an RS256 JWT whose signature verifies with the App's public key", () => {
    const token = appJwt("123456", rsa.privateKey, NOW);
    const [header, payload, signature] = token.split(".") as [string, string, string];
    expect(decode(header)).toEqual({ alg: "RS256", typ: "JWT" });
    expect(verify("sha256", Buffer.from(`${header}.${payload}`), createPublicKey(rsa.publicKey), Buffer.from(signature, "base64url"))).toBe(true);
    const now = NOW / 1000;
    expect(decode(payload)).toEqual({ iat: now - 60, exp: now + 540, iss: "123456" });
  });

  it("stays within GitHub's ten-minute limit and starts in the past", () => {
    const claims = appJwtClaims("1", NOW);
    expect(claims.exp - claims.iat).toBe(APP_JWT_LIFETIME_S + APP_JWT_CLOCK_SKEW_S);
    expect(claims.exp - claims.iat).toBeLessThanOrEqual(600);
    expect(claims.iat).toBeLessThan(NOW / 1000);
  });

  it("accepts a PKCS#8 key and an App client id as issuer", () => {
    const pkcs8 = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs8", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });
    expect(decode(appJwt("Iv23liAbCdEf", pkcs8.privateKey, NOW).split(".")[1]!).iss).toBe("Iv23liAbCdEf");
  });

  it("refuses a bad App id, a non-PEM key and a non-RSA key without quoting the key", () => {
    expect(() => appJwt("morgan", rsa.privateKey)).toThrow(/not an App id/);
    const garbage = "-----BEGIN RSA PRIVATE KEY-----\nsecret-material\n-----END RSA PRIVATE KEY-----";
    expect(() => appJwt("1", garbage)).toThrow(/not a PEM private key/);
    try {
      appJwt("1", garbage);
    } catch (error) {
      expect((error as Error).message).not.toContain("secret-material");
    }
    const ec = generateKeyPairSync("ec", { namedCurve: "P-256", privateKeyEncoding: { type: "pkcs8", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });
    expect(() => appJwt("1", ec.privateKey)).toThrow(/not an RSA key/);
  });
});
