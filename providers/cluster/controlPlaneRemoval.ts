// Removing a control plane takes an etcd member (and maybe quorum) away, so the config must name
// it explicitly. Pure: the ControlPlaneGuard provider runs this in its `check`, i.e. at preview.

/** The control planes of the previous run that are gone now without being named in `allowed`. */
export function refusedControlPlaneRemovals(previous: readonly string[], current: readonly string[], allowed: readonly string[]): string[] {
  return previous.filter((name) => !current.includes(name) && !allowed.includes(name));
}

/** The preview error for refused removals; names the config keys that decide it. */
export function controlPlaneRemovalMessage(refused: readonly string[], current: readonly string[]): string {
  const names = refused.map((name) => `"${name}"`).join(", ");
  const left = current.length;
  return (
    `cto-metal:nodes: control plane ${names} ${refused.length === 1 ? "is" : "are"} no longer listed; removing a control plane ` +
    `takes its etcd member away (${left} control plane${left === 1 ? "" : "s"} would be left, and etcd needs a majority). ` +
    `Put ${refused.length === 1 ? "it" : "them"} back, or confirm with cto-metal:allowControlPlaneRemoval: [${names}]`
  );
}
