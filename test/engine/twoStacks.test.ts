// Tier 4: two stacks that share a stack name on one Latitude team, through the real engine. Both
// adopt the same Latitude project ({"slug": ...}), where names are all there is to tell servers
// apart: a `dev` stack of a second Pulumi project must keep its own servers, and a `dev` stack of
// the same project in a second backend must refuse to start rather than take the first one's. A
// destroy of either leaves the other's servers running.
import * as fs from "node:fs";
import * as path from "node:path";
import { LocalWorkspace, type ConfigMap, type Stack } from "@pulumi/pulumi/automation";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../../emulator";
import { apiClient } from "../emulator/testing";
import { emulatorEnv, latitudeOnlyConfig, SENTINEL_TOKEN, stateOf } from "./engineStack";
import { collect, createFixture, engineMissing, stackEnv, type EngineFixture } from "./harness";

const missing = engineMissing();
if (missing) console.warn(`\n*** ENGINE TESTS SKIPPED (two stacks): ${missing} ***\n`);

const STACK = "dev";
const SHARED = "engine-shared";
const OTHER_PROJECT = "other-metal";
const NODES = [{ name: "cp1", role: "controlplane" }, { name: "w1", role: "worker" }];

let fixture: EngineFixture;
let emulator: Emulator;

/** The same stack config under another Pulumi project's namespace. */
function inNamespace(config: ConfigMap, project: string): ConfigMap {
  return Object.fromEntries(Object.entries(config).map(([key, value]) => [key.replace(/^cto-metal:/, `${project}:`), value]));
}

/** A work dir for the same program under another Pulumi project name, sharing the compiled code. */
function otherProjectDir(project: string): string {
  const dir = path.join(path.dirname(fixture.workDir), project);
  fs.mkdirSync(dir, { recursive: true });
  const yaml = fs.readFileSync(path.join(fixture.workDir, "Pulumi.yaml"), "utf8").replace(/^name: cto-metal$/m, `name: ${project}`);
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), yaml);
  fs.copyFileSync(path.join(fixture.workDir, "package.json"), path.join(dir, "package.json"));
  for (const link of ["bin", "node_modules"]) fs.symlinkSync(fs.realpathSync(path.join(fixture.workDir, link)), path.join(dir, link), "dir");
  return dir;
}

async function openStack(workDir: string, backendDir: string, config: ConfigMap): Promise<Stack> {
  const stack = await LocalWorkspace.createOrSelectStack(
    { stackName: STACK, workDir },
    { pulumiCommand: fixture.command, pulumiHome: fixture.home, envVars: { ...stackEnv({ backendDir, home: fixture.home }), ...emulatorEnv(emulator) } },
  );
  await stack.setAllConfig(config);
  return stack;
}

const sharedConfig = (): ConfigMap => {
  const config = latitudeOnlyConfig(STACK, NODES);
  config["cto-metal:project"] = { value: JSON.stringify({ slug: SHARED }) };
  return config;
};

/** The `data` of a list answer. */
async function listed<T>(route: string): Promise<T[]> {
  const body = (await apiClient(emulator.url, SENTINEL_TOKEN).get(route)).body as { data: T[] };
  return body.data;
}

/** Latitude servers in the shared project, by id → the names of the tags they carry. */
async function sharedServers(): Promise<Map<string, string[]>> {
  const servers = await listed<{ id: string; attributes: { tags: Array<{ name: string }> } }>(`/servers?filter[project]=${SHARED}&page[size]=100`);
  return new Map(servers.map((s) => [s.id, s.attributes.tags.map((t) => t.name)]));
}

describe.skipIf(missing !== undefined)("two stacks named dev on one Latitude team", () => {
  let first: Stack;
  let firstServers: string[];

  beforeAll(async () => {
    emulator = await startEmulator({ deployMs: 500 });
    fixture = await createFixture();
    const created = await apiClient(emulator.url, SENTINEL_TOKEN).post("/projects", { data: { type: "projects", attributes: { name: SHARED, provisioning_type: "on_demand" } } });
    expect(created.status).toBe(201);
    first = await fixture.stack(STACK, sharedConfig(), emulatorEnv(emulator));
    const up = await first.up(collect(fixture));
    expect(up.summary.result).toBe("succeeded");
    firstServers = (await stateOf(first)).serverIds.sort();
    expect(firstServers).toHaveLength(2);
  });
  afterAll(async () => {
    fixture?.cleanup();
    await emulator?.close();
  });

  it("a dev stack of another Pulumi project buys its own servers and leaves the first stack's alone", async () => {
    const second = await openStack(otherProjectDir(OTHER_PROJECT), fixture.backendDir, inNamespace(sharedConfig(), OTHER_PROJECT));
    const up = await second.up(collect(fixture));
    expect(up.summary.result).toBe("succeeded");
    const secondServers = (await stateOf(second)).serverIds.sort();
    expect(secondServers).toHaveLength(2);
    expect(secondServers.filter((id) => firstServers.includes(id))).toEqual([]);
    const servers = await sharedServers();
    expect([...servers.keys()].sort()).toEqual([...firstServers, ...secondServers].sort());
    for (const id of firstServers) expect(servers.get(id)).toEqual([`cto-metal-${STACK}`]);
    for (const id of secondServers) expect(servers.get(id)).toEqual([`${OTHER_PROJECT}-${STACK}`]);
    // the Pulumi project is in the hostname: a person can tell the two apart too
    const hostnames = emulator.servers().filter((s) => secondServers.includes(s.id)).map((s) => s.hostname).sort();
    expect(hostnames).toEqual([`cto-${OTHER_PROJECT}-${STACK}-cp1`, `cto-${OTHER_PROJECT}-${STACK}-w1`]);

    await second.destroy(collect(fixture));
    expect([...(await sharedServers()).keys()].sort()).toEqual(firstServers);
    await first.preview({ ...collect(fixture), expectNoChanges: true });
  });

  it("the same project and stack in a second backend refuses to start, naming the first stack's tag; the first keeps everything", async () => {
    const backendDir = path.join(path.dirname(fixture.backendDir), "state-twin");
    fs.mkdirSync(backendDir, { recursive: true });
    const twin = await openStack(fixture.workDir, backendDir, sharedConfig());
    emulator.clearLog();
    await expect(twin.up(collect(fixture))).rejects.toThrow(/Latitude tag "cto-metal-dev" \(tag_\w+\) belongs to another Pulumi stack \(stack identity [0-9a-f]{16}\)/);
    expect(emulator.requests.filter((r) => r.method === "POST" && r.path === "/servers")).toEqual([]);
    expect(emulator.requests.filter((r) => r.method === "PATCH" && r.path.startsWith("/servers/"))).toEqual([]);
    await twin.destroy(collect(fixture));
    expect([...(await sharedServers()).keys()].sort()).toEqual(firstServers);
    await first.preview({ ...collect(fixture), expectNoChanges: true });
  });

  it("the first stack's destroy leaves the shared project, and nothing of either stack in it", async () => {
    await first.destroy(collect(fixture));
    expect(await sharedServers()).toEqual(new Map());
    const tags = await listed<{ attributes: { name: string } }>("/tags");
    expect(tags.map((t) => t.attributes.name).filter((n) => n.endsWith(`-${STACK}`))).toEqual([]);
    const projects = await listed<unknown>(`/projects?filter[slug]=${SHARED}`);
    expect(projects).toHaveLength(1);
  });
});
