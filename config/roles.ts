// Which nodes are control planes. One rule, used at every plan: explicit roles win. Only a list
// where no node has a role is assigned by position — 1 node: a control plane that also runs
// workloads; 2: the first is a control plane, the second a worker; 3 or more: the first three are
// control planes, the rest workers. Once any node has a role, a node without one is a worker: a
// node appended to a list with roles (cto-test + {name: worker2}) must not become a second etcd
// member, with which losing either control plane loses quorum.
// A node keeps its role once created: the Server resource carries the role as an input and
// refuses a change at preview, so inserting a node at the top of the list cannot demote one.
import type { NodeRole } from "./types";

/** A VIP needs an etcd quorum to elect its owner; below three control planes there is none to share. */
export const VIP_MIN_CONTROL_PLANES = 3;

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

/** The role of the node at `index` of `count` nodes when no node of the list has a role. */
export function defaultRole(index: number, count: number): NodeRole {
  return index < defaultControlPlaneCount(count) ? "controlplane" : "worker";
}

/** Each node's role by the rule above; no check that a control plane is left (see assignRoles). */
export function resolveRoles(nodes: readonly RoleInput[]): NodeWithRole[] {
  const positional = nodes.every((node) => node.role === undefined);
  return nodes.map((node, index) => ({ name: node.name, role: node.role ?? (positional ? defaultRole(index, nodes.length) : "worker") }));
}

export function assignRoles(nodes: readonly RoleInput[]): NodeWithRole[] {
  const assigned = resolveRoles(nodes);
  if (nodes.length > 0 && !assigned.some((node) => node.role === "controlplane")) {
    throw new Error('cto-metal:nodes: no node is a control plane (a node without a role is a worker once any node has one); give one of them "role": "controlplane"');
  }
  return assigned;
}
