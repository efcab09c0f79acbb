// The full diff matrix of a Latitude server: each input → replace, update, refused or ignored.
import { describe, expect, it } from "vitest";
import { diffServer, refusedChanges, UNKNOWN } from "../../providers/latitude/serverDecisions";
import type { ServerInputs, ServerOutputs } from "../../providers/latitude/serverTypes";

const talosWorker: ServerInputs = {
  providerVersion: "1",
  projectId: "proj_AAAAAAAAAAAAA",
  nodeName: "worker1",
  hostname: "cto-cto-test-worker1",
  role: "worker",
  plan: "c2-small-x86",
  site: "MIA2",
  billing: "hourly",
  operatingSystem: "ipxe",
  ipxeUrl: "https://pxe.factory.talos.dev/pxe/abc/v1.11.5/metal-amd64",
  sshKeyIds: ["ssh_A"],
  tagIds: ["tag_A"],
  stackTag: "cto-metal-cto-test",
  stackIdentity: "0123456789abcdef",
  hourlyPrice: 0.5,
  allowReinstall: false,
  allowReplace: false,
  talosPort: 50000,
  deployTimeoutSeconds: 1800,
};
const ubuntuWorker: ServerInputs = { ...talosWorker, operatingSystem: "ubuntu_24_04_x64_lts", ipxeUrl: undefined };
const controlPlane: ServerInputs = { ...talosWorker, nodeName: "cp1", hostname: "cto-cto-test-cp1", role: "controlplane" };

const stored = (inputs: ServerInputs, extra: Partial<ServerOutputs> = {}): ServerOutputs => ({
  ...inputs,
  serverId: "sv_1",
  primaryIpv4: "127.0.0.2",
  primaryIpv6: null,
  status: "on",
  publicMac: null,
  privateMac: null,
  deployFailure: null,
  ...extra,
});

function decide(olds: ServerInputs, change: Partial<ServerInputs>) {
  const news = { ...olds, ...change };
  const diff = diffServer(stored(olds), news);
  return { refused: refusedChanges(olds, news), replaces: diff.replaces, patch: diff.patch, reinstall: diff.reinstall, changes: diff.changes };
}

