// Tier 4: the program's lifecycle through the real engine against the emulator — preview, up,
// no-change re-runs, refresh, drift, diff semantics, refusals, destroy, and the state audit.
// Budget: 2 minutes on 2 cores (measured: about 70 s; simulated deploys take 1 s).
import type { Stack } from "@pulumi/pulumi/automation";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../../emulator";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { emulatorEnv, latitudeOnlyConfig, SENTINEL_TOKEN } from "./engineStack";
import { collect, createFixture, engineMissing, stackEnv, type EngineFixture } from "./harness";

const missing = engineMissing();
if (missing) console.warn(`\n*** ENGINE TESTS SKIPPED: ${missing} ***\n`);

let fixture: EngineFixture;
let emulator: Emulator;

const writes = () => emulator.requests.filter((r) => r.method !== "GET");
const stackServers = (stack: string) => emulator.servers().filter((s) => s.hostname.includes(`-${stack}-`));

describe.skipIf(missing !== undefined)("the program through the real engine", () => {
  beforeAll(async () => {
    emulator = await startEmulator({ deployMs: 1000 });
    fixture = await createFixture();
  });
  afterAll(async () => {
    fixture?.cleanup();
    await emulator?.close();
  });

  describe("a two-node stack", () => {
    const name = "two";
    const nodes = [
      { name: "cp1", role: "controlplane" },
      { name: "worker1", role: "worker" },
    ];
    let stack: Stack;

    beforeAll(async () => {
      stack = await fixture.stack(name, latitudeOnlyConfig(name, nodes), emulatorEnv(emulator));
    });

    it("previews a fresh stack without a single write to Latitude", async () => {
      emulator.clearLog();
      const preview = await stack.preview(collect(fixture));
      expect(preview.changeSummary).toMatchObject({ create: 7 });
      expect(emulator.requests.length).toBeGreaterThan(0);
      expect(writes()).toEqual([]);
    });

    it("comes up: servers deploy concurrently and the outputs are set", async () => {
      emulator.clearLog();
      const up = await stack.up(collect(fixture));
      expect(up.summary.result).toBe("succeeded");
      const outNodes = up.outputs["nodes"]?.value as Array<{ name: string; role: string; publicIp: string; serverId: string }>;
      expect(outNodes.map((n) => [n.name, n.role])).toEqual([
        ["cp1", "controlplane"],
        ["worker1", "worker"],
      ]);
      expect(outNodes.every((n) => /^127\./.test(n.publicIp) && /^sv_/.test(n.serverId))).toBe(true);
      expect(up.outputs["costPerHourUsd"]?.value).toBe(0.4);
      const posts = emulator.requests.filter((r) => r.method === "POST" && r.path === "/servers").map((r) => r.startedAt);
      expect(posts).toHaveLength(2);
      // the second server was bought before the first finished its 1 s deploy
      expect(Math.max(...posts) - Math.min(...posts)).toBeLessThan(1000);
      expect(stackServers(name)).toHaveLength(2);
    });

    it("changes nothing on a second preview, a second up and a refresh", async () => {
      await stack.preview({ ...collect(fixture), expectNoChanges: true });
      emulator.clearLog();
      const again = await stack.up({ ...collect(fixture), expectNoChanges: true });
      expect(again.summary.resourceChanges).toEqual({ same: 7 });
      expect(writes()).toEqual([]);
      await stack.refresh({ ...collect(fixture), expectNoChanges: true });
    });

    it("notices a server deleted behind its back, and brings it back", async () => {
      const worker = stackServers(name).find((s) => s.hostname.endsWith("-worker1"));
      emulator.deleteServerOutOfBand(worker!.id);
      const refresh = await stack.refresh(collect(fixture));
      expect(refresh.summary.resourceChanges).toMatchObject({ delete: 1 });
      const up = await stack.up(collect(fixture));
      expect(up.summary.resourceChanges).toMatchObject({ create: 1 });
      expect(stackServers(name).map((s) => s.hostname).sort()).toEqual([`cto-cto-metal-${name}-cp1`, `cto-cto-metal-${name}-worker1`]);
    });

    it("updates hostnames in place", async () => {
      await stack.setConfig("cto-metal:hostnamePrefix", { value: "edge" });
      const before = stackServers(name).map((s) => s.id).sort();
      const up = await stack.up(collect(fixture));
      expect(up.summary.resourceChanges).toMatchObject({ update: 2 });
      // the same servers, renamed: nothing bought, nothing reinstalled
      expect(stackServers(name).map((s) => s.id).sort()).toEqual(before);
      expect(stackServers(name).map((s) => s.hostname).sort()).toEqual([`edge-cto-metal-${name}-cp1`, `edge-cto-metal-${name}-worker1`]);
    });

    it("replaces a worker whose plan changes", async () => {
      const preview = await stack.preview({ ...collect(fixture), diff: true });
      expect(preview.changeSummary).toEqual({ same: 7 });
      await stack.setConfig("cto-metal:nodes", { value: JSON.stringify([nodes[0], { ...nodes[1], plan: "c2-medium-x86" }]) });
      const replace = await stack.preview(collect(fixture));
      expect(replace.changeSummary).toMatchObject({ replace: 1 });
      await stack.setConfig("cto-metal:nodes", { value: JSON.stringify(nodes) });
    });

    it("refuses an OS change without allowReinstall and a role change, naming the node", async () => {
      await stack.setConfig("cto-metal:operatingSystem", { value: "ubuntu_24_04_x64_lts" });
      await expect(stack.preview(collect(fixture))).rejects.toThrow(/changing the operating system ipxe → ubuntu_24_04_x64_lts reinstalls the server and wipes its disks; set cto-metal:allowReinstall to true/);
      await stack.removeConfig("cto-metal:operatingSystem");
      // Two control planes need the even-count opt-in; the provider's refusal is what is tested.
      await stack.setConfig("cto-metal:allowEvenControlPlanes", { value: "true" });
      await stack.setConfig("cto-metal:nodes", {
        value: JSON.stringify([
          { name: "cp1", role: "controlplane" },
          { name: "worker1", role: "controlplane" },
        ]),
      });
      await expect(stack.preview(collect(fixture))).rejects.toThrow(/node worker1 \(edge-cto-metal-two-worker1\): its role is fixed once created \(worker → controlplane\)/);
      await stack.setConfig("cto-metal:nodes", { value: JSON.stringify(nodes) });
      await stack.removeConfig("cto-metal:allowEvenControlPlanes");
    });

    it("keeps the token out of state and logs, and records the graph's dependencies", async () => {
      // At rest (the backend's file) and as `pulumi stack export` prints it: never in plain text.
      const atRest = fs.readFileSync(path.join(fixture.backendDir, ".pulumi", "stacks", "cto-metal", `${name}.json`), "utf8");
      const printed = execFileSync(fixture.command.command, ["stack", "export", "--stack", name], {
        cwd: fixture.workDir,
        env: { ...process.env, ...stackEnv(fixture) },
        encoding: "utf8",
      });
      for (const text of [atRest, printed, fixture.log.join("\n")]) expect(text).not.toContain(SENTINEL_TOKEN);
      // the engine hands stack config to the dynamic providers: the token is there, as a secret
      const state = JSON.parse(atRest) as { checkpoint: { latest: { resources: Array<{ type: string; inputs?: Record<string, unknown> }> } } };
      const nodejsProvider = state.checkpoint.latest.resources.find((r) => r.type === "pulumi:providers:pulumi-nodejs");
      const token = nodejsProvider?.inputs?.["latitudesh:authToken"] as Record<string, unknown> | undefined;
      expect(token?.["4dabf18193072939515e22adb298388d"]).toBe("1b47061264138c4ac30d75fd1eb44270");
      expect(typeof token?.["ciphertext"]).toBe("string");
      const exported = await stack.exportStack();
      const resources = (exported.deployment as { resources: Array<{ urn: string; type: string; dependencies?: string[]; propertyDependencies?: Record<string, string[]> }> }).resources;
      const server = resources.find((r) => r.type === "pulumi-nodejs:dynamic/latitude:Server");
      const project = resources.find((r) => r.type === "pulumi-nodejs:dynamic/latitude:Project");
      const tag = resources.find((r) => r.type === "pulumi-nodejs:dynamic/latitude:Tag");
      expect(server?.dependencies).toEqual(expect.arrayContaining([project?.urn, tag?.urn]));
      expect(server?.propertyDependencies?.["projectId"]).toEqual([project?.urn]);
    });

    it("destroys everything it owns", async () => {
      const destroy = await stack.destroy(collect(fixture));
      expect(destroy.summary.result).toBe("succeeded");
      const exported = await stack.exportStack();
      expect((exported.deployment as { resources?: unknown[] }).resources ?? []).toEqual([]);
      expect(emulator.servers().filter((s) => s.hostname.includes(`-${name}-`))).toEqual([]);
      const tags = await (await fetch(`${emulator.url}/tags`, { headers: { Authorization: SENTINEL_TOKEN } })).json();
      expect(JSON.stringify(tags)).not.toContain(`cto-metal-${name}`);
      const projects = await (await fetch(`${emulator.url}/projects?filter[name]=engine-${name}`, { headers: { Authorization: SENTINEL_TOKEN } })).json();
      expect((projects as { data: unknown[] }).data).toEqual([]);
    });
  });

  describe("a five-node stack with a VLAN and an SSH key", () => {
    const name = "five";
    const key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMjzxQF9/eg8xULmugd0ro+pShpmJoQNmiiEkBOOlC+Y ops@cto";
    let stack: Stack;

    beforeAll(async () => {
      const nodes = ["n1", "n2", "n3", "n4", "n5"].map((n) => ({ name: n }));
      stack = await fixture.stack(name, latitudeOnlyConfig(name, nodes, { sshKeys: JSON.stringify([{ name: "ops", publicKey: key }]), vlan: JSON.stringify({ subnet: "10.8.0.0/24" }) }), emulatorEnv(emulator));
    });

    it("comes up with five servers deployed concurrently, each on the VLAN", async () => {
      emulator.clearLog();
      const up = await stack.up(collect(fixture));
      expect(up.summary.result).toBe("succeeded");
      const outNodes = up.outputs["nodes"]?.value as Array<{ role: string; privateIp: string }>;
      expect(outNodes.map((n) => n.role)).toEqual(["controlplane", "controlplane", "controlplane", "worker", "worker"]);
      expect(new Set(outNodes.map((n) => n.privateIp)).size).toBe(5);
      const posts = emulator.requests.filter((r) => r.method === "POST" && r.path === "/servers").map((r) => r.startedAt);
      expect(posts).toHaveLength(5);
      expect(Math.max(...posts) - Math.min(...posts)).toBeLessThan(1000);
      expect(stackServers(name)).toHaveLength(5);
      expect(emulator.assignments().filter((a) => stackServers(name).some((s) => s.id === a.server))).toHaveLength(5);
      await stack.preview({ ...collect(fixture), expectNoChanges: true });
    });

    it("destroys servers, assignments, VLAN, key, tag and project", async () => {
      await stack.destroy(collect(fixture));
      expect(stackServers(name)).toEqual([]);
      const get = async (route: string) => JSON.stringify(await (await fetch(`${emulator.url}${route}`, { headers: { Authorization: SENTINEL_TOKEN } })).json());
      expect(emulator.assignments()).toEqual([]);
      expect(await get("/virtual_networks")).not.toContain(`cto-metal-${name}`);
      expect(await get("/ssh_keys")).not.toContain('"name":"ops"');
      expect(await get("/tags")).not.toContain(`cto-metal-${name}`);
      expect(await get(`/projects?filter[name]=engine-${name}`)).toBe('{"data":[],"meta":{}}');
    });
  });
});
