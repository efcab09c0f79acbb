// The chart values builder: Raft on the given storage class, retry_join for HA, ui on, injector off,
// and overrides deep-merged.
import { describe, expect, it } from "vitest";
import { raftConfig, vaultChartValues, vaultPodNames } from "../../components/platform/vaultValues";
import { deepMerge } from "../../components/platform/values";

describe("vaultChartValues", () => {
  it("HA: three Raft voters on the storage class, each pod in retry_join", () => {
    const values = vaultChartValues({ flavor: "vault", ha: true, storageClass: "local-path", releaseName: "vault" }) as { server: { ha: { replicas: number; raft: { enabled: boolean; config: string }; disruptionBudget: { enabled: boolean } }; dataStorage: unknown; standalone: unknown }; injector: unknown; ui: unknown };
    expect(values.server.dataStorage).toEqual({ enabled: true, storageClass: "local-path" });
    expect(values.server.standalone).toEqual({ enabled: false });
    expect(values.server.ha).toMatchObject({ enabled: true, replicas: 3, raft: { enabled: true, setNodeId: true }, disruptionBudget: { enabled: true } });
    expect(values.server.ha.raft.config.match(/retry_join/g)).toHaveLength(3);
    expect(values.server.ha.raft.config).toContain('leader_api_addr = "http://vault-2.vault-internal:8200"');
    expect(values.server.ha.raft.config).toContain('path = "/vault/data"');
    expect(values.injector).toEqual({ enabled: false });
    expect(values.ui).toEqual({ enabled: true });
  });

  it("single: one Raft node, no retry_join, no disruption budget (it would block drains)", () => {
    const values = vaultChartValues({ flavor: "openbao", ha: false, storageClass: "ssd", releaseName: "openbao" }) as { server: { ha: { replicas: number; raft: { config: string }; disruptionBudget: { enabled: boolean } } } };
    expect(values.server.ha.replicas).toBe(1);
    expect(values.server.ha.disruptionBudget.enabled).toBe(false);
    expect(values.server.ha.raft.config).not.toContain("retry_join");
    expect(values.server.ha.raft.config).toContain('path = "/openbao/data"');
    expect(vaultPodNames("openbao", false)).toEqual(["openbao-0"]);
    expect(vaultPodNames("vault", true)).toEqual(["vault-0", "vault-1", "vault-2"]);
  });

  it("overrides merge deeply: objects merge, scalars and arrays replace", () => {
    const values = vaultChartValues({ flavor: "vault", ha: true, storageClass: "local-path", releaseName: "vault", overrides: { injector: { enabled: true }, server: { dataStorage: { size: "20Gi" }, ha: { replicas: 5 } } } }) as { injector: unknown; server: { dataStorage: unknown; ha: { replicas: number; enabled: boolean } } };
    expect(values.injector).toEqual({ enabled: true });
    expect(values.server.dataStorage).toEqual({ enabled: true, storageClass: "local-path", size: "20Gi" });
    expect(values.server.ha).toMatchObject({ replicas: 5, enabled: true });
    expect(deepMerge({ a: [1, 2], b: { c: 1 } }, { a: [3], b: 2 })).toEqual({ a: [3], b: 2 });
  });

  it("the Raft config listens without TLS on the given port (the proxy speaks http to the pod)", () => {
    expect(raftConfig("vault", "vault", false, 8300)).toContain('address = "[::]:8300"');
    expect(raftConfig("vault", "vault", false)).toContain("tls_disable = 1");
  });
});
