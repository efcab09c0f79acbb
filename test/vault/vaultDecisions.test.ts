// The init/join/unseal decisions, exhaustively, without mocks.
import { describe, expect, it } from "vitest";
import {
  decideInit,
  defaultLeaderAddress,
  initialisedWithoutKeysMessage,
  keysWithoutVaultMessage,
  planUnseal,
  redact,
  releaseOfPod,
  sealedPodsOf,
  shrinkRefusal,
  vaultErrorText,
  vaultInitId,
  type PodStatus,
} from "../../providers/vault/vaultDecisions";

const up = (pod: string, initialized: boolean, sealed: boolean, progress = 0): PodStatus => ({ pod, reachable: true, initialized, sealed, progress });
const down = (pod: string): PodStatus => ({ pod, reachable: false, detail: "connection refused" });

describe("decideInit", () => {
  const cases: Array<[string, PodStatus[], boolean, ReturnType<typeof decideInit>]> = [
    ["fresh single pod, no keys", [up("vault-0", false, true)], false, { action: "initialize", pod: "vault-0" }],
    ["fresh HA, followers not running yet", [up("vault-0", false, true), down("vault-1"), down("vault-2")], false, { action: "initialize", pod: "vault-0" }],
    ["pod 0 not answering", [down("vault-0"), up("vault-1", false, true)], false, { action: "none" }],
    ["pod 0 initialised, no keys", [up("vault-0", true, true)], false, { action: "initialisedWithoutKeys", pod: "vault-0" }],
    ["pod 0 initialised and unsealed, no keys", [up("vault-0", true, false)], false, { action: "initialisedWithoutKeys", pod: "vault-0" }],
    ["a follower initialised, no keys", [up("vault-0", false, true), up("vault-1", true, true)], false, { action: "initialisedWithoutKeys", pod: "vault-1" }],
    ["keys and an initialised Vault", [up("vault-0", true, true), up("vault-1", true, true)], true, { action: "none" }],
    ["keys, pod 0 down, follower initialised", [down("vault-0"), up("vault-1", true, true)], true, { action: "none" }],
    ["keys, but Vault never initialised", [up("vault-0", false, true), down("vault-1")], true, { action: "keysWithoutVault" }],
    ["keys, pod 0 wiped, a follower still initialised", [up("vault-0", false, true), up("vault-1", true, false)], true, { action: "none" }],
    ["keys, pod 0 down", [down("vault-0")], true, { action: "none" }],
  ];
  it.each(cases)("%s", (_what, statuses, haveKeys, expected) => {
    expect(decideInit(statuses, haveKeys)).toEqual(expected);
  });

  it("refuses an empty pod list", () => {
    expect(() => decideInit([], false)).toThrow(/at least one pod/);
  });
});

describe("planUnseal", () => {
  it("after init: unseal the leader, join and unseal the empty followers, in pod order", () => {
    expect(planUnseal([up("vault-0", true, true), up("vault-1", false, true), up("vault-2", false, true)], "vault-0")).toEqual({
      steps: [
        { pod: "vault-0", join: false, reset: false },
        { pod: "vault-1", join: true, reset: false },
        { pod: "vault-2", join: true, reset: false },
      ],
      waiting: [],
    });
  });

  it("one restarted pod: only it is unsealed; a joined follower is not joined again", () => {
    expect(planUnseal([up("vault-0", true, false), up("vault-1", true, true), up("vault-2", true, false)], "vault-0")).toEqual({ steps: [{ pod: "vault-1", join: false, reset: false }], waiting: [] });
  });

  it("a half-finished unseal is reset first", () => {
    expect(planUnseal([up("vault-0", true, true, 2)], "vault-0").steps).toEqual([{ pod: "vault-0", join: false, reset: true }]);
  });

  it("pods not answering are waited for, not planned", () => {
    expect(planUnseal([up("vault-0", true, false), down("vault-1"), up("vault-2", false, true)], "vault-0")).toEqual({ steps: [{ pod: "vault-2", join: true, reset: false }], waiting: ["vault-1"] });
  });

  it("everything unsealed: nothing to do", () => {
    expect(planUnseal([up("vault-0", true, false), up("vault-1", true, false)], "vault-0")).toEqual({ steps: [], waiting: [] });
  });

  it("the leader is never joined, even when it says it is not initialised", () => {
    expect(planUnseal([up("vault-0", false, true)], "vault-0").steps).toEqual([{ pod: "vault-0", join: false, reset: false }]);
  });
});

