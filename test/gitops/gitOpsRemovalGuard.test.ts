// Removing the GitOps repository from the config deletes Argo CD's root Application, and its
// resources finalizer deletes every app it deployed: refused at preview unless confirmed. The pure
// rule, and the state-only guard's `check`, which the engine runs during preview with the inputs
// of the previous run.
import { describe, expect, it } from "vitest";
import { gitOpsRemovalRefusal } from "../../providers/cluster/gitOpsRemoval";
import { parseConfig } from "../../config/schema";
import { gitOpsRemovalGuardProvider, type GitOpsRemovalGuardInputs } from "../../providers/cluster/gitOpsRemovalGuard";

const inputs = (rootApplication: boolean, allowRemoval = false): GitOpsRemovalGuardInputs => ({ providerVersion: "1", rootApplication, allowRemoval });
const REFUSAL =
  'cto-metal:githubOrg: expected the GitOps repository to stay configured, got none; without it Argo CD\'s root Application "root" is deleted, ' +
  "and its resources finalizer deletes every app it deployed from Git, with everything those apps run. " +
  "Set cto-metal:githubOrg back, or confirm with `pulumi config set cto-metal:allowGitOpsRemoval true` (and unset it afterwards)";

describe("gitOpsRemovalRefusal", () => {
  it("refuses only a root Application that existed and is no longer configured, unconfirmed", () => {
    expect(gitOpsRemovalRefusal({ rootApplication: true }, { rootApplication: false, allowRemoval: false })).toBe(REFUSAL);
    expect(gitOpsRemovalRefusal({ rootApplication: true }, { rootApplication: false, allowRemoval: true })).toBeUndefined();
    expect(gitOpsRemovalRefusal({ rootApplication: true }, { rootApplication: true, allowRemoval: false })).toBeUndefined();
    expect(gitOpsRemovalRefusal({ rootApplication: false }, { rootApplication: false, allowRemoval: false })).toBeUndefined();
    // the first run (no state): nothing to lose
    expect(gitOpsRemovalRefusal({}, { rootApplication: false, allowRemoval: false })).toBeUndefined();
  });
});

describe("GitOpsRemovalGuard provider", () => {
  // The engine passes no olds on the first run.
  const check = (olds: Partial<GitOpsRemovalGuardInputs>, news: GitOpsRemovalGuardInputs) => gitOpsRemovalGuardProvider.check!(olds as GitOpsRemovalGuardInputs, news);

  it("fails the preview when the GitOps repository is removed unconfirmed, and passes it confirmed", async () => {
    expect(await check(inputs(true), inputs(false))).toEqual({ failures: [{ property: "rootApplication", reason: REFUSAL }] });
    expect(await check(inputs(true), inputs(false, true))).toEqual({ inputs: inputs(false, true) });
  });

  it("passes the first run, a kept repository and adding one", async () => {
    expect(await check({}, inputs(true))).toEqual({ inputs: inputs(true) });
    expect(await check(inputs(true), inputs(true))).toEqual({ inputs: inputs(true) });
    expect(await check(inputs(false), inputs(true))).toEqual({ inputs: inputs(true) });
    // once removed, the guard remembers there is nothing left to protect
    expect(await check(inputs(false, true), inputs(false))).toEqual({ inputs: inputs(false) });
  });

  it("updates in place when an input changes and never replaces; create and delete call no API", async () => {
    expect(await gitOpsRemovalGuardProvider.diff!("id", inputs(true), inputs(true))).toEqual({ changes: false, replaces: [] });
    expect(await gitOpsRemovalGuardProvider.diff!("id", inputs(true), inputs(false, true))).toEqual({ changes: true, replaces: [] });
    expect(await gitOpsRemovalGuardProvider.create(inputs(true))).toEqual({ id: "gitops-root-application", outs: inputs(true) });
    expect(await gitOpsRemovalGuardProvider.update!("id", inputs(true), inputs(false, true))).toEqual({ outs: inputs(false, true) });
    await expect(gitOpsRemovalGuardProvider.delete!("id", inputs(true))).resolves.toBeUndefined();
  });
});

describe("cto-metal:allowGitOpsRemoval", () => {
  const dev = (raw: Record<string, string>) => parseConfig({ clusterSource: "kubeconfig", ...raw }, { stack: "dev" });

  it("is false unless set to true, and then reaches the platform config", () => {
    expect(dev({}).platform.allowGitOpsRemoval).toBeUndefined();
    expect(dev({ allowGitOpsRemoval: "false" }).platform.allowGitOpsRemoval).toBeUndefined();
    expect(dev({ allowGitOpsRemoval: "true" }).platform.allowGitOpsRemoval).toBe(true);
  });

  it("refuses anything but a boolean, naming the key", () => {
    expect(() => dev({ allowGitOpsRemoval: "yes" })).toThrow("cto-metal:allowGitOpsRemoval: expected true or false");
  });
});
