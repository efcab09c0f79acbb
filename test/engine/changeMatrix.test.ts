// Tier 4: the Latitude layer's change matrix through the real engine. One stack (a control plane,
// a worker, an SSH key, a VLAN) goes through each change class in turn; every case asserts the
// plan the engine makes (which resources are created, replaced, updated, deleted, and for a
// replace whether the old one goes first), then what Latitude and the state hold afterwards:
// the same resources, nothing deleted that state still holds, nothing untracked.
import type { EngineEvent, OpType, Stack } from "@pulumi/pulumi/automation";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../../emulator";
import { emulatorEnv, inventory, latitudeOnlyConfig, SENTINEL_TOKEN, stateOf } from "./engineStack";
import { collect, createFixture, engineMissing, type EngineFixture } from "./harness";

const missing = engineMissing();
if (missing) console.warn(`\n*** ENGINE TESTS SKIPPED (change matrix): ${missing} ***\n`);

const NAME = "matrix";
const KEY_NAME = "ops-matrix";
const PUBLIC_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMjzxQF9/eg8xULmugd0ro+pShpmJoQNmiiEkBOOlC+Y ops@cto";
const NODES = [{ name: "cp1", role: "controlplane" }, { name: "w1", role: "worker" }];
const T = (kind: string): string => `pulumi-nodejs:dynamic/latitude:${kind}`;
const LATITUDE_TYPES = ["Server", "Tag", "SshKey", "VirtualNetwork", "Project", "VlanAssignment"].map(T);
/** What a replace looks like in the engine's events, whichever goes first. */
const REPLACED: OpType[] = ["create-replacement", "delete-replaced", "replace"];

let fixture: EngineFixture;
let emulator: Emulator;
let stack: Stack;

const nameOf = (urn: string): string => urn.slice(urn.lastIndexOf("::") + 2);

/** The steps of one operation on Latitude resources, in the order the engine announced them. */
function recorder(): { steps: Array<{ op: OpType; name: string }>; onEvent: (event: EngineEvent) => void; onOutput: (line: string) => void } {
  const steps: Array<{ op: OpType; name: string }> = [];
  return {
    steps,
    onOutput: collect(fixture).onOutput,
    onEvent: (event) => {
      const meta = event.resourcePreEvent?.metadata;
      if (meta && meta.op !== "same" && LATITUDE_TYPES.includes(meta.type)) steps.push({ op: meta.op, name: nameOf(meta.urn) });
    },
  };
}

/** resource name → the distinct operations planned for it (sorted). */
function planOf(steps: ReadonlyArray<{ op: OpType; name: string }>): Record<string, OpType[]> {
  const plan: Record<string, OpType[]> = {};
  for (const { op, name } of steps) plan[name] = [...new Set([...(plan[name] ?? []), op])].sort();
  return plan;
}

async function resource(type: string, name: string): Promise<{ urn: string; id: string }> {
  const found = (await stateOf(stack)).resources.find((r) => r.type === T(type) && nameOf(r.urn) === name);
  if (!found?.id) throw new Error(`no ${type} ${name} in state`);
  return { urn: found.urn, id: found.id };
}

async function latitudeIds(route: string): Promise<string[]> {
  const response = await fetch(`${emulator.url}${route}`, { headers: { Authorization: SENTINEL_TOKEN } });
  return ((await response.json()) as { data: Array<{ id: string }> }).data.map((item) => item.id);
}

/** What exists in Latitude, by the kind of a state resource. */
async function existing(type: string): Promise<string[]> {
  if (type === "Server") return emulator.servers().map((s) => s.id);
  if (type === "Tag") return latitudeIds("/tags");
  if (type === "SshKey") return latitudeIds("/ssh_keys");
  if (type === "VirtualNetwork") return latitudeIds("/virtual_networks");
  return latitudeIds("/projects");
}

/** State and Latitude agree: every id in state exists, every resource of the stack is in state. */
async function expectStateMatchesLatitude(): Promise<void> {
  const state = await stateOf(stack);
  expect(state.pending).toEqual([]);
  const inState = (type: string): string[] => state.resources.filter((r) => r.type === T(type)).map((r) => r.id!).sort();
  const inv = await inventory(emulator, NAME, KEY_NAME);
  expect(inState("Server")).toEqual([...inv.servers].sort());
  expect(inState("Tag")).toEqual([...inv.tags].sort());
  expect(inState("SshKey")).toEqual([...inv.sshKeys].sort());
  expect(inState("VirtualNetwork")).toEqual([...inv.vlans].sort());
  expect(inState("Server")).toHaveLength(NODES.length);
  // every server on the stack's VLAN, and every Latitude resource carrying the stack's tag
  const [vlan] = inState("VirtualNetwork");
  const [tag] = inState("Tag");
  expect(emulator.assignments().filter((a) => inv.servers.includes(a.server)).map((a) => [a.server, a.vlan]).sort()).toEqual(inv.servers.map((s) => [s, vlan]).sort());
  for (const server of emulator.servers().filter((s) => inv.servers.includes(s.id))) expect(server.tags).toEqual([tag]);
}

