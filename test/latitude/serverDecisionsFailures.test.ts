// The pure decisions behind issue 13's defects 3 and 4: what a failed deploy means for a worker
// and for a control plane, what a refresh records, and which outputs make the next up wait.
import { describe, expect, it } from "vitest";
import {
  deployFailureAfterRead,
  diffServer,
  failedControlPlaneRefusal,
  inputsAfterRead,
  keepsFailedControlPlane,
  nextUpAfterFailure,
  refusedAfterRefresh,
  tagsAsSeen,
} from "../../providers/latitude/serverDecisions";
import type { ServerInputs, ServerOutputs } from "../../providers/latitude/serverTypes";

const worker: ServerInputs = {
  providerVersion: "1",
  projectId: "proj_AAAAAAAAAAAAA",
  nodeName: "w1",
  hostname: "cto-cto-metal-dev-w1",
  role: "worker",
  plan: "c2-small-x86",
  site: "MIA2",
  billing: "hourly",
  operatingSystem: "ipxe",
  ipxeUrl: "https://pxe.factory.talos.dev/pxe/abc/v1.11.5/metal-amd64",
  sshKeyIds: [],
  tagIds: ["tag_A"],
  stackTag: "cto-metal-dev",
  stackIdentity: "0123456789abcdef",
  hourlyPrice: 0.5,
  allowReinstall: false,
  allowReplace: false,
  talosPort: 50000,
  deployTimeoutSeconds: 1800,
};
const controlPlane: ServerInputs = { ...worker, nodeName: "cp1", hostname: "cto-cto-metal-dev-cp1", role: "controlplane" };
const FAILED = "Latitude reports status failed_deployment";

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

describe("a failed deploy", () => {
  it.each<[string, ServerInputs, { replaces: string[]; deleteBeforeReplace: boolean }]>([
    ["a worker is replaced, deleted first", worker, { replaces: ["deployFailure"], deleteBeforeReplace: true }],
    ["a control plane with allowReplace is replaced, deleted first", { ...controlPlane, allowReplace: true }, { replaces: ["deployFailure"], deleteBeforeReplace: true }],
    ["a control plane without allowReplace is only updated (the update looks again)", controlPlane, { replaces: [], deleteBeforeReplace: false }],
  ])("%s", (_case, news, expected) => {
    const change = diffServer(stored(news, { deployFailure: FAILED, status: "failed_deployment" }), news);
    expect({ replaces: change.replaces, deleteBeforeReplace: change.deleteBeforeReplace, changes: change.changes }).toEqual({ ...expected, changes: true });
  });

  it("keeps only a control plane whose node does not allow a replace", () => {
    expect(keepsFailedControlPlane(controlPlane, FAILED)).toBe(true);
    expect(keepsFailedControlPlane({ ...controlPlane, allowReplace: true }, FAILED)).toBe(false);
    expect(keepsFailedControlPlane(worker, FAILED)).toBe(false);
    expect(keepsFailedControlPlane(controlPlane, null)).toBe(false);
  });

  it("is refused at check once a refresh has put it into the inputs, naming the node and allowReplace", () => {
    expect(refusedAfterRefresh({ ...controlPlane, deployFailure: FAILED }, controlPlane)).toEqual([failedControlPlaneRefusal("node cp1 (cto-cto-metal-dev-cp1)", FAILED)]);
    expect(failedControlPlaneRefusal("node cp1 (cto-cto-metal-dev-cp1)", FAILED)).toBe(
      'node cp1 (cto-cto-metal-dev-cp1): its deploy failed (Latitude reports status failed_deployment), and replacing this control plane deletes it first and buys a new one; name it explicitly with "allowReplace": true in its cto-metal:nodes entry to replace it, or, once Latitude reports the server on again, run `pulumi refresh` to clear the failure',
    );
    expect(refusedAfterRefresh({ ...controlPlane, deployFailure: FAILED }, { ...controlPlane, allowReplace: true })).toEqual([]);
    expect(refusedAfterRefresh({ ...worker, deployFailure: FAILED }, worker)).toEqual([]);
    expect(refusedAfterRefresh(controlPlane, controlPlane)).toEqual([]);
  });

  it.each<[string, ServerInputs, boolean, string]>([
    ["a worker's failed deploy", worker, true, "the next `pulumi up` replaces it"],
    ["a control plane's failed deploy", controlPlane, true, 'the next `pulumi up` replaces it only once its node has "allowReplace": true (and continues with it if Latitude reports it on again)'],
    ["an allowed control plane's failed deploy", { ...controlPlane, allowReplace: true }, true, "the next `pulumi up` replaces it"],
    ["any other failure", controlPlane, false, "the next `pulumi up` continues with it"],
  ])("after %s, the error says what the next up does", (_case, inputs, failedDeploy, text) => {
    expect(nextUpAfterFailure(inputs, failedDeploy)).toBe(text);
  });
});

