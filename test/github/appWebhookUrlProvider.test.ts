// The AppWebhookUrl provider called directly, against the fake GitHub: the App's previous URL is
// recorded, the new one PATCHed with a valid App JWT, and restored on delete. The private key and
// the JWT never show up in outputs or errors.
import { generateKeyPairSync } from "node:crypto";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import {
  appWebhookUrlProvider as provider,
  shouldRestoreWebhookUrl,
  webhookUrlNeedsPatch,
  type AppWebhookUrlInputs,
  type AppWebhookUrlOutputs,
} from "../../providers/github/appWebhookUrlProvider";
import { startFakeGitHub, type FakeGitHub } from "./fakeGitHub";

const keys = generateKeyPairSync("rsa", { modulusLength: 2048, publicKeyEncoding: { type: "spki", format: "pem" }, privateKeyEncoding: { type: "pkcs1", format: "pem" } });
const other = generateKeyPairSync("rsa", { modulusLength: 2048, publicKeyEncoding: { type: "spki", format: "pem" }, privateKeyEncoding: { type: "pkcs8", format: "pem" } });
const OLD_URL = "https://old.example.com/github/webhook";
let fake: FakeGitHub;

const inputs = (overrides: Partial<AppWebhookUrlInputs> = {}): AppWebhookUrlInputs => ({
  providerVersion: "1",
  slug: "morgan",
  appId: "123456",
  privateKey: keys.privateKey,
  url: "https://argo.cto.example.com/hooks/morgan",
  ...overrides,
});
const create = (i: AppWebhookUrlInputs) => provider.create(i) as Promise<{ id: string; outs: AppWebhookUrlOutputs }>;
const hook = () => fake.apps.get("123456")!.hook;
const patches = () => fake.requests.filter((r) => r.method === "PATCH");

beforeAll(async () => {
  fake = await startFakeGitHub();
  await provider.configure!({ config: { get: () => undefined, require: () => "" } });
});
beforeEach(() => {
  vi.stubEnv("GITHUB_API_URL", fake.url);
  fake.apps.set("123456", { appId: "123456", publicKey: keys.publicKey, hook: { url: OLD_URL, content_type: "form", secret: "s", insecure_ssl: "0" } });
});
afterEach(() => {
  vi.unstubAllEnvs();
  fake.clearLog();
  // Each request must be one GitHub's REST description allows (githubJudge.ts).
  fake.assertJudged();
});
afterAll(() => fake.close());

