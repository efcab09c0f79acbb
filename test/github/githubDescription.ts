// GitHub's own REST description (github/rest-api-description via @octokit/openapi), cut down to the
// operations cto-metal touches, read at test time from shared/reference/github-rest-subset.json
// (github-rest-subset.md says how it was made and how to add an operation). Never copied into the
// repository: the tests read the file where it lies.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

export const DESCRIPTION_ENV = "CTO_GITHUB_REST_SUBSET";
export const REQUIRE_REFERENCES_ENV = "CTO_REQUIRE_REFERENCES";
const RELATIVE = join("shared", "reference", "github-rest-subset.json");
const REPO_ROOT = resolve(__dirname, "../..");

/** A JSON Schema as OpenAPI 3.0 writes it (nullable, example, x-… extensions). */
export type Schema = Record<string, unknown>;

export interface Parameter {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required?: boolean;
  description?: string;
  schema?: Schema;
  /** GitHub's extension: the value may hold "/" (the contents API's {path}). */
  "x-multi-segment"?: boolean;
}

export interface Operation {
  operationId: string;
  /** Upper case, as sent: "GET". */
  method: string;
  /** The path template: "/repos/{owner}/{repo}/contents/{path}". */
  path: string;
  parameters: Parameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: Schema }> };
  responses: Record<string, { description?: string; headers?: Record<string, unknown> }>;
}

export interface GitHubDescription {
  file: string;
  operations: Operation[];
}

/** "repos/get-content (GET /repos/{owner}/{repo}/contents/{path})": how every message names an operation. */
export const operationName = (op: Pick<Operation, "operationId" | "method" | "path">): string => `${op.operationId} (${op.method} ${op.path})`;

/**
 * Where the description is: $CTO_GITHUB_REST_SUBSET, else <repo>/../shared/reference/…, else the
 * first shared/reference/… found walking up from the repository. Undefined when there is none.
 */
export function locateGitHubDescription(env: NodeJS.ProcessEnv = process.env, repoRoot: string = REPO_ROOT): string | undefined {
  const fromEnv = env[DESCRIPTION_ENV]?.trim();
  if (fromEnv) {
    // An explicit setting that points nowhere is a mistake to report, not a reason to skip.
    if (!existsSync(fromEnv)) throw new Error(`${DESCRIPTION_ENV}=${fromEnv}: no such file`);
    return fromEnv;
  }
  const beside = join(repoRoot, "..", RELATIVE);
  if (existsSync(beside)) return beside;
  for (let dir = resolve(repoRoot); ; dir = dirname(dir)) {
    const candidate = join(dir, RELATIVE);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

const METHODS = ["get", "put", "post", "patch", "delete", "head", "options"];

export function parseGitHubDescription(file: string, text: string): GitHubDescription {
  const doc = JSON.parse(text) as { openapi?: unknown; paths?: Record<string, Record<string, unknown>> };
  if (typeof doc.openapi !== "string" || !doc.paths) throw new Error(`${file}: not an OpenAPI description (no "openapi" or "paths")`);
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    const shared = (item["parameters"] as Parameter[] | undefined) ?? [];
    for (const method of METHODS) {
      const op = item[method] as Omit<Operation, "method" | "path"> | undefined;
      if (!op) continue;
      // Operation-level parameters override path-level ones of the same name and location.
      const own = op.parameters ?? [];
      const inherited = shared.filter((p) => !own.some((o) => o.name === p.name && o.in === p.in));
      operations.push({ ...op, method: method.toUpperCase(), path, parameters: [...inherited, ...own], responses: op.responses ?? {} });
    }
  }
  return { file, operations };
}

const cache = new Map<string, GitHubDescription>();
let warned = false;

/**
 * The description, or undefined (with one loud warning per process) when it cannot be found; with
 * CTO_REQUIRE_REFERENCES=1 a missing description is an error instead.
 */
export function loadGitHubDescription(env: NodeJS.ProcessEnv = process.env, repoRoot: string = REPO_ROOT): GitHubDescription | undefined {
  const file = locateGitHubDescription(env, repoRoot);
  if (!file) {
    const what = `GitHub's REST description (shared/reference/github-rest-subset.json) not found beside or above ${repoRoot}, and ${DESCRIPTION_ENV} is not set`;
    if (env[REQUIRE_REFERENCES_ENV] === "1") throw new Error(`${what}; ${REQUIRE_REFERENCES_ENV}=1 requires it`);
    if (!warned) {
      warned = true;
      console.warn(`\n!!! ${what}: the GitHub description checks are SKIPPED (the fake GitHub judges no request). Set ${DESCRIPTION_ENV} or ${REQUIRE_REFERENCES_ENV}=1.\n`);
    }
    return undefined;
  }
  let description = cache.get(file);
  if (!description) {
    description = parseGitHubDescription(file, readFileSync(file, "utf8"));
    cache.set(file, description);
  }
  return description;
}

/** The operation with this id; throws when the subset lacks it (add it: github-rest-subset.md). */
export function operationById(description: GitHubDescription, operationId: string): Operation {
  const op = description.operations.find((o) => o.operationId === operationId);
  if (!op) throw new Error(`${description.file} has no operation ${operationId}; github-rest-subset.md says how to add one`);
  return op;
}