describe("what a refresh records", () => {
  it.each<[string, string | null, string, boolean, string | null]>([
    ["a failed_* status sets the failure", null, "failed_deployment", false, FAILED],
    ["a failed_* status replaces an older failure", "deploy timed out after 1800 s", "failed_disk_erasing", false, "Latitude reports status failed_disk_erasing"],
    ["a healthy server clears it", FAILED, "on", true, null],
    ["anything else keeps it", FAILED, "deploying", false, FAILED],
    ["no failure stays none", null, "on", true, null],
  ])("%s", (_case, recorded, status, healthy, expected) => {
    expect(deployFailureAfterRead(recorded, status, healthy)).toBe(expected);
  });

  it("puts the failure into the inputs: the stored outputs without what only Latitude reports", () => {
    const outputs = { ...stored(controlPlane, { deployFailure: FAILED, ready: false }), __provider: "code" } as ServerOutputs;
    expect(inputsAfterRead(outputs, FAILED)).toEqual({ ...controlPlane, deployFailure: FAILED });
    expect(inputsAfterRead(outputs, null)).toEqual(controlPlane);
  });

  it("keeps the recorded tag order while the set is the same, else takes what Latitude shows", () => {
    expect(tagsAsSeen(["tag_A", "tag_B"], ["tag_B", "tag_A"])).toEqual(["tag_A", "tag_B"]);
    expect(tagsAsSeen(["tag_A"], [])).toEqual([]);
    expect(tagsAsSeen(["tag_A"], undefined)).toEqual(["tag_A"]);
  });
});

describe("a server not ready yet", () => {
  it("plans an update (which waits), even when nothing else changed", () => {
    expect(diffServer(stored(worker, { ready: false, status: "deploying" }), worker)).toMatchObject({ changes: true, replaces: [], patch: [], reinstall: false });
  });

  it("a state written before `ready` existed counts as ready", () => {
    expect(diffServer(stored(worker), worker).changes).toBe(false);
  });
});

describe("keptHostname", () => {
  it("keeps the name of a server made before hostnames carried the Pulumi project, and follows any other change", async () => {
    const { keptHostname } = await import("../../providers/latitude/serverDecisions");
    const news = { hostname: "cto-cto-metal-cto-test-worker1", stackTag: "cto-metal-cto-test" };
    expect(keptHostname({ hostname: "cto-cto-test-worker1" }, news)).toBe("cto-cto-test-worker1");
    expect(keptHostname(undefined, news)).toBe("cto-cto-metal-cto-test-worker1");
    // a hostnamePrefix change still renames
    expect(keptHostname({ hostname: "lab-cto-test-worker1" }, news)).toBe("cto-cto-metal-cto-test-worker1");
    expect(keptHostname({ hostname: "cto-cto-metal-cto-test-worker1" }, news)).toBe("cto-cto-metal-cto-test-worker1");
  });
});