describe("server diff matrix", () => {
  it.each<[string, Partial<ServerInputs>, string[]]>([
    ["plan", { plan: "c3-small-x86" }, ["plan"]],
    ["site", { site: "ASH" }, ["site"]],
  ])("%s replaces a worker", (_field, change, replaces) => {
    expect(decide(talosWorker, change)).toEqual({ refused: [], replaces, patch: [], reinstall: false, changes: true });
  });

  it.each<[string, Partial<ServerInputs>, string[]]>([
    ["hostname", { hostname: "cto-cto-test-w1" }, ["hostname"]],
    ["billing upgrade", { billing: "monthly" }, ["billing"]],
    ["tags", { tagIds: ["tag_A", "tag_B"] }, ["tagIds"]],
    ["project move", { projectId: "proj_BBBBBBBBBBBBB" }, ["projectId"]],
  ])("%s updates in place", (_field, change, patch) => {
    expect(decide(talosWorker, change)).toEqual({ refused: [], replaces: [], patch, reinstall: false, changes: true });
  });

  it.each<[string, Partial<ServerInputs>]>([
    ["iPXE URL", { ipxeUrl: "https://pxe.factory.talos.dev/pxe/abc/v1.12.0/metal-amd64" }],
    ["SSH keys", { sshKeyIds: ["ssh_B"] }],
    ["tag order", { tagIds: ["tag_A"] }],
  ])("%s of a Talos server is ignored (create-only)", (_field, change) => {
    expect(decide(talosWorker, change)).toEqual({ refused: [], replaces: [], patch: [], reinstall: false, changes: false });
  });

  it.each<[string, Partial<ServerInputs>]>([
    ["price", { hourlyPrice: 0.6 }],
    ["provider version", { providerVersion: "2" }],
    ["deploy timeout", { deployTimeoutSeconds: 600 }],
    ["allowReinstall", { allowReinstall: true }],
  ])("%s is stored without an API call", (_field, change) => {
    expect(decide(talosWorker, change)).toEqual({ refused: [], replaces: [], patch: [], reinstall: false, changes: true });
  });

  it("refuses a billing downgrade", () => {
    const monthly = { ...talosWorker, billing: "monthly" as const };
    expect(decide(monthly, { billing: "hourly" }).refused).toEqual([
      "node worker1 (cto-cto-test-worker1): Latitude billing can only be upgraded (hourly → monthly → yearly), not changed from monthly to hourly",
    ]);
  });

  it("refuses a role change", () => {
    expect(decide(talosWorker, { role: "controlplane" }).refused).toEqual([
      'node worker1 (cto-cto-test-worker1): its role is fixed once created (worker → controlplane); give it "role": "worker" in cto-metal:nodes, or add a new node instead',
    ]);
  });

  it("refuses to replace a control plane unless the config names it", () => {
    expect(decide(controlPlane, { plan: "c3-small-x86" }).refused).toEqual([
      'node cp1 (cto-cto-test-cp1): changing plan replaces this control plane; name it explicitly with "allowReplace": true in its cto-metal:nodes entry to proceed',
    ]);
    expect(decide(controlPlane, { plan: "c3-small-x86", allowReplace: true })).toMatchObject({ refused: [], replaces: ["plan"] });
  });

  it("refuses an OS or SSH key change on an OS server without allowReinstall, and reinstalls with it", () => {
    expect(decide(ubuntuWorker, { sshKeyIds: ["ssh_B"] }).refused).toEqual([
      "node worker1 (cto-cto-test-worker1): changing the SSH keys reinstalls the server and wipes its disks; set cto-metal:allowReinstall to true to proceed",
    ]);
    expect(decide(ubuntuWorker, { operatingSystem: "debian_12" }).refused).toEqual([
      "node worker1 (cto-cto-test-worker1): changing the operating system ubuntu_24_04_x64_lts → debian_12 reinstalls the server and wipes its disks; set cto-metal:allowReinstall to true to proceed",
    ]);
    expect(decide(ubuntuWorker, { sshKeyIds: ["ssh_B"], allowReinstall: true })).toEqual({ refused: [], replaces: [], patch: [], reinstall: true, changes: true });
  });

  it("needs a control plane named explicitly even with allowReinstall", () => {
    const cpUbuntu = { ...ubuntuWorker, nodeName: "cp1", hostname: "cto-cto-test-cp1", role: "controlplane" as const };
    expect(decide(cpUbuntu, { operatingSystem: "ipxe", ipxeUrl: talosWorker.ipxeUrl, allowReinstall: true }).refused).toEqual([
      'node cp1 (cto-cto-test-cp1): changing the operating system ubuntu_24_04_x64_lts → ipxe reinstalls this control plane; name it explicitly with "allowReplace": true in its cto-metal:nodes entry to proceed',
    ]);
  });

  it("replaces a server whose deploy failed, deleting it first", () => {
    expect(diffServer(stored(talosWorker, { deployFailure: "deploy failed", status: "failed_deployment" }), talosWorker)).toEqual({
      replaces: ["deployFailure"],
      deleteBeforeReplace: true,
      patch: [],
      reinstall: false,
      changes: true,
    });
  });

  it("reports no change for identical inputs", () => {
    expect(decide(talosWorker, {})).toEqual({ refused: [], replaces: [], patch: [], reinstall: false, changes: false });
    expect(decide(ubuntuWorker, { sshKeyIds: ["ssh_A"] })).toMatchObject({ changes: false, reinstall: false });
  });

  it("treats values unknown at preview as changed: new SSH key ids mean a reinstall", () => {
    const atPreview = { ...ubuntuWorker, projectId: UNKNOWN, sshKeyIds: UNKNOWN as unknown as string[] };
    expect(refusedChanges(ubuntuWorker, atPreview)).toHaveLength(1);
    expect(refusedChanges(ubuntuWorker, { ...atPreview, allowReinstall: true })).toEqual([]);
    expect(diffServer(stored(ubuntuWorker), atPreview)).toMatchObject({ changes: true, reinstall: true, patch: ["projectId"] });
  });
});
