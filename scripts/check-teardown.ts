// After `pulumi destroy`: proves the Latitude team holds nothing the stack owned. Everything the
// stack creates carries its tag `<project>-<stack>` (ServerFleet), so: no tag of that name may be
// left, and no server, VLAN or SSH key may carry it. Servers are asked for by tag
// (GET /servers?filter[tags]=<id>); VLANs and SSH keys are listed and filtered here.
//
// Usage: LATITUDESH_AUTH_TOKEN=… npx tsx scripts/check-teardown.ts <project>-<stack>
// (LATITUDESH_API_URL points it at the emulator). Exit 0: clean; 1: leftovers (listed); 2: usage.
import { LatitudeClient } from "../providers/latitude/client";
import { resolveCredentials } from "../providers/latitude/credentials";

export interface Leftover {
  kind: "tag" | "server" | "VLAN" | "SSH key";
  id: string;
  label: string;
}

interface Tagged {
  id: string;
  tags?: ReadonlyArray<{ id: string }> | null;
}

/** The pure part: which of the listed resources still belong to the stack's tag. */
export function leftovers(
  tagName: string,
  listed: { tags: ReadonlyArray<{ id: string; name: string }>; servers: ReadonlyArray<Tagged & { hostname?: string | null }>; vlans: ReadonlyArray<Tagged & { description?: string | null }>; sshKeys: ReadonlyArray<Tagged & { name?: string }> },
): Leftover[] {
  const ids = new Set(listed.tags.filter((tag) => tag.name === tagName).map((tag) => tag.id));
  const carries = (r: Tagged) => (r.tags ?? []).some((tag) => ids.has(tag.id));
  return [
    ...listed.tags.filter((tag) => ids.has(tag.id)).map((tag) => ({ kind: "tag" as const, id: tag.id, label: tag.name })),
    ...listed.servers.filter(carries).map((s) => ({ kind: "server" as const, id: s.id, label: s.hostname ?? "" })),
    ...listed.vlans.filter(carries).map((v) => ({ kind: "VLAN" as const, id: v.id, label: v.description ?? "" })),
    ...listed.sshKeys.filter(carries).map((k) => ({ kind: "SSH key" as const, id: k.id, label: k.name ?? "" })),
  ];
}

/** Lists what the tag could still be on. Without the tag nothing can carry it (tags are team-wide). */
export async function checkTeardown(client: LatitudeClient, tagName: string): Promise<Leftover[]> {
  const tags = (await client.listTags()).map((tag) => ({ id: tag.id, name: tag.name }));
  const ours = tags.filter((tag) => tag.name === tagName);
  if (ours.length === 0) return [];
  const servers = (await Promise.all(ours.map((tag) => client.listServers({ tags: tag.id })))).flat();
  const [vlans, sshKeys] = await Promise.all([client.listVirtualNetworks(), client.listSshKeys()]);
  return leftovers(tagName, { tags, servers, vlans, sshKeys });
}

export function report(tagName: string, found: readonly Leftover[]): string {
  if (found.length === 0) return `teardown clean: nothing in the Latitude team carries the tag ${tagName}`;
  const lines = found.map((l) => `  ${l.kind} ${l.id}${l.label ? ` (${l.label})` : ""}`);
  return [`teardown incomplete: ${found.length} Latitude resource(s) still belong to ${tagName}; delete them in the dashboard or re-run pulumi destroy:`, ...lines].join("\n");
}

async function main(argv: string[]): Promise<number> {
  const tagName = argv[0];
  if (!tagName || argv.length !== 1) {
    console.error("usage: check-teardown.ts <project>-<stack>   (token in LATITUDESH_AUTH_TOKEN)");
    return 2;
  }
  const client = new LatitudeClient(resolveCredentials(undefined));
  const found = await checkTeardown(client, tagName);
  (found.length === 0 ? console.log : console.error)(report(tagName, found));
  return found.length === 0 ? 0 : 1;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      // Client and credential errors name the call and never the key.
      console.error(`check-teardown: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
