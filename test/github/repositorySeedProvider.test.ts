// The RepositorySeed provider called directly, against the fake GitHub over real HTTP: files are
// written once where missing, on the configured branch (created by the first write into an empty
// repository), never over a user's file, never again after a user deletes one.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { repositorySeedProvider as provider, type RepositorySeedInputs, type RepositorySeedOutputs } from "../../providers/github/repositorySeedProvider";
import { emptyRepo, repoWith, startFakeGitHub, type FakeGitHub, type FakeRepo } from "./fakeGitHub";

const CONFIG_TOKEN = "ghp_config_token_for_tests";
const ENV_TOKEN = "ghp_env_token_for_tests";
let fake: FakeGitHub;
let seq = 0;

const configure = (values: Record<string, string>) => provider.configure!({ config: { get: (key: string) => values[key], require: (key: string) => values[key] ?? "" } });

/** A repository on branch main with these files; none: an empty repository, as created without autoInit. */
function newRepo(files?: Record<string, string>): string {
  const name = `cto-apps-${++seq}`;
  fake.repos.set(`acme/${name}`, files ? repoWith(files) : emptyRepo());
  return name;
}
const repoOf = (name: string): FakeRepo => fake.repos.get(`acme/${name}`)!;

const inputs = (repository: string, overrides: Partial<RepositorySeedInputs> = {}): RepositorySeedInputs => ({
  providerVersion: "1",
  owner: "acme",
  repository,
  branch: "main",
  commitMessage: "seed",
  files: [
    { path: "README.md", content: "# seeded\n" },
    { path: "apps/README.md", content: "apps\n" },
    { path: "apps/example hello.yaml", content: "kind: Application\n" },
  ],
  ...overrides,
});
const create = (i: RepositorySeedInputs) => provider.create(i) as Promise<{ id: string; outs: RepositorySeedOutputs }>;

beforeAll(async () => {
  fake = await startFakeGitHub();
  fake.tokens.add(CONFIG_TOKEN).add(ENV_TOKEN);
});
beforeEach(() => {
  vi.stubEnv("GITHUB_API_URL", fake.url);
  vi.stubEnv("GITHUB_TOKEN", "");
  vi.stubEnv("CTO_GITHUB_RETRY_MS", "5");
});
afterEach(() => {
  vi.unstubAllEnvs();
  fake.clearLog();
  // Each request must be one GitHub's REST description allows (githubJudge.ts).
  fake.assertJudged();
});
afterAll(() => fake.close());

