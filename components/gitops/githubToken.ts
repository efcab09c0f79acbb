// A GitHub organisation needs a token: without one, the GitHub provider and the seed would fail at
// their first call, in the middle of an `up`, after the cluster layer has been changed. The program
// refuses at preview instead, before it registers anything on GitHub.
import { MISSING_TOKEN_HELP } from "../../providers/github/runtime";

export interface GitHubTokenSources {
  /** cto-metal:githubOrg. */
  org: string;
  /** github:token is set in the stack config (its value stays a secret Output). */
  configured: boolean;
  /** Where GITHUB_TOKEN is read, as the GitHub provider and the seed read it. */
  env: NodeJS.ProcessEnv;
}

export class GitHubTokenError extends Error {
  override readonly name = "GitHubTokenError";
}

/** Throws an error naming github:token and GITHUB_TOKEN when neither holds a token. */
export function requireGitHubToken(sources: GitHubTokenSources): void {
  if (sources.configured || sources.env["GITHUB_TOKEN"]?.trim()) return;
  throw new GitHubTokenError(
    `cto-metal:githubOrg is ${JSON.stringify(sources.org)}, so the GitOps repository, its deploy key and its webhook are managed on GitHub: ` +
      `expected a GitHub token in github:token or GITHUB_TOKEN, got neither; ${MISSING_TOKEN_HELP}`,
  );
}
