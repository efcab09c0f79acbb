// A state-only resource holding each node's VLAN address: `check` sees the previous allocation and
// hands every node that had an address the same one (components/fleet/privateIps.ts), so adding,
// removing or reordering nodes never moves another node's address, and the allocation is known at
// preview (it is part of the checked inputs). It talks to no API. This object is serialized into
// state: dependencies are local modules only.
import * as pulumi from "@pulumi/pulumi";
import { allocatePrivateIps } from "../../config/privateIps";

const PROVIDER_VERSION = "1";

export interface VlanAddressesInputs {
  providerVersion: string;
  /** The VLAN subnet (CIDR); a new subnet allocates afresh. */
  subnet: string;
  /** Node names in config order. */
  nodes: string[];
  /** Set by check: node name → address. */
  addresses?: Record<string, string>;
}

export const vlanAddressesProvider: pulumi.dynamic.ResourceProvider<VlanAddressesInputs, VlanAddressesInputs> = {
  check(olds: Partial<VlanAddressesInputs>, news: VlanAddressesInputs): Promise<pulumi.dynamic.CheckResult<VlanAddressesInputs>> {
    const previous = olds.subnet === news.subnet ? new Map(Object.entries(olds.addresses ?? {})) : undefined;
    try {
      const addresses = Object.fromEntries(allocatePrivateIps(news.subnet, news.nodes, previous));
      return Promise.resolve({ inputs: { ...news, addresses } });
    } catch (error) {
      return Promise.resolve({ failures: [{ property: "subnet", reason: `cto-metal:vlan: ${(error as Error).message}` }] });
    }
  },
  diff(_id: string, olds: VlanAddressesInputs, news: VlanAddressesInputs): Promise<pulumi.dynamic.DiffResult> {
    const changes = JSON.stringify([olds.providerVersion, olds.subnet, olds.nodes, olds.addresses]) !== JSON.stringify([news.providerVersion, news.subnet, news.nodes, news.addresses]);
    return Promise.resolve({ changes, replaces: [] });
  },
  create(inputs: VlanAddressesInputs): Promise<pulumi.dynamic.CreateResult<VlanAddressesInputs>> {
    return Promise.resolve({ id: "vlan-addresses", outs: inputs });
  },
  update(_id: string, _olds: VlanAddressesInputs, news: VlanAddressesInputs): Promise<pulumi.dynamic.UpdateResult<VlanAddressesInputs>> {
    return Promise.resolve({ outs: news });
  },
  delete(): Promise<void> {
    return Promise.resolve();
  },
};

export class VlanAddresses extends pulumi.dynamic.Resource {
  declare readonly addresses: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: { subnet: string; nodes: string[] }, opts?: pulumi.CustomResourceOptions) {
    super(vlanAddressesProvider, name, { providerVersion: PROVIDER_VERSION, ...args, addresses: undefined }, opts, "cluster", "VlanAddresses");
  }
}
