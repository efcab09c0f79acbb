// scripts/check-teardown.ts: the pure leftover filter, then the real calls against the emulator,
// then the command line as destroy.yml runs it (exit codes, no token in the output).
import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LatitudeClient } from "../../providers/latitude/client";
import { checkTeardown, leftovers, report } from "../../scripts/check-teardown";
import { startEmulator, type Emulator } from "../../emulator";

const TOKEN = "teardown-check-token-5e1d";
const TAG = "cto-metal-pr-42";
let emulator: Emulator;
let client: LatitudeClient;

beforeAll(async () => {
  emulator = await startEmulator({ deployMs: 50, apiKeys: [TOKEN] });
  client = new LatitudeClient({ apiUrl: emulator.url, apiKey: TOKEN, writeLimit: { limit: 100, windowMs: 1000 } });
});
afterAll(async () => {
  await emulator.close();
});

describe("leftovers", () => {
  it("keeps the stack's tag and whatever carries it, nothing else", () => {
    const tags = [
      { id: "tag_1", name: TAG },
      { id: "tag_2", name: "cto-metal-cto-test" },
    ];
    const found = leftovers(TAG, {
      tags,
      servers: [
        { id: "sv_1", hostname: "cp1", tags: [{ id: "tag_1" }] },
        { id: "sv_2", hostname: "other", tags: [{ id: "tag_2" }] },
      ],
      vlans: [
        { id: "vlan_1", description: "x", tags: [{ id: "tag_2" }, { id: "tag_1" }] },
        { id: "vlan_2", tags: null },
      ],
      sshKeys: [{ id: "ssh_1", name: "ops", tags: [] }],
    });
    expect(found).toEqual([
      { kind: "tag", id: "tag_1", label: TAG },
      { kind: "server", id: "sv_1", label: "cp1" },
      { kind: "VLAN", id: "vlan_1", label: "x" },
    ]);
    expect(report(TAG, found)).toBe(
      `teardown incomplete: 3 Latitude resource(s) still belong to ${TAG}; delete them in the dashboard or re-run pulumi destroy:\n  tag tag_1 (${TAG})\n  server sv_1 (cp1)\n  VLAN vlan_1 (x)`,
    );
    expect(report(TAG, [])).toBe(`teardown clean: nothing in the Latitude team carries the tag ${TAG}`);
  });
});

describe("against the emulator", () => {
  const run = (env: Record<string, string>, args = [TAG]) =>
    promisify(execFile)(path.join(__dirname, "../../node_modules/.bin/tsx"), [path.join(__dirname, "../../scripts/check-teardown.ts"), ...args], {
      env: { PATH: process.env["PATH"] ?? "", LATITUDESH_API_URL: emulator.url, ...env },
      timeout: 20_000,
    }).then(
      (r) => ({ code: 0, out: r.stdout + r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
    );

  it("finds a tagged server and VLAN, then reports clean once they and the tag are gone", async () => {
    const project = await client.createProject({ name: "teardown", provisioning_type: "on_demand" });
    const tag = await client.createTag({ name: TAG });
    const other = await client.createTag({ name: "cto-metal-cto-test" });
    const server = await client.createServer({ project: project.id, plan: "c2-small-x86", site: "MIA2", operating_system: "ipxe", ipxe: "http://127.0.0.1/boot.ipxe", hostname: "pr-42-cp1", billing: "hourly" });
    await client.updateServer(server.id, { tags: [tag.id] });
    const bystander = await client.createServer({ project: project.id, plan: "c2-small-x86", site: "MIA2", operating_system: "ipxe", ipxe: "http://127.0.0.1/boot.ipxe", hostname: "test-cp1", billing: "hourly" });
    await client.updateServer(bystander.id, { tags: [other.id] });
    const vlan = await client.createVirtualNetwork({ site: "MIA2", project: project.id, description: `${TAG} private network` });
    await client.updateVirtualNetwork(vlan.id, { tags: [tag.id] });

    emulator.clearLog();
    expect((await checkTeardown(client, TAG)).map((l) => [l.kind, l.id])).toEqual([
      ["tag", tag.id],
      ["server", server.id],
      ["VLAN", vlan.id],
    ]);
    expect(emulator.requests.some((r) => r.method === "GET" && r.path === "/servers" && r.query?.["filter[tags]"] === tag.id)).toBe(true);

    const dirty = await run({ LATITUDESH_AUTH_TOKEN: TOKEN });
    expect(dirty.code).toBe(1);
    expect(dirty.out).toContain(`server ${server.id} (pr-42-cp1)`);
    expect(dirty.out).not.toContain(TOKEN);

    await client.deleteServer(server.id);
    await client.deleteVirtualNetwork(vlan.id);
    await client.deleteTag(tag.id);
    expect(await checkTeardown(client, TAG)).toEqual([]);
    expect(await run({ LATITUDESH_AUTH_TOKEN: TOKEN })).toEqual({ code: 0, out: `teardown clean: nothing in the Latitude team carries the tag ${TAG}\n` });
  });

  it("fails with a usage line without a tag, and with an actionable message without a token", async () => {
    expect((await run({ LATITUDESH_AUTH_TOKEN: TOKEN }, [])).code).toBe(2);
    const noToken = await run({});
    expect(noToken.code).toBe(1);
    expect(noToken.out).toMatch(/LATITUDESH_AUTH_TOKEN/);
  });
});
