// A GitHub organisation without a token fails at preview, naming the key, before any GitHub call:
// the pure decision the program runs before it registers a GitHub resource.
import { describe, expect, it } from "vitest";
import { requireGitHubToken } from "../../components/gitops/githubToken";

describe("requireGitHubToken", () => {
  it("passes with github:token in the stack config or GITHUB_TOKEN in the environment", () => {
    expect(() => requireGitHubToken({ org: "acme", configured: true, env: {} })).not.toThrow();
    expect(() => requireGitHubToken({ org: "acme", configured: false, env: { GITHUB_TOKEN: "ghp_x" } })).not.toThrow();
  });

  it("refuses neither, or a blank GITHUB_TOKEN, naming github:token, GITHUB_TOKEN and the organisation", () => {
    const message =
      'cto-metal:githubOrg is "acme", so the GitOps repository, its deploy key and its webhook are managed on GitHub: ' +
      "expected a GitHub token in github:token or GITHUB_TOKEN, got neither; set `pulumi config set --secret github:token <token>` or the environment variable GITHUB_TOKEN";
    expect(() => requireGitHubToken({ org: "acme", configured: false, env: {} })).toThrow(message);
    expect(() => requireGitHubToken({ org: "acme", configured: false, env: { GITHUB_TOKEN: "  " } })).toThrow(message);
  });
});
