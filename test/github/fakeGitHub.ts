// A small fake of the GitHub REST API on 127.0.0.1, for the GitHub dynamic providers and the
// installation check: repository contents (GET/PUT) per branch, as GitHub answers them for an empty
// repository too (GET 404 "This repository is empty.", and the first PUT creates the branch it
// names), an App's webhook config behind RS256 JWT auth, and organisation installations behind
// token auth, paginated with Link headers as GitHub sends them. Every request is logged with its
// Authorization header so tests can check what was sent.
// Every request is judged against GitHub's REST description first (githubJudge.ts): a mismatch is
// answered 400 naming the operation and the field, and kept in `mismatches` for assertJudged(),
// which each test file calls after each test, so the test that sent it fails.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createHash, createPublicKey, verify, type KeyObject } from "node:crypto";
import type { AddressInfo } from "node:net";
import { loadGitHubDescription, type GitHubDescription } from "./githubDescription";
import { PATH_DEVIATIONS } from "./githubDeviations";
import { formatMismatch, GitHubJudge } from "./githubJudge";

export interface LoggedRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  body: unknown;
  /** The operation the judge matched, when the description was found. */
  operationId?: string;
  /** The path deviation (githubDeviations.ts) the path was matched through. */
  deviation?: string;
}

export interface FakeApp {
  appId: string;
  /** PEM public key the App's JWTs are verified with. */
  publicKey: string;
  hook: { url: string; content_type: string; secret: string; insecure_ssl: string };
}

export interface FakeRepo {
  /** Where a GET without ?ref and a PUT without branch go. */
  defaultBranch: string;
  /** branch → path → content (utf8); no branch at all is an empty repository (no commit). */
  branches: Map<string, Map<string, string>>;
}

/** An empty repository (created without autoInit): no commit, no branch. */
export function emptyRepo(defaultBranch = "main"): FakeRepo {
  return { defaultBranch, branches: new Map() };
}

/** A repository with one branch holding these files. */
export function repoWith(files: Record<string, string>, branch = "main"): FakeRepo {
  return { defaultBranch: branch, branches: new Map([[branch, new Map(Object.entries(files))]]) };
}