describe("App webhook URL lifecycle", () => {
  it("records the previous URL, PATCHes the new one with a valid JWT, updates, and restores on delete", async () => {
    const { id, outs } = await create(inputs());
    expect(id).toBe("app-123456-hook");
    expect(outs).toMatchObject({ previousUrl: OLD_URL, previousContentType: "form", url: "https://argo.cto.example.com/hooks/morgan", currentUrl: "https://argo.cto.example.com/hooks/morgan" });
    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual(["GET /app/hook/config", "PATCH /app/hook/config"]);
    expect(patches()[0]?.body).toEqual({ url: "https://argo.cto.example.com/hooks/morgan", content_type: "json" });
    expect(hook().url).toBe("https://argo.cto.example.com/hooks/morgan");
    // the fake verified the RS256 signature with the App's public key
    expect(fake.lastJwtClaims?.iss).toBe("123456");
    expect(fake.lastJwtClaims!.exp - fake.lastJwtClaims!.iat).toBeLessThanOrEqual(600);
    expect(fake.requests.every((r) => /^Bearer [\w-]+\.[\w-]+\.[\w-]+$/.test(r.authorization ?? ""))).toBe(true);
    // nothing derived from the key in the outputs besides the (secret) key itself
    const jwt = fake.requests[0]!.authorization!.slice("Bearer ".length);
    expect(JSON.stringify(outs)).not.toContain(jwt);

    fake.clearLog();
    const moved = inputs({ url: "https://argo2.cto.example.com/hooks/morgan" });
    expect(await provider.diff!(id, outs, moved)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    const updated = await provider.update!(id, outs, moved);
    expect(patches().map((p) => p.body)).toEqual([{ url: "https://argo2.cto.example.com/hooks/morgan", content_type: "json" }]);
    expect(updated.outs).toMatchObject({ previousUrl: OLD_URL, url: "https://argo2.cto.example.com/hooks/morgan", currentUrl: "https://argo2.cto.example.com/hooks/morgan" });

    fake.clearLog();
    await provider.delete!(id, updated.outs as AppWebhookUrlOutputs);
    expect(patches().map((p) => p.body)).toEqual([{ url: OLD_URL, content_type: "form" }]);
    expect(hook().url).toBe(OLD_URL);
  });

  it("delete leaves a URL someone changed since, and one the App never had", async () => {
    const { id, outs } = await create(inputs());
    hook().url = "https://someone-else.example.com/hook";
    fake.clearLog();
    await provider.delete!(id, outs);
    expect(patches()).toHaveLength(0);
    expect(hook().url).toBe("https://someone-else.example.com/hook");

    fake.clearLog();
    await provider.delete!(id, { ...outs, previousUrl: "" });
    expect(fake.requests).toHaveLength(0);
  });

  it("refresh reports a URL changed in the App's settings as drift, keeps ours as url, and the next up points it back", async () => {
    const { id, outs } = await create(inputs());
    hook().url = "https://drifted.example.com/hook";
    const read = await provider.read!(id, outs);
    expect(read.props).toEqual({ ...outs, currentUrl: "https://drifted.example.com/hook" });
    expect(await provider.diff!(id, read.props!, inputs())).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    fake.clearLog();
    const updated = await provider.update!(id, read.props!, inputs());
    expect(patches().map((p) => p.body)).toEqual([{ url: "https://argo.cto.example.com/hooks/morgan", content_type: "json" }]);
    expect(updated.outs).toMatchObject({ url: "https://argo.cto.example.com/hooks/morgan", currentUrl: "https://argo.cto.example.com/hooks/morgan", previousUrl: OLD_URL });
    expect(await provider.diff!(id, updated.outs as AppWebhookUrlOutputs, inputs())).toMatchObject({ changes: false });
  });

  it("refresh after someone changed the URL, then delete: their URL stays, ours is not taken for it", async () => {
    const { id, outs } = await create(inputs());
    hook().url = "https://someone-else.example.com/hook";
    const read = await provider.read!(id, outs);
    fake.clearLog();
    await provider.delete!(id, read.props!);
    expect(patches()).toHaveLength(0);
    expect(hook().url).toBe("https://someone-else.example.com/hook");
  });

  it("a key of another App fails with 401 and what to do, without the key or the JWT", async () => {
    const error = (await create(inputs({ privateKey: other.privateKey })).catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/GitHub App morgan \(id 123456\).*401.*private key/);
    expect(error.message).not.toContain("PRIVATE KEY");
    expect(error.message).not.toContain(fake.requests[0]!.authorization!.slice(7));
    expect(error.message).not.toMatch(/eyJ/);
    expect(hook().url).toBe(OLD_URL);
  });

  it("a malformed key fails before dialling and does not quote it", async () => {
    const error = (await create(inputs({ privateKey: "-----BEGIN RSA PRIVATE KEY-----\nnot-a-key-secret-bits\n-----END RSA PRIVATE KEY-----" })).catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/not a PEM private key/);
    expect(error.message).not.toContain("not-a-key-secret-bits");
    expect(fake.requests).toHaveLength(0);
  });
});

describe("webhook URL decisions", () => {
  const ours = "https://argo.cto.example.com/hooks/morgan";
  it("patches for a changed input or drift seen by a refresh, and not for state without currentUrl", () => {
    expect(webhookUrlNeedsPatch({ url: ours, currentUrl: ours }, ours)).toBe(false);
    expect(webhookUrlNeedsPatch({ url: ours }, ours)).toBe(false);
    expect(webhookUrlNeedsPatch({ url: ours, currentUrl: "https://x.example.com" }, ours)).toBe(true);
    expect(webhookUrlNeedsPatch({ url: ours, currentUrl: ours }, "https://new.example.com")).toBe(true);
  });
  it("restores only over our own URL, and only when there was one before", () => {
    expect(shouldRestoreWebhookUrl({ url: ours, previousUrl: OLD_URL }, ours)).toBe(true);
    expect(shouldRestoreWebhookUrl({ url: ours, previousUrl: OLD_URL }, "https://someone-else.example.com")).toBe(false);
    expect(shouldRestoreWebhookUrl({ url: ours, previousUrl: "" }, ours)).toBe(false);
  });
});

describe("diff and check", () => {
  const olds = { ...inputs(), previousUrl: OLD_URL, previousContentType: "json" };
  it("another App id replaces; the same inputs change nothing; a rotated key is an update", async () => {
    expect(await provider.diff!("x", olds, inputs({ appId: "999" }))).toEqual({ changes: true, replaces: ["appId"], deleteBeforeReplace: false });
    expect(await provider.diff!("x", olds, inputs())).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
    expect(await provider.diff!("x", olds, inputs({ privateKey: other.privateKey }))).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
  });

  it("check refuses a bad App id, a non-PEM key (without quoting it) and a plain-http URL", async () => {
    const result = await provider.check!({} as AppWebhookUrlInputs, inputs({ appId: "morgan", privateKey: "hunter2-secret", url: "http://argo.example.com/hook" }));
    expect(result.failures?.map((f) => f.property)).toEqual(["appId", "privateKey", "url"]);
    expect(JSON.stringify(result.failures)).not.toContain("hunter2-secret");
  });
});