describe("helpers", () => {
  it("sealed pods include pods that do not answer", () => {
    expect(sealedPodsOf([up("vault-0", true, false), up("vault-1", true, true), down("vault-2")])).toEqual(["vault-1", "vault-2"]);
    expect(sealedPodsOf([up("vault-0", true, false)])).toEqual([]);
  });

  it("names: release, leader address, id", () => {
    expect(releaseOfPod("openbao-2")).toBe("openbao");
    expect(defaultLeaderAddress(["vault-0", "vault-1"], 8200)).toBe("http://vault-0.vault-internal:8200");
    expect(vaultInitId("secrets", ["openbao-0"])).toBe("secrets/openbao");
  });

  it("the recovery text names the namespace, the release and every PVC, with exact commands", () => {
    const text = initialisedWithoutKeysMessage("vault", ["vault-0", "vault-1", "vault-2"], "vault-0");
    expect(text).toContain("helm uninstall vault -n vault");
    expect(text).toContain("kubectl -n vault delete pvc data-vault-0 data-vault-1 data-vault-2");
    expect(text).toContain("pulumi refresh");
    expect(text).toContain("pulumi up");
    expect(text).toMatch(/died between Vault's init and its answer, or when the Pulumi state was lost/);
    expect(keysWithoutVaultMessage("vault", ["vault-0"])).toContain("pulumi up --replace");
  });

  it("Vault error texts are joined and scrubbed of secrets", () => {
    expect(vaultErrorText({ errors: ["bad key abcd1234", "x"] }, "fallback", ["abcd1234"])).toBe("bad key [redacted]; x");
    expect(vaultErrorText(undefined, "HTTP 500", [])).toBe("HTTP 500");
    expect(redact("token hvs.secret and hvs.secret", ["hvs.secret", ""])).toBe("token [redacted] and [redacted]");
  });
});

describe("shrinkRefusal", () => {
  const three = ["vault-0", "vault-1", "vault-2"];

  it("HA 3 → 1 is refused with the exact remove-peer commands and how to go on", () => {
    const text = shrinkRefusal("vault", three, ["vault-0"], undefined)!;
    expect(text).toContain("VaultInit vault/vault would go from 3 to 1 pods");
    expect(text).toContain("kubectl -n vault exec vault-0 -- env VAULT_TOKEN=<root token> vault operator raft remove-peer vault-1");
    expect(text).toContain("kubectl -n vault exec vault-0 -- env VAULT_TOKEN=<root token> vault operator raft remove-peer vault-2");
    expect(text).toContain("CTO_VAULT_RAFT_PEERS_REMOVED=vault-1,vault-2 pulumi up");
  });

  it("OpenBao's CLI is bao", () => {
    expect(shrinkRefusal("secrets", ["openbao-0", "openbao-1"], ["openbao-0"], undefined)).toContain("kubectl -n secrets exec openbao-0 -- env BAO_TOKEN=<root token> bao operator raft remove-peer openbao-1");
  });

  const cases: Array<[string, string[], string[], string | undefined, boolean]> = [
    ["same pods", three, three, undefined, false],
    ["growing 1 → 3 (join + unseal)", ["vault-0"], three, undefined, false],
    ["shrink confirmed for every removed pod", three, ["vault-0"], " vault-2,vault-1 ", false],
    ["shrink confirmed for only one of them", three, ["vault-0"], "vault-1", true],
    ["shrink confirmed for other pods", three, ["vault-0", "vault-1"], "vault-1", true],
  ];
  it.each(cases)("%s", (_what, olds, news, acknowledged, refused) => {
    expect(shrinkRefusal("vault", olds, news, acknowledged) !== undefined).toBe(refused);
  });
});
