// A state-only record of Vault's Raft members (the StatefulSet's pods), registered before the
// chart: its `check` refuses a shrink the operator did not confirm, so the release is never scaled
// down under a live Raft quorum — not even with `pulumi up --skip-preview`, where VaultInit's own
// check would only run after the release changed. Talks to no API. Serialized: local modules only.
import * as pulumi from "@pulumi/pulumi";
import { PEERS_REMOVED_ENV, shrinkRefusal } from "./vaultDecisions";

const PROVIDER_VERSION = "1";

export interface RaftMembersInputs {
  providerVersion: string;
  namespace: string;
  pods: string[];
}

export const raftMembersGuardProvider: pulumi.dynamic.ResourceProvider<RaftMembersInputs, RaftMembersInputs> = {
  check(olds: RaftMembersInputs, news: RaftMembersInputs): Promise<pulumi.dynamic.CheckResult<RaftMembersInputs>> {
    const refusal = olds.pods ? shrinkRefusal(news.namespace, olds.pods, news.pods, process.env[PEERS_REMOVED_ENV]) : undefined;
    return Promise.resolve(refusal ? { failures: [{ property: "pods", reason: refusal }] } : { inputs: news });
  },
  diff(_id: string, olds: RaftMembersInputs, news: RaftMembersInputs): Promise<pulumi.dynamic.DiffResult> {
    const changes = olds.providerVersion !== news.providerVersion || olds.namespace !== news.namespace || olds.pods.join(",") !== news.pods.join(",");
    return Promise.resolve({ changes, replaces: [] });
  },
  create(inputs: RaftMembersInputs): Promise<pulumi.dynamic.CreateResult<RaftMembersInputs>> {
    return Promise.resolve({ id: `${inputs.namespace}/raft-members`, outs: inputs });
  },
  update(_id: string, _olds: RaftMembersInputs, news: RaftMembersInputs): Promise<pulumi.dynamic.UpdateResult<RaftMembersInputs>> {
    return Promise.resolve({ outs: news });
  },
  delete(): Promise<void> {
    return Promise.resolve();
  },
};

export class RaftMembersGuard extends pulumi.dynamic.Resource {
  constructor(name: string, args: { namespace: string; pods: string[] }, opts?: pulumi.CustomResourceOptions) {
    super(raftMembersGuardProvider, name, { providerVersion: PROVIDER_VERSION, ...args }, opts, "vault", "RaftMembersGuard");
  }
}