describe("create", () => {
  it("writes the missing files only and keeps a file the repository already has (token from configure)", async () => {
    await configure({ "github:token": CONFIG_TOKEN });
    const repo = newRepo({ "README.md": "# the users' own readme\n" });
    const { id, outs } = await create(inputs(repo));
    expect(id).toBe(`acme/${repo}`);
    expect(outs.written).toEqual(["apps/README.md", "apps/example hello.yaml"]);
    expect(outs.kept).toEqual(["README.md"]);
    const files = repoOf(repo).branches.get("main")!;
    expect(files.get("README.md")).toBe("# the users' own readme\n");
    expect(files.get("apps/example hello.yaml")).toBe("kind: Application\n");
    expect(fake.requests.filter((r) => r.method === "PUT").map((r) => r.path)).toEqual([
      `/repos/acme/${repo}/contents/apps/README.md`,
      `/repos/acme/${repo}/contents/apps/example%20hello.yaml`,
    ]);
    expect(fake.requests.every((r) => r.authorization === `Bearer ${CONFIG_TOKEN}`)).toBe(true);
    expect(fake.requests.find((r) => r.method === "PUT")?.body).toEqual({ message: "seed", content: Buffer.from("apps\n").toString("base64"), branch: "main" });
  });

  it("seeds an empty repository: the first PUT creates the configured branch, and README.md is ours", async () => {
    await configure({ "github:token": CONFIG_TOKEN });
    const repo = newRepo();
    const { outs } = await create(inputs(repo, { branch: "gitops" }));
    expect(outs).toMatchObject({ branch: "gitops", written: ["README.md", "apps/README.md", "apps/example hello.yaml"], kept: [] });
    expect([...repoOf(repo).branches.keys()]).toEqual(["gitops"]);
    const files = repoOf(repo).branches.get("gitops")!;
    expect(files.get("README.md")).toBe("# seeded\n");
    expect(files.size).toBe(3);
    // every read asks for the branch, every write names it
    const gets = fake.requests.filter((r) => r.method === "GET");
    expect(gets.length).toBeGreaterThanOrEqual(3);
    for (const get of gets) expect(get.path).toMatch(/\?ref=gitops$/);
    const puts = fake.requests.filter((r) => r.method === "PUT");
    expect(puts).toHaveLength(3);
    for (const put of puts) expect(put.body).toMatchObject({ branch: "gitops" });
  });

  it("a repository with commits but without the branch fails naming the branch, and writes nothing", async () => {
    await configure({ "github:token": CONFIG_TOKEN });
    const repo = newRepo({ "README.md": "# theirs\n" });
    const error = (await create(inputs(repo, { branch: "gitops" })).catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/README\.md on branch gitops .*404 \(Branch gitops not found\).*no branch gitops/);
    expect([...repoOf(repo).branches.keys()]).toEqual(["main"]);
  });

  it("a refused write (422 other than a racing writer) is an error, not a kept file", async () => {
    await configure({ "github:token": CONFIG_TOKEN });
    const repo = newRepo();
    // the fake refuses a PUT without a commit message with 422, as GitHub does
    const error = (await create(inputs(repo, { commitMessage: "" })).catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/seeding README\.md .*422 \(Invalid request\)/);
    expect(repoOf(repo).branches.size).toBe(0);
  });

  it("reads GITHUB_TOKEN at call time when the stack config has no token", async () => {
    await configure({});
    vi.stubEnv("GITHUB_TOKEN", ENV_TOKEN);
    const repo = newRepo();
    await create(inputs(repo));
    expect(fake.requests.length).toBeGreaterThan(0);
    expect(fake.requests.every((r) => r.authorization === `Bearer ${ENV_TOKEN}`)).toBe(true);
  });

  it("without any token fails before dialling, and says where the token goes", async () => {
    await configure({});
    const error = (await create(inputs(newRepo())).catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/no GitHub token.*github:token.*GITHUB_TOKEN/);
    expect(fake.requests).toHaveLength(0);
  });

  it("waits for a just-created repository that answers 404 or 409 for a moment", async () => {
    await configure({ "github:token": CONFIG_TOKEN });
    const repo = newRepo();
    fake.settle = { status: 409, remaining: 2 };
    const { outs } = await create(inputs(repo));
    expect(outs.written).toHaveLength(3);
  });

  it("a rejected token fails with the status and what to do, never the token", async () => {
    await configure({ "github:token": "ghp_wrong_token_value" });
    const error = (await create(inputs(newRepo())).catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/401.*token was rejected/);
    expect(error.message).not.toContain("ghp_wrong_token_value");
  });

  it("check refuses a branch name git would refuse", async () => {
    for (const branch of ["", "a b", "-x", "x/", "a..b", "x.lock", "a:b", "a\\b", "@"]) {
      const result = await provider.check!({} as RepositorySeedInputs, inputs("r", { branch }));
      expect(result.failures?.map((f) => f.property), JSON.stringify(branch)).toEqual(["branch"]);
    }
    for (const branch of ["main", "gitops/cto", "release-1.2"]) expect((await provider.check!({} as RepositorySeedInputs, inputs("r", { branch }))).failures).toEqual([]);
  });

  it("check refuses unsafe paths and duplicates", async () => {
    const result = await provider.check!({} as RepositorySeedInputs, inputs("r", { files: [{ path: "../x", content: "" }, { path: "/abs", content: "" }, { path: "a", content: "" }, { path: "a", content: "" }] }));
    expect(result.failures?.map((f) => f.reason)).toEqual([expect.stringMatching(/"\.\."/), expect.stringMatching(/relative/), expect.stringMatching(/twice/)]);
  });
});

describe("after the seed, the files are the users'", () => {
  it("a file the user deleted or edited is not brought back: diff has no changes, read and delete touch nothing", async () => {
    await configure({ "github:token": CONFIG_TOKEN });
    const repo = newRepo();
    const seeded = inputs(repo);
    const { id, outs } = await create(seeded);
    const files = repoOf(repo).branches.get("main")!;
    files.delete("apps/example hello.yaml");
    files.set("README.md", "# edited by a user\n");
    fake.clearLog();

    expect(await provider.diff!(id, outs, seeded)).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
    // new seed content from a newer program does not count either
    const newer = inputs(repo, { files: [{ path: "README.md", content: "# new default\n" }, { path: "NEW.md", content: "x" }] });
    expect(await provider.diff!(id, outs, newer)).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
    expect(await provider.read!(id, outs)).toEqual({ id, props: outs });
    await provider.delete!(id, outs);
    expect(fake.requests).toHaveLength(0);
    expect([...files.keys()].sort()).toEqual(["README.md", "apps/README.md"]);
    expect(files.get("README.md")).toBe("# edited by a user\n");
  });

  it("new provider code or a renamed repository is an update that writes nothing", async () => {
    await configure({ "github:token": CONFIG_TOKEN });
    const repo = newRepo();
    const { id, outs } = await create(inputs(repo));
    fake.clearLog();
    const news = inputs(`${repo}-renamed`, { providerVersion: "2", files: [] });
    expect(await provider.diff!(id, outs, news)).toMatchObject({ changes: true, replaces: [] });
    const updated = await provider.update!(id, outs, news);
    expect(updated.outs).toMatchObject({ providerVersion: "2", repository: `${repo}-renamed`, files: outs.files, written: outs.written });
    // another branch is bookkeeping too: the seed is not written again there
    const moved = inputs(repo, { branch: "gitops" });
    expect(await provider.diff!(id, outs, moved)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    expect((await provider.update!(id, outs, moved)).outs).toMatchObject({ branch: "gitops", written: outs.written });
    expect(fake.requests).toHaveLength(0);
  });
});
