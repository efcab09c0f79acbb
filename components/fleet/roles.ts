// Which nodes are control planes. One rule, used at every plan: explicit roles win; otherwise by
// position — 1 node: a control plane that also runs workloads; 2: the first is a control plane,
// the second a worker; 3 or more: the first three are control planes, the rest workers.
// A node keeps its role once created: the Server resource carries the role as an input and
// refuses a change at preview, so inserting a node at the top of the list cannot demote one.
import type { NodeRole } from "../../config/types";

export interface RoleInput {
  readonly name: string;
  readonly role?: NodeRole;
}

export interface NodeWithRole {
  readonly name: string;
  readonly role: NodeRole;
}

/** How many of the first nodes are control planes by default, for a list of `count` nodes. */
export function defaultControlPlaneCount(count: number): number {
  return count <= 2 ? 1 : 3;
}

/** The role of the node at `index` of `count` nodes when the config gives none. */
export function defaultRole(index: number, count: number): NodeRole {
  return index < defaultControlPlaneCount(count) ? "controlplane" : "worker";
}

export function assignRoles(nodes: readonly RoleInput[]): NodeWithRole[] {
  const controlPlanes = defaultControlPlaneCount(nodes.length);
  const assigned = nodes.map((node, index) => ({ name: node.name, role: node.role ?? defaultRole(index, nodes.length) }));
  if (nodes.length > 0 && !assigned.some((node) => node.role === "controlplane")) {
    throw new Error(
      `cto-metal:nodes: no node is a control plane (nodes after the first ${controlPlanes} default to workers); give one of them "role": "controlplane"`,
    );
  }
  return assigned;
}