describe.skipIf(missing !== undefined)("the Latitude change matrix through the real engine", () => {
  beforeAll(async () => {
    emulator = await startEmulator({ deployMs: 1000 });
    fixture = await createFixture();
    const config = latitudeOnlyConfig(NAME, NODES, { sshKeys: JSON.stringify([{ name: KEY_NAME, publicKey: PUBLIC_KEY }]), vlan: JSON.stringify({ subnet: "10.9.0.0/24" }) });
    stack = await fixture.stack(NAME, config, emulatorEnv(emulator));
    const up = await stack.up(collect(fixture));
    expect(up.summary.result).toBe("succeeded");
    await expectStateMatchesLatitude();
  });
  afterAll(async () => {
    fixture?.cleanup();
    await emulator?.close();
  });

  // A replacement is never its own predecessor: each of these adopts by name, so a create-first
  // replace found the old resource, returned its id, and the engine then deleted that id.
  const replaces = [
    { what: "a server", type: "Server", name: "cto-w1", plan: { "cto-w1": REPLACED, "cto-w1-vlan": REPLACED } },
    { what: "the stack's tag", type: "Tag", name: "cto-tag", plan: { "cto-tag": REPLACED, "cto-cp1": ["update"], "cto-w1": ["update"], "cto-vlan": ["update"], [`cto-ssh-${KEY_NAME}`]: ["update"] } },
    { what: "an SSH key", type: "SshKey", name: `cto-ssh-${KEY_NAME}`, plan: { [`cto-ssh-${KEY_NAME}`]: REPLACED } },
    { what: "the VLAN", type: "VirtualNetwork", name: "cto-vlan", plan: { "cto-vlan": REPLACED, "cto-cp1-vlan": REPLACED, "cto-w1-vlan": REPLACED } },
  ];

  it.each(replaces)("`pulumi up --replace` $what: the old one is deleted first, a new one is bought and held in state", async ({ type, name, plan }) => {
    const old = await resource(type, name);
    const preview = recorder();
    await stack.preview({ ...preview, replace: [old.urn] });
    expect(planOf(preview.steps)).toEqual(plan);

    const up = recorder();
    const result = await stack.up({ ...up, replace: [old.urn] });
    expect(result.summary.result).toBe("succeeded");
    // state holds a new one that exists; the old one is gone
    const now = await resource(type, name);
    expect(await existing(type)).toContain(now.id);
    expect(now.id).not.toBe(old.id);
    expect(await existing(type)).not.toContain(old.id);
    await expectStateMatchesLatitude();

    expect(planOf(up.steps)).toEqual(plan);
    const order = up.steps.filter((s) => s.name === name).map((s) => s.op);
    expect(order.indexOf("delete-replaced")).toBeLessThan(order.indexOf("create-replacement"));
    await stack.preview({ ...collect(fixture), expectNoChanges: true });
  });

  it("renaming the Latitude project renames it in place: same project id, slug and servers", async () => {
    const project = await resource("Project", "cto-project");
    const servers = (await stateOf(stack)).serverIds.sort();
    await stack.setConfig("cto-metal:project", { value: JSON.stringify({ name: `engine-${NAME}-renamed` }) });
    const preview = recorder();
    await stack.preview(preview);
    expect(planOf(preview.steps)).toEqual({ "cto-project": ["update"] });

    const up = recorder();
    await stack.up(up);
    expect(planOf(up.steps)).toEqual({ "cto-project": ["update"] });
    expect((await resource("Project", "cto-project")).id).toBe(project.id);
    const response = await fetch(`${emulator.url}/projects?filter[name]=engine-${NAME}-renamed`, { headers: { Authorization: SENTINEL_TOKEN } });
    const listed = ((await response.json()) as { data: Array<{ id: string; attributes: { slug: string } }> }).data;
    // Latitude keeps the slug it derived at creation
    expect(listed.map((p) => [p.id, p.attributes.slug])).toEqual([[project.id, `engine-${NAME}`]]);
    expect((await stateOf(stack)).serverIds.sort()).toEqual(servers);
    expect(emulator.servers().filter((s) => servers.includes(s.id)).map((s) => s.project)).toEqual([project.id, project.id]);
    await stack.preview({ ...collect(fixture), expectNoChanges: true });
  });

  it("destroy then leaves nothing of the stack", async () => {
    const project = await resource("Project", "cto-project");
    await stack.destroy(collect(fixture));
    expect(await inventory(emulator, NAME, KEY_NAME)).toMatchObject({ servers: [], tags: [], vlans: [], sshKeys: [] });
    expect(await latitudeIds("/projects")).not.toContain(project.id);
    expect(emulator.assignments()).toEqual([]);
  });
});
