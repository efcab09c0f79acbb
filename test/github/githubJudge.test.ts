// The judge of our GitHub calls: where it finds GitHub's REST description, what it refuses (naming
// the operation and a JSON pointer), what it accepts, and the fake GitHub answering a refused call.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { githubRequest } from "../../providers/github/http";
import { DESCRIPTION_ENV, loadGitHubDescription, locateGitHubDescription, REQUIRE_REFERENCES_ENV } from "./githubDescription";
import { PATH_DEVIATIONS } from "./githubDeviations";
import { formatMismatch, GitHubJudge, type JudgedRequest } from "./githubJudge";
import { startFakeGitHub } from "./fakeGitHub";

const scratch = mkdtempSync(join(tmpdir(), "cto-github-description-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const TINY = JSON.stringify({ openapi: "3.0.3", paths: {} });

describe("locating the description", () => {
  it("takes $CTO_GITHUB_REST_SUBSET first, and refuses one that points nowhere", () => {
    const file = join(scratch, "explicit.json");
    writeFileSync(file, TINY);
    expect(locateGitHubDescription({ [DESCRIPTION_ENV]: file }, join(scratch, "nowhere"))).toBe(file);
    expect(() => locateGitHubDescription({ [DESCRIPTION_ENV]: join(scratch, "missing.json") })).toThrow(/no such file/);
  });

  it("then <repo>/../shared/reference, then the first one walking up", () => {
    const beside = join(scratch, "a", "shared", "reference");
    mkdirSync(beside, { recursive: true });
    writeFileSync(join(beside, "github-rest-subset.json"), TINY);
    mkdirSync(join(scratch, "a", "repo", "deep", "er"), { recursive: true });
    expect(locateGitHubDescription({}, join(scratch, "a", "repo"))).toBe(join(beside, "github-rest-subset.json"));
    expect(locateGitHubDescription({}, join(scratch, "a", "repo", "deep", "er"))).toBe(join(beside, "github-rest-subset.json"));
  });

  it("absent: one loud warning and no judging; with CTO_REQUIRE_REFERENCES=1 an error", async () => {
    vi.resetModules();
    const fresh = await import("./githubDescription");
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      const empty = mkdtempSync(join(tmpdir(), "cto-no-description-"));
      expect(fresh.loadGitHubDescription({}, empty)).toBeUndefined();
      expect(fresh.loadGitHubDescription({}, empty)).toBeUndefined();
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0]?.[0])).toMatch(/GitHub description checks are SKIPPED/);
      expect(() => fresh.loadGitHubDescription({ [REQUIRE_REFERENCES_ENV]: "1" }, empty)).toThrow(/CTO_REQUIRE_REFERENCES=1 requires it/);
      rmSync(empty, { recursive: true, force: true });
    } finally {
      warn.mockRestore();
    }
  });
});

const description = loadGitHubDescription();