export interface FakeGitHub {
  url: string;
  requests: LoggedRequest[];
  /** "owner/repo" → its branches and files. */
  repos: Map<string, FakeRepo>;
  apps: Map<string, FakeApp>;
  /** org → installed App slugs. */
  installations: Map<string, string[]>;
  /** org → its numeric id, which GitHub's Link URLs name it by (assigned on first use). */
  orgIds: Map<string, number>;
  /** Tokens that authenticate; anything else is a 401. */
  tokens: Set<string>;
  /** Answer the next N contents requests with this status (a just-created repository). */
  settle: { status: number; remaining: number };
  /** The claims of the last JWT that verified. */
  lastJwtClaims?: { iat: number; exp: number; iss: string };
  /** Whether requests are judged (the description was found). */
  judged: boolean;
  /** What the judge refused, "operation: pointer: problem", until taken. */
  mismatches: string[];
  /** Returns and forgets the refusals: for tests that send a wrong request on purpose. */
  takeMismatches(): string[];
  /** Throws (and forgets them) when any request did not match the description: call after each test. */
  assertJudged(): void;
  clearLog(): void;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function send(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", ...headers });
  res.end(body === undefined ? "" : JSON.stringify(body));
}

const bearer = (header: string | undefined) => (header ?? "").replace(/^Bearer\s+/i, "").trim();

/** The App whose key signed the JWT, or a reason it is refused (as GitHub answers 401). */
function verifyJwt(fake: FakeGitHub, token: string): FakeApp | string {
  const parts = token.split(".");
  if (parts.length !== 3) return "A JSON web token could not be decoded";
  const [header, payload, signature] = parts as [string, string, string];
  let claims: { iat?: unknown; exp?: unknown; iss?: unknown };
  let head: { alg?: unknown };
  try {
    head = JSON.parse(Buffer.from(header, "base64url").toString("utf8")) as { alg?: unknown };
    claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as typeof claims;
  } catch {
    return "A JSON web token could not be decoded";
  }
  if (head.alg !== "RS256") return "'alg' must be RS256";
  const app = fake.apps.get(String(claims.iss));
  if (!app) return "Integration not found";
  const key: KeyObject = createPublicKey(app.publicKey);
  if (!verify("sha256", Buffer.from(`${header}.${payload}`), key, Buffer.from(signature, "base64url"))) return "A JSON web token could not be decoded";
  const now = Math.floor(Date.now() / 1000);
  if (typeof claims.iat !== "number" || typeof claims.exp !== "number") return "'iat' and 'exp' are required";
  if (claims.iat > now + 5) return "'Issued at' claim ('iat') must be an Integer representing a time in the past";
  if (claims.exp <= now || claims.exp - claims.iat > 600) return "'Expiration time' claim ('exp') is too far in the future";
  fake.lastJwtClaims = { iat: claims.iat, exp: claims.exp, iss: String(claims.iss) };
  return app;
}

const judges = new WeakMap<FakeGitHub, GitHubJudge>();

function orgId(fake: FakeGitHub, org: string): number {
  let id = fake.orgIds.get(org);
  if (id === undefined) {
    id = 9_000_000 + fake.orgIds.size;
    fake.orgIds.set(org, id);
  }
  return id;
}

/**
 * The Link header GitHub sends on a paginated answer, in its order (prev, next, last, first), the
 * organisation named by id; none when everything fits on one page ("Using pagination in the REST
 * API", docs.github.com).
 */
function paginationLink(base: string, perPage: number, page: number, lastPage: number): string | undefined {
  if (lastPage <= 1) return undefined;
  const at = (n: number) => `<${base}?per_page=${perPage}&page=${n}>`;
  const parts: string[] = [];
  if (page > 1) parts.push(`${at(page - 1)}; rel="prev"`);
  if (page < lastPage) parts.push(`${at(page + 1)}; rel="next"`, `${at(lastPage)}; rel="last"`);
  if (page > 1) parts.push(`${at(1)}; rel="first"`);
  return parts.join(", ");
}

async function handle(fake: FakeGitHub, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const raw = await readBody(req);
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  const method = req.method ?? "GET";
  let body: unknown;
  try {
    body = raw ? JSON.parse(raw) : undefined;
  } catch {
    body = raw;
  }
  const verdict = judges.get(fake)?.judge({ method, url: req.url ?? "/", rawBody: raw });
  fake.requests.push({
    method,
    path: url.pathname + url.search,
    authorization: req.headers.authorization,
    body,
    ...(verdict?.operation ? { operationId: verdict.operation.operationId } : {}),
    ...(verdict?.deviation ? { deviation: verdict.deviation } : {}),
  });
  if (verdict && verdict.mismatches.length > 0) {
    const refused = verdict.mismatches.map(formatMismatch);
    fake.mismatches.push(...refused);
    return send(res, 400, { message: `fake GitHub: not as GitHub's REST description has it: ${refused.join("; ")}` });
  }
  if (req.headers["x-github-api-version"] !== "2022-11-28") return send(res, 400, { message: "missing X-GitHub-Api-Version" });

  if (url.pathname === "/app/hook/config") {
    const app = verifyJwt(fake, bearer(req.headers.authorization));
    if (typeof app === "string") return send(res, 401, { message: app });
    if (method === "GET") return send(res, 200, { url: app.hook.url, content_type: app.hook.content_type, secret: "********", insecure_ssl: app.hook.insecure_ssl });
    if (method === "PATCH") {
      const patch = body as { url?: string; content_type?: string };
      if (patch.url !== undefined) app.hook.url = patch.url;
      if (patch.content_type !== undefined) app.hook.content_type = patch.content_type;
      return send(res, 200, { url: app.hook.url, content_type: app.hook.content_type, secret: "********", insecure_ssl: app.hook.insecure_ssl });
    }
    return send(res, 405, { message: "Method Not Allowed" });
  }

  if (!fake.tokens.has(bearer(req.headers.authorization))) return send(res, 401, { message: "Bad credentials" });

  const byName = /^\/orgs\/([^/]+)\/installations$/.exec(url.pathname);
  const byId = /^\/organizations\/(\d+)\/installations$/.exec(url.pathname);
  if ((byName || byId) && method === "GET") {
    const org = byName ? decodeURIComponent(byName[1]!) : [...fake.orgIds].find(([, id]) => id === Number(byId![1]))?.[0];
    const slugs = org === undefined ? undefined : fake.installations.get(org);
    if (org === undefined || !slugs) return send(res, 404, { message: "Not Found" });
    // GitHub caps per_page at 100 (the description: "max 100") and defaults to 30.
    const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get("per_page") ?? 30) || 30));
    const page = Math.max(1, Number(url.searchParams.get("page") ?? 1) || 1);
    const first = (page - 1) * perPage;
    const slice = slugs.slice(first, first + perPage);
    const link = paginationLink(`${fake.url}/organizations/${orgId(fake, org)}/installations`, perPage, page, Math.ceil(slugs.length / perPage));
    return send(res, 200, { total_count: slugs.length, installations: slice.map((slug, i) => ({ id: 1000 + first + i, app_slug: slug })) }, link ? { Link: link } : {});
  }

  const contents = /^\/repos\/([^/]+)\/([^/]+)\/contents\/(.+)$/.exec(url.pathname);
  if (contents) {
    const repo = fake.repos.get(`${decodeURIComponent(contents[1]!)}/${decodeURIComponent(contents[2]!)}`);
    const path = contents[3]!.split("/").map(decodeURIComponent).join("/");
    if (fake.settle.remaining > 0) {
      fake.settle.remaining--;
      return send(res, fake.settle.status, { message: fake.settle.status === 409 ? "Git Repository is empty." : "Not Found" });
    }
    if (!repo) return send(res, 404, { message: "Not Found" });
    const sha = (content: string) => createHash("sha1").update(content).digest("hex");
    if (method === "GET") {
      if (repo.branches.size === 0) return send(res, 404, { message: "This repository is empty." });
      const ref = url.searchParams.get("ref") ?? repo.defaultBranch;
      const files = repo.branches.get(ref);
      if (!files) return send(res, 404, { message: `No commit found for the ref ${ref}` });
      const existing = files.get(path);
      if (existing === undefined) return send(res, 404, { message: "Not Found" });
      return send(res, 200, { type: "file", path, sha: sha(existing), encoding: "base64", content: Buffer.from(existing).toString("base64") });
    }
    if (method === "PUT") {
      const put = body as { message?: string; content?: string; sha?: string; branch?: string };
      if (!put?.message || typeof put.content !== "string") return send(res, 422, { message: "Invalid request" });
      const branch = put.branch ?? repo.defaultBranch;
      let files = repo.branches.get(branch);
      if (!files) {
        // Only the first commit of an empty repository may create a branch this way.
        if (repo.branches.size > 0) return send(res, 404, { message: `Branch ${branch} not found` });
        files = new Map();
        repo.branches.set(branch, files);
      }
      const existing = files.get(path);
      if (existing !== undefined && put.sha !== sha(existing)) return send(res, 422, { message: `Invalid request.\n\n"sha" wasn't supplied.` });
      files.set(path, Buffer.from(put.content, "base64").toString("utf8"));
      return send(res, existing === undefined ? 201 : 200, { content: { path } });
    }
  }
  return send(res, 404, { message: "Not Found" });
}

export async function startFakeGitHub(description: GitHubDescription | undefined = loadGitHubDescription()): Promise<FakeGitHub> {
  const fake: FakeGitHub = {
    url: "",
    requests: [],
    repos: new Map(),
    apps: new Map(),
    installations: new Map(),
    orgIds: new Map(),
    tokens: new Set(),
    settle: { status: 404, remaining: 0 },
    judged: description !== undefined,
    mismatches: [],
    takeMismatches: () => fake.mismatches.splice(0),
    assertJudged: () => {
      const refused = fake.takeMismatches();
      if (refused.length > 0) throw new Error(`the fake GitHub got ${refused.length} request(s) that GitHub's REST description does not allow:\n${refused.join("\n")}`);
    },
    clearLog: () => {
      fake.requests.length = 0;
    },
    close: () => Promise.resolve(),
  };
  if (description) judges.set(fake, new GitHubJudge(description, PATH_DEVIATIONS));
  const server: Server = createServer((req, res) => {
    handle(fake, req, res).catch((error: unknown) => send(res, 500, { message: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  return fake;
}
