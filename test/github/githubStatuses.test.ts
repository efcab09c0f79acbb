// Every status our GitHub code takes as success or "already there" must be one GitHub's REST
// description documents for the operation, or an entry of the one deviations list (with its
// evidence); and no entry of that list may be dead.
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkInstallations } from "../../providers/github/installations";
import { loadGitHubDescription, operationById } from "./githubDescription";
import { GITHUB_DEVIATIONS, PATH_DEVIATIONS, STATUS_DEVIATIONS } from "./githubDeviations";
import { startFakeGitHub, type FakeGitHub } from "./fakeGitHub";

const ROOT = resolve(__dirname, "../..");

interface Accepted {
  operationId: string;
  method: string;
  path: string;
  /** Statuses the code goes on with (success, absent, "already there", "settling, retry"). */
  statuses: number[];
  /** The file and function that compare them, and the expressions holding the answer there. */
  where: { file: string; fn: string; answers: string[] };
  meaning: string;
}

const ACCEPTED: Accepted[] = [
  {
    operationId: "apps/get-webhook-config-for-app",
    method: "GET",
    path: "/app/hook/config",
    statuses: [200],
    where: { file: "providers/github/appWebhookUrlProvider.ts", fn: "getHookConfig", answers: ["answer"] },
    meaning: "the App's webhook config",
  },
  {
    operationId: "apps/update-webhook-config-for-app",
    method: "PATCH",
    path: "/app/hook/config",
    statuses: [200],
    where: { file: "providers/github/appWebhookUrlProvider.ts", fn: "patchHookConfig", answers: ["answer"] },
    meaning: "the URL is set",
  },
  {
    operationId: "orgs/list-app-installations",
    method: "GET",
    path: "/orgs/{org}/installations",
    statuses: [200],
    where: { file: "providers/github/installations.ts", fn: "installedSlugs", answers: ["answer"] },
    meaning: "a page of installations",
  },
  {
    operationId: "repos/get-content",
    method: "GET",
    path: "/repos/{owner}/{repo}/contents/{path}",
    statuses: [200, 404, 409],
    where: { file: "providers/github/repositorySeedProvider.ts", fn: "seedOne", answers: ["existing", "(await get())"] },
    meaning: "200: the file exists, keep it; 404: no such file (or an empty repository); 409: a repository without a commit",
  },
  {
    operationId: "repos/create-or-update-file-contents",
    method: "PUT",
    path: "/repos/{owner}/{repo}/contents/{path}",
    statuses: [200, 201, 404, 409, 422],
    where: { file: "providers/github/repositorySeedProvider.ts", fn: "seedOne", answers: ["put"] },
    meaning: "200/201: written; 422: someone wrote it first (kept after a second look); 404/409: a just-created repository settling, retried",
  },
];

