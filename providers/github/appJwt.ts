// The JSON Web Token a GitHub App authenticates with to manage its own settings (/app/...):
// RS256 over {iat, exp, iss}, signed with the App's private key. Built on node:crypto so no JWT
// library has to survive closure serialization. The key and the token never reach an error text.

/** GitHub refuses an App JWT that lives longer than 10 minutes. */
export const APP_JWT_LIFETIME_S = 9 * 60;
/** iat is set back a minute: GitHub refuses a token "issued in the future" by a clock ahead of its own. */
export const APP_JWT_CLOCK_SKEW_S = 60;

/** An App id (digits) or an App client id (Iv…), both accepted by GitHub as `iss`. */
export const APP_ID_PATTERN = /^(?:[0-9]{1,12}|Iv[0-9A-Za-z.]{1,40})$/;

export interface AppJwtClaims {
  iat: number;
  exp: number;
  iss: string;
}

export function appJwtClaims(appId: string, nowMs: number): AppJwtClaims {
  const now = Math.floor(nowMs / 1000);
  return { iat: now - APP_JWT_CLOCK_SKEW_S, exp: now + APP_JWT_LIFETIME_S, iss: appId };
}

export function appJwt(appId: string, privateKeyPem: string, nowMs: number = Date.now()): string {
  const crypto = require("node:crypto") as typeof import("node:crypto");
  if (!APP_ID_PATTERN.test(appId)) throw new Error(`GitHub App id ${JSON.stringify(appId.slice(0, 20))} is not an App id (digits) or client id (Iv…); copy it from the App's settings page`);
  let key: import("node:crypto").KeyObject;
  try {
    key = crypto.createPrivateKey({ key: privateKeyPem, format: "pem" });
  } catch {
    // The crypto error may quote part of its input: say what is wrong without it.
    throw new Error(`the private key of GitHub App ${appId} is not a PEM private key; paste the whole .pem file GitHub generated (-----BEGIN RSA PRIVATE KEY----- …)`);
  }
  if (key.asymmetricKeyType !== "rsa") throw new Error(`the private key of GitHub App ${appId} is not an RSA key; GitHub Apps sign with RS256`);
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const unsigned = `${encode({ alg: "RS256", typ: "JWT" })}.${encode(appJwtClaims(appId, nowMs))}`;
  const signature = crypto.sign("sha256", Buffer.from(unsigned), key).toString("base64url");
  return `${unsigned}.${signature}`;
}
