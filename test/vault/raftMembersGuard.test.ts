// The Raft-members guard, registered before the Vault chart: a shrink of the pod list is refused
// in `check` (preview and --skip-preview alike) unless the removed peers are named.
import { afterEach, describe, expect, it, vi } from "vitest";
import { raftMembersGuardProvider, type RaftMembersInputs } from "../../providers/vault/raftMembersGuard";
import { PEERS_REMOVED_ENV } from "../../providers/vault/vaultDecisions";

const members = (pods: string[]): RaftMembersInputs => ({ providerVersion: "1", namespace: "vault", pods });
const check = (olds: Partial<RaftMembersInputs>, news: RaftMembersInputs) => raftMembersGuardProvider.check!(olds as RaftMembersInputs, news);

afterEach(() => vi.unstubAllEnvs());

describe("RaftMembersGuard", () => {
  it("passes the first run and a growth", async () => {
    expect(await check({}, members(["vault-0"]))).toEqual({ inputs: members(["vault-0"]) });
    expect(await check(members(["vault-0"]), members(["vault-0", "vault-1", "vault-2"]))).toEqual({ inputs: members(["vault-0", "vault-1", "vault-2"]) });
  });

  it("refuses 3 → 1 with the remove-peer commands, until the removed peers are named", async () => {
    const refused = await check(members(["vault-0", "vault-1", "vault-2"]), members(["vault-0"]));
    expect(refused.inputs).toBeUndefined();
    expect(refused.failures).toHaveLength(1);
    expect(refused.failures![0]!.reason).toContain("remove-peer vault-1");
    expect(refused.failures![0]!.reason).toContain(PEERS_REMOVED_ENV);
    vi.stubEnv(PEERS_REMOVED_ENV, "vault-1,vault-2");
    expect(await check(members(["vault-0", "vault-1", "vault-2"]), members(["vault-0"]))).toEqual({ inputs: members(["vault-0"]) });
  });

  it("updates in place when the members change, never replaces", async () => {
    expect(await raftMembersGuardProvider.diff!("vault/raft-members", members(["vault-0"]), members(["vault-0"]))).toEqual({ changes: false, replaces: [] });
    expect(await raftMembersGuardProvider.diff!("vault/raft-members", members(["vault-0"]), members(["vault-0", "vault-1"]))).toEqual({ changes: true, replaces: [] });
  });
});
