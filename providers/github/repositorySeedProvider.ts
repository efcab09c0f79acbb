// Seeds a repository with its first files, once. Afterwards the files belong to the people who
// use the repository: Pulumi must neither revert their edits nor bring back a file they deleted.
// So create writes each file only where none exists (GET 404), diff ignores file content, refresh
// reads nothing and delete leaves every file in place. (github.RepositoryFile would re-create a
// deleted file after a refresh.)
// Every GET and PUT names the branch. The repository is created empty (no autoInit), and the
// contents API's first PUT into an empty repository makes the first commit and creates the branch
// it names, so the seed is what creates the configured branch.
// This object is serialized into state: dependencies are local modules or require()d inside.
import type * as pulumi from "@pulumi/pulumi";
import { githubMessage, githubRequest } from "./http";
import { githubApiUrl, githubToken, MISSING_TOKEN_HELP, rememberGitHubConfig } from "./runtime";

export interface SeedFile {
  /** Relative to the repository root, "/"-separated. */
  path: string;
  content: string;
}

export interface RepositorySeedInputs {
  /** Bumped with the provider code, so the engine stores the new code in state. */
  providerVersion: string;
  /** Organisation or user that owns the repository. */
  owner: string;
  repository: string;
  /** The branch the files are written to; created by the first write into an empty repository. */
  branch: string;
  files: SeedFile[];
  commitMessage: string;
}

export interface RepositorySeedOutputs extends RepositorySeedInputs {
  /** Paths this resource wrote. */
  written: string[];
  /** Paths that already existed and were left as they were. */
  kept: string[];
}

const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const known = (value: unknown): boolean => value !== undefined && value !== UNKNOWN;
const NAME = /^[A-Za-z0-9_.-]{1,100}$/;

/** Problems with a seed file path, or undefined: relative, no "." or ".." segments, no empty segment. */
export function seedPathProblem(path: string): string | undefined {
  if (typeof path !== "string" || path === "") return "a seed file needs a path";
  if (path.startsWith("/") || path.endsWith("/")) return `seed path "${path}" must be relative to the repository root, without a leading or trailing "/"`;
  if (path.split("/").some((segment) => segment === "" || segment === "." || segment === ".."))
    return `seed path "${path}" must not contain empty, "." or ".." segments`;
  return undefined;
}

