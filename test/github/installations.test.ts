// The installation check against the fake GitHub: installed / not installed per App, every page
// by the Link header's rel="next", and "unknown: …" without a token (no request at all), when
// GitHub refuses, or past the page bound, never the token.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import * as pulumi from "@pulumi/pulumi";
import { linkTarget } from "../../providers/github/http";
import { checkInstallations, installationStatusOutput, MAX_INSTALLATION_PAGES } from "../../providers/github/installations";
import { startFakeGitHub, type FakeGitHub } from "./fakeGitHub";

const TOKEN = "ghp_installations_token";
const apps = [
  { name: "Morgan", slug: "morgan-5dlabs" },
  { name: "Rex", slug: "rex-5dlabs" },
];
let fake: FakeGitHub;
const env = () => ({ GITHUB_API_URL: fake.url });

beforeAll(async () => {
  fake = await startFakeGitHub();
  fake.tokens.add(TOKEN);
  fake.installations.set("acme", ["other-app", "morgan-5dlabs"]);
  // more than one page: the App sits on the second page
  fake.installations.set("big", [...Array.from({ length: 130 }, (_, i) => `app-${i}`), "rex-5dlabs"]);
  // beyond 1,000 installations (the old hard stop at 10 pages of 100): Rex sits on page 11
  fake.installations.set("huge", ["morgan-5dlabs", ...Array.from({ length: 1_049 }, (_, i) => `app-${i}`), "rex-5dlabs"]);
});
afterEach(() => {
  fake.clearLog();
  fake.assertJudged();
});
afterAll(() => fake.close());

describe("checkInstallations", () => {
  it("says which Apps are installed, with the token as a bearer token", async () => {
    expect(await checkInstallations({ org: "acme", apps, token: TOKEN, env: env() })).toEqual({ Morgan: "installed", Rex: "not installed" });
    expect(fake.requests.map((r) => r.path)).toEqual(["/orgs/acme/installations?per_page=100"]);
    expect(fake.requests[0]?.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it("reads every page, following the Link header's rel=\"next\" URL as GitHub gives it", async () => {
    expect(await checkInstallations({ org: "big", apps, token: TOKEN, env: env() })).toEqual({ Morgan: "not installed", Rex: "installed" });
    const id = fake.orgIds.get("big");
    expect(fake.requests.map((r) => r.path)).toEqual(["/orgs/big/installations?per_page=100", `/organizations/${id}/installations?per_page=100&page=2`]);
    expect(fake.requests.every((r) => r.authorization === `Bearer ${TOKEN}`)).toBe(true);
  });

  it("beyond 1,000 installations: an App on page 11 is installed", async () => {
    expect(await checkInstallations({ org: "huge", apps, token: TOKEN, env: env() })).toEqual({ Morgan: "installed", Rex: "installed" });
    expect(fake.requests).toHaveLength(11);
    expect(fake.requests.at(-1)?.path).toMatch(/&page=11$/);
  });

  it("stops at the page bound with a clear reason: Apps seen are installed, the rest unknown", async () => {
    expect(MAX_INSTALLATION_PAGES * 100).toBeGreaterThanOrEqual(10_000);
    const status = await checkInstallations({ org: "huge", apps, token: TOKEN, env: env(), maxPages: 3 });
    expect(status.Morgan).toBe("installed");
    expect(status.Rex).toBe("unknown: GitHub still linked a next page after 3 pages (300 installations); stopped there, so an App not seen yet may be installed");
    expect(fake.requests).toHaveLength(3);
  });

  it("reads the Link header as GitHub writes it", () => {
    const link = '<https://api.github.com/organizations/9/installations?per_page=100&page=1>; rel="prev", <https://api.github.com/organizations/9/installations?per_page=100&page=3>; rel="next", <https://api.github.com/organizations/9/installations?per_page=100&page=11>; rel="last", <https://api.github.com/organizations/9/installations?per_page=100&page=1>; rel="first"';
    expect(linkTarget(link, "next")).toBe("https://api.github.com/organizations/9/installations?per_page=100&page=3");
    expect(linkTarget(link, "last")).toMatch(/page=11$/);
    expect(linkTarget('<https://api.github.com/x?page=1>; rel="prev"', "next")).toBeUndefined();
    expect(linkTarget(undefined, "next")).toBeUndefined();
  });

  it("falls back to GITHUB_TOKEN", async () => {
    expect(await checkInstallations({ org: "acme", apps, env: { ...env(), GITHUB_TOKEN: TOKEN } })).toEqual({ Morgan: "installed", Rex: "not installed" });
  });

  it("without a token answers unknown for every App and dials nothing", async () => {
    const status = await checkInstallations({ org: "acme", apps, env: env() });
    expect(Object.keys(status)).toEqual(["Morgan", "Rex"]);
    for (const state of Object.values(status)) expect(state).toMatch(/^unknown: no GitHub token/);
    expect(fake.requests).toHaveLength(0);
  });

  it("a rejected token gives unknown with the status, never the token", async () => {
    const status = await checkInstallations({ org: "acme", apps, token: "ghp_rejected_secret", env: env() });
    expect(status.Morgan).toMatch(/^unknown: GitHub answered 401 \(Bad credentials\)/);
    expect(JSON.stringify(status)).not.toContain("ghp_rejected_secret");
  });

  it("an unreachable API gives unknown, without throwing", async () => {
    const status = await checkInstallations({ org: "acme", apps, token: TOKEN, env: { GITHUB_API_URL: "http://127.0.0.1:1" }, timeoutMs: 2000 });
    expect(status.Rex).toMatch(/^unknown: GitHub GET \/orgs\/acme\/installations/);
    expect(JSON.stringify(status)).not.toContain(TOKEN);
  });

  it("a missing organisation gives unknown with 404", async () => {
    expect((await checkInstallations({ org: "nope", apps, token: TOKEN, env: env() })).Morgan).toMatch(/^unknown: GitHub answered 404/);
  });

  it("as an Output from a secret token: the status is plain, holds no token, and reads GITHUB_API_URL", async () => {
    process.env["GITHUB_API_URL"] = fake.url;
    try {
      const status = installationStatusOutput({ org: "acme", apps, token: pulumi.secret(TOKEN) });
      expect(await pulumi.isSecret(status)).toBe(false);
      expect(await new Promise((resolve) => status.apply(resolve))).toEqual({ Morgan: "installed", Rex: "not installed" });
    } finally {
      delete process.env["GITHUB_API_URL"];
    }
  });
});
