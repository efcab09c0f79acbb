// The change matrix for the GitOps layer, under mocks: two runs of the whole program, the plan
// between them (created, deleted, changed, replaced and how), and the GitOps removal guard's check
// as the engine runs it at preview.
import { describe, expect, it } from "vitest";
import type { GitOpsRemovalGuardInputs } from "../providers/cluster/gitOpsRemovalGuard";
import { CTO_TEST, registered, runProgram, unwrap, usePlatformProgram } from "./fixtures/platformProgram";

usePlatformProgram();

type Snapshot = Map<string, { type: string; inputs: Record<string, unknown>; deleteBeforeReplace: boolean }>;
function snapshot(): Snapshot {
  return new Map(
    registered
      .filter((r) => !r.type.startsWith("cto:"))
      .map((r) => {
        const inputs = { ...(unwrap(r.inputs) as Record<string, unknown>) };
        delete inputs["__provider"];
        return [r.name, { type: r.type, inputs, deleteBeforeReplace: r.deleteBeforeReplace }];
      }),
  );
}

/**
 * Inputs the GitHub provider answers with a replace when they change (the SDK declares none, see
 * components/gitops/gitOpsRepository.ts): every field of a deploy key, a webhook's repository.
 */
const REPLACED_ON: Record<string, readonly string[]> = {
  "github:index/repositoryDeployKey:RepositoryDeployKey": ["key", "readOnly", "repository", "title"],
  "github:index/repositoryWebhook:RepositoryWebhook": ["repository"],
};

/** What the engine would do from `before` to `after`: per changed resource, its changed inputs. */
function plan(before: Snapshot, after: Snapshot) {
  const created = [...after.keys()].filter((name) => !before.has(name)).sort();
  const deleted = [...before.keys()].filter((name) => !after.has(name)).sort();
  const changed: Record<string, string[]> = {};
  for (const [name, next] of after) {
    const previous = before.get(name);
    if (!previous) continue;
    const keys = [...new Set([...Object.keys(previous.inputs), ...Object.keys(next.inputs)])];
    const differing = keys.filter((key) => JSON.stringify(previous.inputs[key]) !== JSON.stringify(next.inputs[key])).sort();
    if (differing.length > 0) changed[name] = differing;
  }
  const replaced = Object.entries(changed)
    .filter(([name, keys]) => keys.some((key) => REPLACED_ON[after.get(name)!.type]?.includes(key)))
    .map(([name]) => name)
    .sort();
  return { created, deleted, changed, replaced };
}

const GUARD = "cto-gitops-guard";
const guardInputs = (snap: Snapshot) => snap.get(GUARD)?.inputs as GitOpsRemovalGuardInputs | undefined;
/** The guard's check as the engine runs it at preview: previous inputs, then this run's. */
async function guardCheck(before: Snapshot, after: Snapshot) {
  expect(guardInputs(before), `${GUARD} in the first run`).toBeDefined();
  expect(guardInputs(after), `${GUARD} in the second run`).toBeDefined();
  const { gitOpsRemovalGuardProvider } = await import("../providers/cluster/gitOpsRemovalGuard");
  return gitOpsRemovalGuardProvider.check!(guardInputs(before)!, guardInputs(after)!);
}

describe("change matrix: the GitOps repository (under mocks)", () => {
  it("skip the platform (skipStack) of a stack with GitOps: refused at preview like a removal, since the root Application goes too", async () => {
    await runProgram("cto-test", CTO_TEST);
    const before = snapshot();
    await runProgram("cto-test", { ...CTO_TEST, "cto-metal:skipStack": "true" });
    const after = snapshot();
    const result = await guardCheck(before, after);
    expect(result.failures?.[0]?.reason).toContain("allowGitOpsRemoval");
  });

  it("rename the GitOps repo: renamed in place; the deploy key and the webhook replaced delete-first; Argo CD follows the new URL", async () => {
    await runProgram("cto-test", CTO_TEST);
    const before = snapshot();
    await runProgram("cto-test", { ...CTO_TEST, "cto-metal:gitopsRepo": '{"name":"cto-gitops"}' });
    const after = snapshot();
    const { created, deleted, changed, replaced } = plan(before, after);
    expect(created).toEqual([]);
    expect(deleted).toEqual([]);
    expect(changed).toEqual({
      "cto-gitops-repo": ["name"],
      "cto-gitops-seed": ["files", "repository"],
      "cto-gitops-default-branch": ["repository"],
      "cto-gitops-deploy-key": ["repository"],
      "cto-gitops-argocd-webhook": ["repository"],
      "cto-platform-argocd-repo": ["stringData"],
      "cto-platform-argocd-root": ["spec"],
    });
    expect(replaced).toEqual(["cto-gitops-argocd-webhook", "cto-gitops-deploy-key"]);
    // GitHub answers 422 to the same deploy key or hook added twice: the old one goes first.
    for (const name of replaced) expect(after.get(name)!.deleteBeforeReplace, name).toBe(true);
    expect(after.get("cto-gitops-repo")!.deleteBeforeReplace).toBe(false);
    expect(after.get("cto-platform-argocd-root")!.inputs["spec"]).toMatchObject({ source: { repoURL: "git@github.com:5dlabs-test/cto-gitops.git" } });
    expect(guardInputs(after)).toEqual(guardInputs(before));
  });

  const withoutGitOps = (more: Record<string, string> = {}): Record<string, string> => {
    const config: Record<string, string> = { ...CTO_TEST, ...more };
    delete config["cto-metal:githubOrg"];
    delete config["github:token"];
    return config;
  };
  /** Everything the GitOps repository brought: its GitHub objects, Argo CD's root Application and repository Secret. */
  const GITOPS_RESOURCES = [
    "cto-github",
    "cto-gitops-argocd-webhook",
    "cto-gitops-default-branch",
    "cto-gitops-deploy-key",
    "cto-gitops-repo",
    "cto-gitops-seed",
    "cto-platform-argocd-repo",
    "cto-platform-argocd-root",
  ];

  it("remove the GitOps repo from config without confirmation: refused at preview, naming the key that confirms it", async () => {
    await runProgram("cto-test", CTO_TEST);
    const before = snapshot();
    await runProgram("cto-test", withoutGitOps());
    const after = snapshot();
    expect(plan(before, after).deleted).toEqual(GITOPS_RESOURCES);
    // The engine runs the guard's check with the previous inputs before it deletes anything.
    const checked = await guardCheck(before, after);
    expect(checked.inputs).toBeUndefined();
    expect(checked.failures).toEqual([{ property: "rootApplication", reason: expect.stringContaining("confirm with `pulumi config set cto-metal:allowGitOpsRemoval true`") as unknown }]);
    expect(checked.failures?.[0]?.reason).toMatch(/^cto-metal:githubOrg: expected the GitOps repository to stay configured, got none; .*every app it deployed/);
  });

  it("remove the GitOps repo from config with cto-metal:allowGitOpsRemoval: allowed; the root Application and the GitHub objects go", async () => {
    await runProgram("cto-test", CTO_TEST);
    const before = snapshot();
    await runProgram("cto-test", withoutGitOps({ "cto-metal:allowGitOpsRemoval": "true" }));
    const after = snapshot();
    expect(plan(before, after)).toMatchObject({ created: [], deleted: GITOPS_RESOURCES });
    const checked = await guardCheck(before, after);
    expect(checked).toEqual({ inputs: { providerVersion: "1", rootApplication: false, allowRemoval: true } });
  });
});
