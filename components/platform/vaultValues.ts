// Helm values for the Vault or OpenBao chart, as a pure function. OpenBao's chart mirrors Vault's
// `server` section (server.ha.raft, server.dataStorage, injector, ui); what differs is the chart,
// its default image (quay.io/openbao/openbao, left to the chart pin) and the data path.
import { deepMerge } from "./values";

export type VaultFlavor = "vault" | "openbao";

export interface VaultValuesArgs {
  flavor: VaultFlavor;
  /** 3 Raft voters (HA) or 1 (single-node Raft, same storage, no failover). */
  ha: boolean;
  storageClass: string;
  /** The Helm release name: pods are <release>-N behind the headless <release>-internal service. */
  releaseName: string;
  port?: number;
  /** Deep-merged over the result (from config): objects merge, anything else replaces. */
  overrides?: Record<string, unknown>;
}

export const VAULT_REPLICAS = { ha: 3, single: 1 } as const;

export function vaultReplicas(ha: boolean): number {
  return ha ? VAULT_REPLICAS.ha : VAULT_REPLICAS.single;
}

/** StatefulSet pod names, pod 0 first. */
export function vaultPodNames(releaseName: string, ha: boolean): string[] {
  return Array.from({ length: vaultReplicas(ha) }, (_, i) => `${releaseName}-${i}`);
}

/** The Raft server config (HCL). HA lists every pod in retry_join, so a restarted follower rejoins alone. */
export function raftConfig(flavor: VaultFlavor, releaseName: string, ha: boolean, port = 8200): string {
  const dataPath = flavor === "openbao" ? "/openbao/data" : "/vault/data";
  const joins = ha ? vaultPodNames(releaseName, ha).flatMap((pod) => ["  retry_join {", `    leader_api_addr = "http://${pod}.${releaseName}-internal:${port}"`, "  }"]) : [];
  const lines = [
    "ui = true",
    "",
    'listener "tcp" {',
    "  tls_disable = 1",
    `  address = "[::]:${port}"`,
    '  cluster_address = "[::]:8201"',
    "}",
    "",
    'storage "raft" {',
    `  path = "${dataPath}"`,
    ...joins,
    "}",
    "",
    'service_registration "kubernetes" {}',
  ];
  return `${lines.join("\n")}\n`;
}

export function vaultChartValues(args: VaultValuesArgs): Record<string, unknown> {
  const replicas = vaultReplicas(args.ha);
  const port = args.port ?? 8200;
  const values: Record<string, unknown> = {
    global: { enabled: true, tlsDisable: true },
    // Off unless config turns it on: nothing consumes it yet, and its webhook adds a failure mode.
    injector: { enabled: false },
    ui: { enabled: true },
    server: {
      dataStorage: { enabled: true, storageClass: args.storageClass },
      standalone: { enabled: false },
      // HA mode with Raft for one replica too: same storage and services, so 1 → 3 is a scale-up.
      ha: {
        enabled: true,
        replicas,
        raft: { enabled: true, setNodeId: true, config: raftConfig(args.flavor, args.releaseName, args.ha, port) },
        // With one replica the chart's budget would be maxUnavailable 0, blocking every node drain.
        disruptionBudget: { enabled: args.ha },
      },
      // Spread when the nodes allow it, but still schedule on a 1- or 2-node cluster (the chart's
      // default is a hard anti-affinity that leaves the third pod Pending there).
      affinity: {
        podAntiAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [
            {
              weight: 100,
              podAffinityTerm: {
                labelSelector: { matchLabels: { "app.kubernetes.io/name": args.flavor, "app.kubernetes.io/instance": args.releaseName, component: "server" } },
                topologyKey: "kubernetes.io/hostname",
              },
            },
          ],
        },
      },
    },
  };
  return args.overrides ? deepMerge(values, args.overrides) : values;
}
