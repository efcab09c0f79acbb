// Tier 1: the Kubernetes API endpoint, its certificate SANs and the Talos VIP.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { assignRoles, defaultRole } from "../../config/roles";
import {
  certSANs,
  clusterEndpoint,
  type EndpointNode,
  endpointUrl,
  firstControlPlane,
  talosVip,
} from "../../components/talos/endpoint";
import type { NodeRole } from "../../config/types";

const node = (name: string, role: NodeRole, publicIp: string): EndpointNode => ({ name, role, publicIp });

const CTO_TEST = [node("cp1", "controlplane", "203.0.113.10"), node("worker1", "worker", "203.0.113.11")];
const HA = [
  node("w0", "worker", "198.51.100.9"),
  node("cp-a", "controlplane", "198.51.100.1"),
  node("cp-b", "controlplane", "198.51.100.2"),
  node("cp-c", "controlplane", "198.51.100.3"),
  node("w1", "worker", "198.51.100.10"),
];

describe("clusterEndpoint", () => {
  it("prefers the configured host", () => {
    expect(clusterEndpoint({ configured: "k8s.example.com", elasticIp: "192.0.2.50", nodes: CTO_TEST })).toStrictEqual({
      host: "k8s.example.com",
      url: "https://k8s.example.com:6443",
      source: "config",
    });
  });

  it("uses an elastic IP next", () => {
    expect(clusterEndpoint({ elasticIp: "192.0.2.50", nodes: CTO_TEST })).toStrictEqual({
      host: "192.0.2.50",
      url: "https://192.0.2.50:6443",
      source: "elasticIp",
    });
  });

  it("falls back to the first control plane in config order, not the first node", () => {
    expect(clusterEndpoint({ nodes: CTO_TEST })).toStrictEqual({
      host: "203.0.113.10",
      url: "https://203.0.113.10:6443",
      source: "firstControlPlane",
    });
    expect(clusterEndpoint({ nodes: HA }).host).toBe("198.51.100.1");
    expect(firstControlPlane(HA).name).toBe("cp-a");
  });

  it("does not move when a worker before the first control plane is removed", () => {
    expect(clusterEndpoint({ nodes: HA.filter((n) => n.name !== "w0") }).url).toBe("https://198.51.100.1:6443");
  });

  it("needs a control plane when nothing is configured", () => {
    expect(() => clusterEndpoint({ nodes: [node("w1", "worker", "192.0.2.1")] })).toThrow(
      "no node is a control plane, so there is no Kubernetes API endpoint",
    );
  });

  it("builds the URL on port 6443", () => {
    expect(endpointUrl("10.0.0.1")).toBe("https://10.0.0.1:6443");
  });
});

describe("certSANs", () => {
  it("lists the endpoint host, every control plane's public IP and the VIP, once each", () => {
    expect(certSANs({ endpointHost: "198.51.100.1", nodes: HA, vip: "10.8.0.1" })).toStrictEqual([
      "198.51.100.1",
      "198.51.100.2",
      "198.51.100.3",
      "10.8.0.1",
    ]);
  });

  it("puts a DNS endpoint first and leaves workers out", () => {
    expect(certSANs({ endpointHost: "k8s.example.com", nodes: CTO_TEST })).toStrictEqual(["k8s.example.com", "203.0.113.10"]);
  });
});

describe("talosVip", () => {
  it("takes the first usable address of the VLAN with three or more control planes", () => {
    expect(talosVip({ subnet: "10.8.0.0/24", controlPlaneCount: 3, nodeCount: 5 })).toBe("10.8.0.1");
    expect(talosVip({ subnet: "192.168.16.0/20", controlPlaneCount: 5, nodeCount: 40 })).toBe("192.168.16.1");
  });

  it("has no VIP without a VLAN or with fewer than three control planes", () => {
    expect(talosVip({ controlPlaneCount: 3, nodeCount: 3 })).toBeUndefined();
    expect(talosVip({ subnet: "10.8.0.0/24", controlPlaneCount: 2, nodeCount: 6 })).toBeUndefined();
  });

  it("refuses a subnet where a node address could take the VIP", () => {
    expect(() => talosVip({ subnet: "10.8.0.0/28", controlPlaneCount: 3, nodeCount: 5 })).toThrow(
      "vlan subnet 10.8.0.0/28 has 14 usable addresses; a Talos VIP needs more than 14 (9 kept free, then one per node)",
    );
  });
});