describe.skipIf(!description)("the judge", () => {
  // vitest collects a skipped describe's body too: build the judge only when there is a description.
  const judge = description ? new GitHubJudge(description, PATH_DEVIATIONS) : (undefined as unknown as GitHubJudge);
  const verdict = (method: string, url: string, body?: unknown) => judge.judge({ method, url, rawBody: body === undefined ? "" : JSON.stringify(body) } satisfies JudgedRequest);
  const refusals = (method: string, url: string, body?: unknown) => verdict(method, url, body).mismatches.map(formatMismatch);
  const CONTENTS_PUT = "repos/create-or-update-file-contents (PUT /repos/{owner}/{repo}/contents/{path})";

  it("accepts our calls as we send them", () => {
    const ok: Array<[string, string, unknown?]> = [
      ["GET", "/orgs/acme/installations?per_page=100"],
      ["GET", "/repos/acme/cto-apps/contents/apps/platform/argocd.yaml?ref=main"],
      ["PUT", "/repos/acme/cto-apps/contents/README.md", { message: "seed", content: "IyBoaQo=", branch: "main" }],
      ["GET", "/app/hook/config"],
      ["PATCH", "/app/hook/config", { url: "https://hooks.example.com/github", content_type: "json" }],
    ];
    for (const [method, url, body] of ok) expect(refusals(method, url, body), `${method} ${url}`).toEqual([]);
    expect(verdict("GET", "/repos/a/b/contents/x/y.yaml").operation?.operationId).toBe("repos/get-content");
  });

  it("accepts the organisation-by-id Link URL only through its listed deviation", () => {
    const v = verdict("GET", "/organizations/9000000/installations?per_page=100&page=2");
    expect(v).toMatchObject({ deviation: "org-link-by-organization-id", mismatches: [] });
    expect(v.operation?.operationId).toBe("orgs/list-app-installations");
    expect(refusals("GET", "/organizations/acme/installations")).toEqual(['orgs/list-app-installations (GET /orgs/{org}/installations): /path/organization_id: "acme": must be integer']);
    expect(new GitHubJudge(description!).judge({ method: "GET", url: "/organizations/9/installations", rawBody: "" }).mismatches[0]?.pointer).toBe("/path");
  });

  it("refuses a wrong method, naming the operations the path has", () => {
    expect(refusals("PUT", "/app/hook/config", { url: "https://x.example.com" })).toEqual([
      "PUT /app/hook/config: /method: no PUT operation on this path; the description has apps/get-webhook-config-for-app (GET /app/hook/config), apps/update-webhook-config-for-app (PATCH /app/hook/config)",
    ]);
  });

  it("refuses a path no operation has", () => {
    expect(refusals("GET", "/orgs/acme/instalations")).toEqual([expect.stringMatching(/^GET \/orgs\/acme\/instalations: \/path: no operation in the description has this path/)]);
  });

  it("refuses a body without a required field, naming the operation and the pointer", () => {
    expect(refusals("PUT", "/repos/a/b/contents/README.md", { content: "eA==", branch: "main" })).toEqual([`${CONTENTS_PUT}: /body/message: required by the description, missing`]);
    expect(refusals("PUT", "/repos/a/b/contents/README.md", { message: "m", content: "eA==", committer: { name: "cto" } })).toEqual([`${CONTENTS_PUT}: /body/committer/email: required by the description, missing`]);
    expect(refusals("PUT", "/repos/a/b/contents/README.md")).toEqual([`${CONTENTS_PUT}: /body: the description requires a request body, none was sent`]);
  });

  it("refuses a field the schema does not have, a wrong type, and a value that is not a URI", () => {
    const hook = "apps/update-webhook-config-for-app (PATCH /app/hook/config)";
    expect(refusals("PATCH", "/app/hook/config", { url: "https://x.example.com", contentType: "json" })).toEqual([`${hook}: /body/contentType: not in the description's schema (GitHub would ignore it)`]);
    expect(refusals("PATCH", "/app/hook/config", { url: 42 })).toEqual([`${hook}: /body/url: must be string`]);
    expect(refusals("PATCH", "/app/hook/config", { url: "hooks.example.com/github" })).toEqual([`${hook}: /body/url: must match format "uri"`]);
    expect(refusals("GET", "/app/hook/config", { url: "https://x.example.com" })).toEqual(["apps/get-webhook-config-for-app (GET /app/hook/config): /body: this operation takes no request body"]);
  });

  it("judges query and path parameters: names, types, and the per_page bound the description states in prose", () => {
    const list = "orgs/list-app-installations (GET /orgs/{org}/installations)";
    expect(refusals("GET", "/orgs/acme/installations?per_page=many")).toEqual([`${list}: /query/per_page: "many": must be integer`]);
    expect(refusals("GET", "/orgs/acme/installations?per_page=101")).toEqual([`${list}: /query/per_page: "101": must be <= 100`]);
    expect(refusals("GET", "/orgs/acme/installations?perpage=100")).toEqual([`${list}: /query/perpage: not a query parameter of this operation (GitHub would ignore it)`]);
    expect(refusals("DELETE", "/repos/a/b/hooks/first")).toEqual(['repos/delete-webhook (DELETE /repos/{owner}/{repo}/hooks/{hook_id}): /path/hook_id: "first": must be integer']);
    expect(refusals("DELETE", "/repos/a/b/hooks/12")).toEqual([]);
  });

  it("the fake GitHub answers a refused call 400 naming the operation and the field, and keeps it for assertJudged", async () => {
    const fake = await startFakeGitHub(description);
    try {
      expect(fake.judged).toBe(true);
      const answer = await githubRequest({ apiUrl: fake.url, method: "PUT", path: "/repos/a/b/contents/x.md", authorization: "Bearer t", body: { content: "eA==" } });
      expect(answer.status).toBe(400);
      expect(JSON.stringify(answer.body)).toContain(`${CONTENTS_PUT}: /body/message: required by the description, missing`);
      expect(() => fake.assertJudged()).toThrow(/1 request\(s\) that GitHub's REST description does not allow:\n.*\/body\/message/);
      expect(() => fake.assertJudged()).not.toThrow();
    } finally {
      await fake.close();
    }
  });
});