/** Problems with a branch name, or undefined: what `git check-ref-format --branch` refuses, in short. */
export function branchNameProblem(branch: string): string | undefined {
  if (typeof branch !== "string" || branch === "") return "the branch name is empty";
  const badChar = [...branch].some((c) => c.charCodeAt(0) <= 0x20 || c.charCodeAt(0) === 0x7f || "~^:?*[\\".includes(c));
  const bad =
    badChar ||
    branch === "@" ||
    /^[-./]|[/.]$|\.lock$|\.\.|\/\/|@\{|\/\./.test(branch);
  return bad ? `${JSON.stringify(branch.slice(0, 80))} is not a valid git branch name` : undefined;
}

/** The contents-API path of a file, each segment encoded. */
export function contentsPath(owner: string, repository: string, path: string): string {
  const encoded = path.split("/").map(encodeURIComponent).join("/");
  return `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repository)}/contents/${encoded}`;
}

/** Delay before retry `attempt` (1-based) while a just-created repository settles; CTO_GITHUB_RETRY_MS shortens it for tests. */
export function seedRetryDelayMs(attempt: number, env: NodeJS.ProcessEnv = process.env): number {
  const base = Number(env["CTO_GITHUB_RETRY_MS"]);
  return (Number.isFinite(base) && base >= 0 ? base : 1000) * attempt;
}

const SEED_ATTEMPTS = 5;

/** Writes one file unless it exists: "written" or "kept". Sequential callers: parallel PUTs race on the branch. */
async function seedOne(apiUrl: string, authorization: string, inputs: RepositorySeedInputs, file: SeedFile): Promise<"written" | "kept"> {
  const path = contentsPath(inputs.owner, inputs.repository, file.path);
  const onBranch = `${path}?ref=${encodeURIComponent(inputs.branch)}`;
  const where = `seeding ${file.path} on branch ${inputs.branch} of ${inputs.owner}/${inputs.repository}`;
  const get = () => githubRequest({ apiUrl, method: "GET", path: onBranch, authorization });
  for (let attempt = 1; ; attempt++) {
    const existing = await get();
    if (existing.status === 200) return "kept";
    // 404: no such file, an empty repository ("This repository is empty."), or one not visible
    // yet; 409: a repository without a commit. None of these has a file to keep, so write it: a
    // PUT into an empty repository is its first commit, on the branch it names.
    if (existing.status !== 404 && existing.status !== 409) throw seedError(where, existing.status, existing.body, inputs.branch);
    const put = await githubRequest({
      apiUrl,
      method: "PUT",
      path,
      authorization,
      body: { message: inputs.commitMessage, content: Buffer.from(file.content, "utf8").toString("base64"), branch: inputs.branch },
    });
    if (put.status === 201 || put.status === 200) return "written";
    if (put.status === 422) {
      // "sha wasn't supplied": someone wrote the file in between, and theirs wins. Any other 422
      // is a refusal, not a file to keep: look again before calling it kept.
      if ((await get()).status === 200) return "kept";
      throw seedError(where, put.status, put.body, inputs.branch);
    }
    // A just-created repository may answer 404 (not visible yet) or 409 (no commit yet) for a moment.
    if (put.status !== 404 && put.status !== 409) throw seedError(where, put.status, put.body, inputs.branch);
    if (attempt >= SEED_ATTEMPTS) throw seedError(where, put.status, put.body, inputs.branch);
    await new Promise((resolve) => setTimeout(resolve, seedRetryDelayMs(attempt)));
  }
}

function seedError(where: string, status: number, body: unknown, branch: string): Error {
  const said = githubMessage(body);
  const detail = said ? ` (${said})` : "";
  if (status === 401) return new Error(`${where}: GitHub answered 401${detail}; the token was rejected: ${MISSING_TOKEN_HELP} with a valid token`);
  if (status === 403) return new Error(`${where}: GitHub answered 403${detail}; the token needs Contents read and write on this repository`);
  if (status === 404)
    return new Error(
      `${where}: GitHub answered 404${detail}; the repository does not exist, the token cannot see it, or it has commits but no branch ${branch}: create that branch or configure one that exists`,
    );
  return new Error(`${where}: GitHub answered ${status}${detail}; run \`pulumi up\` again`);
}

export const repositorySeedProvider: pulumi.dynamic.ResourceProvider<RepositorySeedInputs, RepositorySeedOutputs> = {
  configure(request: pulumi.dynamic.ConfigureRequest): Promise<void> {
    rememberGitHubConfig(request.config);
    return Promise.resolve();
  },

  check(_olds: RepositorySeedInputs, news: RepositorySeedInputs): Promise<pulumi.dynamic.CheckResult<RepositorySeedInputs>> {
    const failures: pulumi.dynamic.CheckFailure[] = [];
    if (known(news.owner) && !NAME.test(String(news.owner))) failures.push({ property: "owner", reason: `expected a GitHub organisation or user name, got ${JSON.stringify(news.owner)}` });
    if (known(news.repository) && !NAME.test(String(news.repository))) failures.push({ property: "repository", reason: `expected a repository name, got ${JSON.stringify(news.repository)}` });
    if (known(news.branch)) {
      const problem = branchNameProblem(news.branch);
      if (problem) failures.push({ property: "branch", reason: problem });
    }
    if (known(news.files)) {
      if (!Array.isArray(news.files)) failures.push({ property: "files", reason: "expected a list of { path, content }" });
      else {
        const seen = new Set<string>();
        for (const file of news.files) {
          if (!known(file?.path) || !known(file?.content)) continue;
          const problem = seedPathProblem(file.path) ?? (seen.has(file.path) ? `seed path "${file.path}" appears twice` : undefined);
          if (problem) failures.push({ property: "files", reason: problem });
          seen.add(file.path);
        }
      }
    }
    return Promise.resolve({ inputs: news, failures });
  },

  diff(_id: string, olds: RepositorySeedOutputs, news: RepositorySeedInputs): Promise<pulumi.dynamic.DiffResult> {
    // File contents are deliberately left out: the seed is written once. A renamed repository
    // (GitHub keeps its files), another branch (the seed is not written again there) or new
    // provider code only updates the bookkeeping.
    const changes = olds.providerVersion !== news.providerVersion || olds.owner !== news.owner || olds.repository !== news.repository || olds.branch !== news.branch;
    return Promise.resolve({ changes, replaces: [], deleteBeforeReplace: false });
  },

  async create(inputs: RepositorySeedInputs): Promise<pulumi.dynamic.CreateResult<RepositorySeedOutputs>> {
    const token = githubToken();
    if (!token) throw new Error(`seeding ${inputs.owner}/${inputs.repository}: no GitHub token; ${MISSING_TOKEN_HELP}`);
    const apiUrl = githubApiUrl();
    const authorization = `Bearer ${token}`;
    const written: string[] = [];
    const kept: string[] = [];
    for (const file of inputs.files) {
      const outcome = await seedOne(apiUrl, authorization, inputs, file);
      (outcome === "written" ? written : kept).push(file.path);
    }
    return { id: `${inputs.owner}/${inputs.repository}`, outs: { ...inputs, written, kept } };
  },

  read(id: string, props?: RepositorySeedOutputs): Promise<pulumi.dynamic.ReadResult<RepositorySeedOutputs>> {
    if (!props) throw new Error(`importing the seed of ${id} is not supported: dynamic resources cannot be imported`);
    // Nothing to read: what users did to the files since is theirs, not drift.
    return Promise.resolve({ id, props });
  },

  update(_id: string, olds: RepositorySeedOutputs, news: RepositorySeedInputs): Promise<pulumi.dynamic.UpdateResult<RepositorySeedOutputs>> {
    // The record of what was seeded stays; nothing is written again.
    return Promise.resolve({ outs: { ...news, files: olds.files, commitMessage: olds.commitMessage, written: olds.written, kept: olds.kept } });
  },

  delete(): Promise<void> {
    // The files stay: they belong to the repository's users (and a kept repository keeps them).
    return Promise.resolve();
  },
};
