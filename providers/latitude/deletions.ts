// What was deleted stays listed for a while: after `DELETE /servers/{id}` (204) the single GET
// answered 404 about 2 s later in the recordings, and SSH keys 404 after delete, but how long lists
// keep showing a deleted resource is unrecorded (latitude-api.md §8.2, §9, §19). A create that
// looks for a leftover to adopt (every replace is delete-first, then a create with the same name)
// must not take the resource just deleted for it. So a listed candidate counts only when this
// process did not delete it and its own GET still finds it.
// Serialized into the dynamic providers: the memory lives in the process-wide shared state.
import { sharedState } from "./sharedState";

export type DeletableKind = "server" | "sshKey";

// A string key: the closure serializer cannot carry a Symbol.
const DELETED_KEY = "cto-metal.latitude.deleted/v1";

function deletedIds(kind: DeletableKind): Set<string> {
  const holder = sharedState() as unknown as Record<string, Map<DeletableKind, Set<string>> | undefined>;
  const byKind = (holder[DELETED_KEY] ??= new Map<DeletableKind, Set<string>>());
  let ids = byKind.get(kind);
  if (!ids) {
    ids = new Set();
    byKind.set(kind, ids);
  }
  return ids;
}

/** Called once Latitude accepted a DELETE (or answered 404: gone already). */
export function rememberDeleted(kind: DeletableKind, id: string): void {
  deletedIds(kind).add(id);
}

/**
 * The listed resources that still exist: not deleted by this process, and their single GET does
 * not answer 404. One GET per candidate; candidates are rare (a leftover of an interrupted run).
 * The listed items are returned as listed: the GET only decides whether they exist.
 */
export async function stillExisting<T extends { id: string }>(kind: DeletableKind, listed: readonly T[], get: (id: string) => Promise<unknown>): Promise<T[]> {
  const deleted = deletedIds(kind);
  const found: T[] = [];
  for (const item of listed) {
    if (deleted.has(item.id)) continue;
    if ((await get(item.id)) !== undefined) found.push(item);
  }
  return found;
}
