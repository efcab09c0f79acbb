// A random admin password and its bcrypt hash, generated once, at create. Argo CD stores the hash
// in argocd-secret (`admin.password`) and compares with golang.org/x/crypto/bcrypt, which accepts
// any $2<minor>$ prefix; we emit $2a$, the prefix Go itself writes. Cost 10 = Go's DefaultCost.
// `passwordMtime` (RFC 3339) goes to `admin.passwordMtime`: without it the chart stamps "now" on
// every render, so every `up` would show a change and log the admin out.
// This object is serialized into state: dependencies are local modules or require()d inside.
import type * as pulumi from "@pulumi/pulumi";
import { ALPHABETS, lengthFailure, randomText } from "./generatorSupport";

export const BCRYPT_COST = 10;
/** bcrypt reads at most 72 bytes: a longer password would be silently truncated. */
export const ADMIN_PASSWORD_MAX = 72;

export interface AdminPasswordInputs {
  /** Bumped with the provider code, so the engine stores the new code in state. */
  providerVersion: string;
  /** Alphanumeric characters in the password (16 to 72). */
  length: number;
}

export interface AdminPasswordOutputs extends AdminPasswordInputs {
  /** Secret. */
  password: string;
  /** `$2a$10$...`; secret. */
  bcryptHash: string;
  /** RFC 3339, UTC, whole seconds. */
  passwordMtime: string;
}

/** RFC 3339 in UTC without fractional seconds ("2026-01-02T03:04:05Z"), as Argo CD's CLI writes it. */
export function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

export const adminPasswordProvider: pulumi.dynamic.ResourceProvider<AdminPasswordInputs, AdminPasswordOutputs> = {
  check(_olds: AdminPasswordInputs, news: AdminPasswordInputs): Promise<pulumi.dynamic.CheckResult<AdminPasswordInputs>> {
    const failures: pulumi.dynamic.CheckFailure[] = [];
    const length = lengthFailure("AdminPassword", news.length);
    if (length) failures.push({ property: "length", reason: length });
    else if (typeof news.length === "number" && news.length > ADMIN_PASSWORD_MAX) failures.push({ property: "length", reason: `AdminPassword: bcrypt uses at most ${ADMIN_PASSWORD_MAX} characters, got ${news.length}` });
    return Promise.resolve({ inputs: news, failures });
  },

  diff(_id: string, olds: AdminPasswordOutputs, news: AdminPasswordInputs): Promise<pulumi.dynamic.DiffResult> {
    const replaces = olds.length !== news.length ? ["length"] : [];
    return Promise.resolve({ changes: replaces.length > 0 || olds.providerVersion !== news.providerVersion, replaces, deleteBeforeReplace: false });
  },

  create(inputs: AdminPasswordInputs): Promise<pulumi.dynamic.CreateResult<AdminPasswordOutputs>> {
    const crypto = require("node:crypto") as typeof import("node:crypto");
    const bcrypt = require("bcryptjs") as typeof import("bcryptjs");
    const password = randomText(inputs.length, ALPHABETS.alphanumeric);
    // $2a$ and $2b$ hash identically for ASCII passwords under 72 bytes (2b only fixed wrap-around).
    const bcryptHash = bcrypt.hashSync(password, BCRYPT_COST).replace(/^\$2b\$/, "$2a$");
    return Promise.resolve({ id: crypto.randomUUID(), outs: { ...inputs, password, bcryptHash, passwordMtime: rfc3339(new Date()) } });
  },

  read(id: string, props?: AdminPasswordOutputs): Promise<pulumi.dynamic.ReadResult<AdminPasswordOutputs>> {
    if (!props) throw new Error(`importing AdminPassword ${id} is not supported: dynamic resources cannot be imported`);
    return Promise.resolve({ id, props });
  },

  update(_id: string, olds: AdminPasswordOutputs, news: AdminPasswordInputs): Promise<pulumi.dynamic.UpdateResult<AdminPasswordOutputs>> {
    return Promise.resolve({ outs: { ...olds, providerVersion: news.providerVersion } });
  },

  delete(): Promise<void> {
    return Promise.resolve();
  },
};
