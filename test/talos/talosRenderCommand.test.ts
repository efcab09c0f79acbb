// `npm run talos:render` as a user runs it: the JSON it prints, the files it writes, and its errors.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { TalosRender } from "../../components/talos/talosRender";

const REPO = join(__dirname, "..", "..");
const render = (...args: string[]) => spawnSync("npm", ["run", "-s", "talos:render", "--", ...args], { cwd: REPO, encoding: "utf8", timeout: 60_000 });

describe("npm run talos:render", () => {
  it("prints the cluster inputs and each node's patches for a stack file, with the documented stand-ins", () => {
    const run = render("Pulumi.cto-test.yaml", "--drives", "NVME,NVME", "--public-ip", "cp1=198.51.100.20");
    expect(run.status).toBe(0);
    const out = JSON.parse(run.stdout) as TalosRender;
    expect(Object.keys(out)).toStrictEqual(["clusterName", "endpoint", "talosVersion", "kubernetesVersion", "nodes"]);
    expect(out).toMatchObject({ clusterName: "cto", endpoint: "https://198.51.100.20:6443", talosVersion: "v1.13.0" });
    expect(out.nodes.map((node) => [node.name, node.role])).toStrictEqual([["cp1", "controlplane"], ["worker1", "worker"]]);
    const patches = out.nodes[1]!.patches.map((patch) => JSON.parse(patch) as Record<string, unknown>);
    expect(patches[0]).toMatchObject({ machine: { install: { disk: "/dev/nvme0n1" } } });
    expect(patches).toContainEqual({ apiVersion: "v1alpha1", kind: "HostnameConfig", auto: "off", hostname: "cto-cto-metal-cto-test-worker1" });
    expect(patches.at(-1)).toStrictEqual({ machine: { nodeLabels: { "cto-metal.io/latitude-server-id": "sv_worker1" } } });
  });

  it("writes one file per node with --out, each in the same format", () => {
    const dir = mkdtempSync(join(tmpdir(), "talos-render-"));
    const run = render("Pulumi.trial.yaml", "--out", dir);
    expect(run.status).toBe(0);
    expect(run.stderr).toContain("stack trial stops after the servers");
    expect(readdirSync(dir).sort()).toStrictEqual(["cp1.json", "worker1.json"]);
    const one = JSON.parse(readFileSync(join(dir, "cp1.json"), "utf8")) as TalosRender;
    expect(one.nodes.map((node) => node.name)).toStrictEqual(["cp1"]);
  });

  it("says why a stack renders nothing, and refuses bad facts naming the flag", () => {
    const dev = render("Pulumi.dev.yaml");
    expect(dev.status).toBe(0);
    expect(dev.stdout).toBe("");
    expect(dev.stderr).toContain("stack dev takes its cluster from a kubeconfig");
    const bad = render("Pulumi.cto-test.yaml", "--interfaces", "bonded");
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('talos:render: --interfaces: expected one of absent, empty, specExample, got "bonded"');
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });
});
