// Tier 1: the stack configuration, pure: valid configurations, every invalid one with its exact
// message, and the helpers. The committed stack files and loadConfig: config.stackFiles.test.ts.
import { describe, expect, it } from "vitest";
import { parseIpv4Cidr } from "../config/cidr";
import { isLatitudeHostname } from "../config/hostname";
import { show } from "../config/issues";
import { ConfigError, nodeHostname, parseConfig } from "../config/schema";
import { isOpenSshPublicKey } from "../config/sshKey";
import { CTO_TEST, DEFAULT_APPS, DEFAULT_PLATFORM, latitudeOf } from "./fixtures/expectedConfigs";
import { ECDSA_KEY, ED25519_KEY, INVALID_CONFIGS, VALID_RAW } from "./fixtures/invalidConfigs";


describe("parseConfig: valid configurations", () => {
  it("parses the cto-test values as Pulumi hands them over (JSON text)", () => {
    expect(parseConfig({ ...VALID_RAW }, { stack: "cto-test" })).toStrictEqual(CTO_TEST);
  });

  it("accepts already-parsed values", () => {
    const raw = {
      ...VALID_RAW,
      project: { name: "cto-test", environment: "Development", provisioningType: "on_demand" },
      nodes: [
        { name: "cp1", role: "controlplane" },
        { name: "worker1", role: "worker" },
      ],
      allowReinstall: false,
    };
    expect(parseConfig(raw, { stack: "cto-test" })).toStrictEqual(CTO_TEST);
  });

  it("applies defaults, upper-cases the site and defaults node plans", () => {
    const config = parseConfig(
      {
        project: '{"slug":"my-project"}',
        site: "mia2",
        plan: "c3-small-x86",
        nodes: '[{"name":"a"},{"name":"b","plan":"c3-large-x86"}]',
      },
      { stack: "qa" },
    );
    expect(config).toStrictEqual({
      stack: "qa",
      profile: "standard",
      platform: DEFAULT_PLATFORM,
      clusterSource: "latitude",
      latitude: {
        project: { kind: "adopt", slug: "my-project" },
        site: "MIA2",
        plan: "c3-small-x86",
        billing: "hourly",
        nodes: [
          { name: "a", plan: "c3-small-x86", hostname: "cto-cto-metal-qa-a", allowReplace: false },
          { name: "b", plan: "c3-large-x86", hostname: "cto-cto-metal-qa-b", allowReplace: false },
        ],
        hostnamePrefix: "cto",
        operatingSystem: "ipxe",
        sshKeys: [],
        allowReinstall: false,
        deployTimeoutMinutes: 30,
      },
      talos: { clusterName: "cto", kubernetesVersion: "v1.36.0", extensions: [], allowControlPlaneRemoval: [], allowEndpointChange: false },
    });
  });

  it("reads every optional key", () => {
    const latitude = latitudeOf(
      parseConfig(
        {
          ...VALID_RAW,
          project: '{"name":"Yearly","description":"reserved","provisioningType":"reserved"}',
          billing: "yearly",
          hostnamePrefix: "Lab.1",
          ipxeUrl:
            "https://pxe.factory.talos.dev/pxe/376567988ad370138ad8b2698212367b8edcb69b5fd68c80be1f2ec7d603b4ba/v1.11.5/metal-amd64",
          sshKeys: JSON.stringify([
            { name: "ops", publicKey: `  ${ED25519_KEY}\n` },
            { name: "ci", publicKey: ECDSA_KEY },
          ]),
          vlan: '{"description":"private","subnet":"192.168.16.0/29"}',
          allowReinstall: "true",
          unrelatedKey: "owned by another layer",
        },
        { stack: "cto-test" },
      ),
    );
    expect(latitude.project).toStrictEqual({
      kind: "create",
      name: "Yearly",
      description: "reserved",
      provisioningType: "reserved",
    });
    expect(latitude.billing).toBe("yearly");
    expect(latitude.nodes.map((n) => n.hostname)).toStrictEqual(["lab.1-cto-metal-cto-test-cp1", "lab.1-cto-metal-cto-test-worker1"]);
    expect(latitude.ipxeUrl).toMatch(/^https:\/\/pxe\.factory\.talos\.dev\//);
    expect(latitude.sshKeys).toStrictEqual([
      { name: "ops", publicKey: ED25519_KEY },
      { name: "ci", publicKey: ECDSA_KEY },
    ]);
    expect(latitude.vlan).toStrictEqual({ description: "private", subnet: "192.168.16.0/29" });
    expect(latitude.allowReinstall).toBe(true);
  });

  it("defaults the VLAN subnet and allows yearly billing on an adopted project", () => {
    const latitude = latitudeOf(
      parseConfig(
        { ...VALID_RAW, project: { slug: "reserved_one" }, billing: "yearly", vlan: "{}" },
        { stack: "cto-test" },
      ),
    );
    expect(latitude.vlan).toStrictEqual({ subnet: "10.8.0.0/24" });
    expect(latitude.billing).toBe("yearly");
  });

  it("reads the VLAN's parent card as a MAC, a PCI bus path or a link name, per stack and per node", () => {
    const latitude = latitudeOf(
      parseConfig(
        { ...VALID_RAW, nodes: [{ name: "cp1", vlanParent: "0000:41:00.1" }, { name: "w1", vlanParent: "eno2" }, { name: "w2" }], vlan: { parent: "0C:C4:7A:00:00:75" } },
        { stack: "cto-test" },
      ),
    );
    expect(latitude.vlan).toStrictEqual({ subnet: "10.8.0.0/24", parent: { mac: "0c:c4:7a:00:00:75" } });
    expect(latitude.nodes.map((node) => node.vlanParent)).toStrictEqual([{ busPath: "0000:41:00.1" }, { interface: "eno2" }, undefined]);
  });

  it("runs an even number of control planes only when confirmed", () => {
    const nodes = [{ name: "cp1", role: "controlplane" }, { name: "cp2", role: "controlplane" }];
    expect(() => parseConfig({ ...VALID_RAW, nodes }, { stack: "cto-test" })).toThrow("expected an odd number of control planes");
    const latitude = latitudeOf(parseConfig({ ...VALID_RAW, nodes, allowEvenControlPlanes: "true" }, { stack: "cto-test" }));
    expect(latitude.nodes.map((node) => node.role)).toStrictEqual(["controlplane", "controlplane"]);
  });

  it("accepts a hostname of exactly 32 characters and a subnet with exactly enough addresses", () => {
    // One control plane: no Talos VIP, so no addresses need to stay free.
    const nodes = Array.from({ length: 6 }, (_, i) => ({ name: `node-${i}`, role: i === 0 ? "controlplane" : "worker" }));
    const latitude = latitudeOf(
      parseConfig({ ...VALID_RAW, nodes, vlan: { subnet: "10.0.0.8/29" } }, { stack: "eleven-stk1" }),
    );
    expect(latitude.nodes[0]?.hostname).toHaveLength(32);
  });

  it("needs nothing else for the kubeconfig source and ignores the Latitude keys", () => {
    expect(parseConfig({ clusterSource: "kubeconfig" }, { stack: "dev" })).toStrictEqual({
      stack: "dev",
      profile: "standard",
      platform: DEFAULT_PLATFORM,
      clusterSource: "kubeconfig",
      kubeconfig: {},
    });
    expect(
      parseConfig({ clusterSource: "kubeconfig", githubOrg: "acme", nodes: "[", site: "" }, { stack: "dev" }),
    ).toStrictEqual({
      stack: "dev",
      profile: "standard",
      platform: DEFAULT_PLATFORM,
      gitops: { org: "acme", repositoryName: "cto-apps", visibility: "private", onDestroy: "keep", appsPath: "apps", branch: "main", apps: DEFAULT_APPS },
      clusterSource: "kubeconfig",
      kubeconfig: {},
      githubOrg: "acme",
    });
  });

  it("names keys with the project's namespace", () => {
    expect(() => parseConfig({ clusterSource: "x" }, { stack: "s", project: "other" })).toThrow(
      'Invalid stack configuration (stack s):\n  - other:clusterSource: expected "latitude" or "kubeconfig", got "x"',
    );
  });
});

describe("parseConfig: invalid configurations", () => {
  it("has at least 30 cases", () => {
    expect(INVALID_CONFIGS.length).toBeGreaterThanOrEqual(30);
  });

  it.each(INVALID_CONFIGS.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    let thrown: unknown;
    try {
      parseConfig(c.raw, { stack: c.stack ?? "cto-test" });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    const error = thrown as ConfigError;
    expect(error.name).toBe("ConfigError");
    expect(error.message).toBe(c.message);
    // The structured issues say the same as the text, one per line.
    const lines = error.message.split("\n").slice(1);
    expect(error.issues.map((i) => `  - ${i.path}: ${i.message}`)).toStrictEqual(lines);
  });

  it("truncates long given values", () => {
    const shown = `"${"x".repeat(56)}...`;
    expect(show("x".repeat(200))).toBe(shown);
    expect(show("x".repeat(58))).toBe(`"${"x".repeat(58)}"`);
    expect(() => parseConfig({ ...VALID_RAW, site: "x".repeat(200) }, { stack: "cto-test" })).toThrow(
      new RegExp(`got ${shown}$`),
    );
  });
});

describe("helpers", () => {
  it("builds deterministic lower-case hostnames", () => {
    expect(nodeHostname("CTO", "Metal", "Prod", "cp1")).toBe("cto-metal-prod-cp1");
    expect(isLatitudeHostname("a".repeat(32))).toBe(true);
    expect(isLatitudeHostname("a".repeat(33))).toBe(false);
    expect(isLatitudeHostname("a-")).toBe(false);
    expect(isLatitudeHostname("a_b")).toBe(false);
  });

  it("parses CIDRs strictly", () => {
    expect(parseIpv4Cidr("10.8.0.0/24")).toStrictEqual({
      ok: true,
      cidr: { network: 0x0a080000, prefix: 24, usable: 254 },
    });
    expect(parseIpv4Cidr("10.0.0.0/8")).toMatchObject({ ok: true, cidr: { usable: 16_777_214 } });
    expect(parseIpv4Cidr("192.168.1.128/25")).toMatchObject({ ok: true });
    expect(parseIpv4Cidr("10.0.0.0/7")).toMatchObject({ ok: false });
    expect(parseIpv4Cidr("10.8.0.0/24 ")).toMatchObject({ ok: false });
  });

  it("checks OpenSSH public keys, including the key type inside the data", () => {
    expect(isOpenSshPublicKey(ED25519_KEY)).toBe(true);
    expect(isOpenSshPublicKey(ECDSA_KEY)).toBe(true);
    expect(isOpenSshPublicKey(ECDSA_KEY.replace("nistp256 ", "nistp384 "))).toBe(false);
    expect(isOpenSshPublicKey(ED25519_KEY.slice(0, 40))).toBe(false);
    expect(isOpenSshPublicKey("ssh-ed25519")).toBe(false);
  });
});