/** Every comparison of an answer's `.status` with a number in a file: the function it sits in, the answer's expression, the status. */
function comparisons(file: string): Array<{ fn: string; answer: string; status: number }> {
  const text = readFileSync(join(ROOT, file), "utf8");
  return [...text.matchAll(/(\(await \w+\(\)\)|\w+)\.status\s*[!=]==\s*(\d{3})\b/g)].map((m) => {
    const before = text.slice(0, m.index);
    const fn = [...before.matchAll(/function (\w+)\(/g)].at(-1)?.[1] ?? "(top level)";
    return { fn, answer: m[1]!, status: Number(m[2]) };
  });
}

const GITHUB_CODE = readdirSync(join(ROOT, "providers/github"))
  .filter((name) => name.endsWith(".ts"))
  .map((name) => `providers/github/${name}`);

describe("the table of statuses our GitHub code accepts", () => {
  it("matches the code exactly: each entry's statuses are the ones its function compares its answers with", () => {
    for (const entry of ACCEPTED) {
      const compared = comparisons(entry.where.file).filter((c) => c.fn === entry.where.fn && entry.where.answers.includes(c.answer));
      expect([...new Set(compared.map((c) => c.status))].sort((a, b) => a - b), `${entry.operationId} in ${entry.where.file} ${entry.where.fn}`).toEqual([...entry.statuses].sort((a, b) => a - b));
    }
  });

  it("covers every status comparison in providers/github", () => {
    const listed = (file: string, c: { fn: string; answer: string }) => ACCEPTED.some((e) => e.where.file === file && e.where.fn === c.fn && e.where.answers.includes(c.answer));
    const missing = GITHUB_CODE.flatMap((file) => comparisons(file).filter((c) => !listed(file, c)).map((c) => `${file} ${c.fn}: ${c.answer}.status ${c.status}`));
    expect(missing).toEqual([]);
    expect(GITHUB_CODE.flatMap(comparisons).length).toBeGreaterThanOrEqual(10);
  });
});

const description = loadGitHubDescription();

describe.skipIf(!description)("against GitHub's REST description", () => {
  it("each accepted status is documented for its operation, or a listed deviation", () => {
    const undocumented: string[] = [];
    for (const entry of ACCEPTED) {
      const op = operationById(description!, entry.operationId);
      expect(`${op.method} ${op.path}`, entry.operationId).toBe(`${entry.method} ${entry.path}`);
      for (const status of entry.statuses) {
        if (op.responses[String(status)]) continue;
        if (STATUS_DEVIATIONS.some((d) => d.operationId === entry.operationId && d.status === status)) continue;
        undocumented.push(`${entry.operationId} ${status} (${entry.where.file} ${entry.where.fn}): documented are ${Object.keys(op.responses).join(", ")}`);
      }
    }
    expect(undocumented).toEqual([]);
  });

  it("no status deviation is dead: the description still lacks it, and our code still accepts it", () => {
    for (const d of STATUS_DEVIATIONS) {
      expect(operationById(description!, d.operationId).responses[String(d.status)], `${d.id}: the description now documents ${d.status}; drop the entry`).toBeUndefined();
      expect(ACCEPTED.some((e) => e.operationId === d.operationId && e.statuses.includes(d.status)), `${d.id}: no code accepts ${d.status} any more; drop the entry`).toBe(true);
    }
  });

  it("every deviation has an id once and evidence to read", () => {
    expect(new Set(GITHUB_DEVIATIONS.map((d) => d.id)).size).toBe(GITHUB_DEVIATIONS.length);
    for (const d of GITHUB_DEVIATIONS) {
      expect(d.evidence.length, d.id).toBeGreaterThan(0);
      for (const source of d.evidence) expect(source, d.id).toMatch(/^https:\/\/\S+/);
    }
  });

  describe("no path deviation is dead: the description lacks the path, and our code, against the fake, goes there", () => {
    let fake: FakeGitHub;
    beforeAll(async () => {
      fake = await startFakeGitHub(description);
      fake.tokens.add("t");
    });
    afterAll(() => fake.close());

    /** A run of our code that should go through the deviation's path. */
    const EXERCISES: Record<string, () => Promise<unknown>> = {
      "org-link-by-organization-id": () => {
        fake.installations.set("paged", Array.from({ length: 150 }, (_, i) => `app-${i}`));
        return checkInstallations({ org: "paged", apps: [{ name: "Rex", slug: "app-149" }], token: "t", env: { GITHUB_API_URL: fake.url } });
      },
    };

    for (const d of PATH_DEVIATIONS) {
      it(d.id, async () => {
        expect(Object.values(description!.operations).some((op) => op.path === d.template), `${d.id}: the description now lists ${d.template}`).toBe(false);
        const exercise = EXERCISES[d.id];
        expect(exercise, `${d.id}: add a run of our code that goes through it`).toBeDefined();
        fake.clearLog();
        await exercise!();
        fake.assertJudged();
        expect(fake.requests.filter((r) => r.deviation === d.id).map((r) => r.operationId)).toEqual([d.operationId]);
      });
    }
  });
});