// Property: whatever the cluster, adding nodes (appended, as scale-up does) or replacing workers
// (a worker leaves, a successor with a new name and a new IP joins) changes neither the endpoint nor the VIP.
describe("stability (property)", () => {
  type Spec = { name: string; role?: NodeRole };

  /** A public IP per name: a replaced server (new name) gets a new address, the others keep theirs. */
  const ipOf = (name: string, seed: number): string => {
    let h = seed;
    for (const c of name) h = (h * 31 + c.charCodeAt(0)) % 62_500;
    return `100.64.${Math.floor(h / 250)}.${(h % 250) + 1}`;
  };

  const derive = (specs: readonly Spec[], seed: number, vlan: boolean) => {
    const nodes = assignRoles(specs).map((n) => node(n.name, n.role, ipOf(n.name, seed)));
    return {
      nodes,
      endpoint: clusterEndpoint({ nodes }),
      vip: talosVip({
        ...(vlan && { subnet: "10.8.0.0/24" }),
        controlPlaneCount: nodes.filter((n) => n.role === "controlplane").length,
        nodeCount: nodes.length,
      }),
    };
  };

  const ids = (prefix: string, min: number, max: number) =>
    fc.uniqueArray(fc.integer({ min: 0, max: 999 }), { minLength: min, maxLength: max }).map((ns) => ns.map((n) => `${prefix}${n}`));
  // Roles are fixed once a node exists (the Server resource refuses a change), so the base lists them.
  // At least one control plane, anywhere in the list (workers may come first).
  const base = ids("n", 1, 8).chain((names) =>
    fc
      .tuple(
        fc.array(fc.constantFrom<NodeRole>("controlplane", "worker"), { minLength: names.length, maxLength: names.length }),
        fc.nat({ max: names.length - 1 }),
      )
      .map(([roles, cp]) => names.map((name, i): Spec => ({ name, role: i === cp ? "controlplane" : (roles[i] ?? "worker") }))),
  );
  const change = fc.record({
    added: ids("a", 0, 6),
    replaced: fc.integer({ min: 0, max: 5 }),
    // Newcomers are workers, said explicitly or left to the default rule where it makes them workers.
    explicit: fc.boolean(),
    vlan: fc.boolean(),
    seed: fc.integer({ min: 1, max: 10_000 }),
  });

  it("never changes the endpoint or the VIP when nodes are added or workers replaced", () => {
    let withVip = 0;
    fc.assert(
      fc.property(base, change, (specs, { added, replaced, explicit, vlan, seed }) => {
        const before = derive(specs, seed, vlan);
        const leaving = specs.filter((s) => s.role === "worker").slice(0, replaced);
        const after: Spec[] = [
          ...specs.filter((s) => !leaving.includes(s)),
          ...leaving.map((w): Spec => ({ name: `${w.name}-r`, role: "worker" })),
        ];
        for (const name of added) {
          const byDefault = defaultRole(after.length, after.length + 1) === "worker";
          after.push(explicit || !byDefault ? { name, role: "worker" } : { name });
        }
        const later = derive(after, seed, vlan);
        expect(later.nodes.map((n) => n.name)).toStrictEqual(after.map((s) => s.name));
        expect(later.endpoint).toStrictEqual(before.endpoint);
        expect(later.vip).toBe(before.vip);
        if (before.vip !== undefined) withVip++;
      }),
      { numRuns: 400 },
    );
    expect(withVip).toBeGreaterThan(0);
  });

  it("keeps the HA example's endpoint and VIP through a scale-up and a worker replacement", () => {
    const vipOf = (nodes: readonly EndpointNode[]) =>
      talosVip({ subnet: "10.8.0.0/24", controlPlaneCount: nodes.filter((n) => n.role === "controlplane").length, nodeCount: nodes.length });
    const after = [...HA.filter((n) => n.name !== "w1"), node("w1-r", "worker", "198.51.100.77"), node("w2", "worker", "198.51.100.78")];
    expect(clusterEndpoint({ nodes: HA }).url).toBe("https://198.51.100.1:6443");
    expect(clusterEndpoint({ nodes: after }).url).toBe("https://198.51.100.1:6443");
    expect(vipOf(HA)).toBe("10.8.0.1");
    expect(vipOf(after)).toBe("10.8.0.1");
  });
});
