// Tier 1: the stack configuration, pure. Plus the committed Pulumi.yaml / stack files against the
// schema, and loadConfig under Pulumi's mocks (the one place that reads pulumi.Config).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it, vi } from "vitest";
import { loadConfig } from "../config";
import { parseIpv4Cidr } from "../config/cidr";
import { isLatitudeHostname } from "../config/hostname";
import { show } from "../config/issues";
import {
  CONFIG_DEFAULTS,
  CONFIG_KEYS,
  SECRET_KEYS,
  ConfigError,
  nodeHostname,
  parseConfig,
  type StackConfig,
} from "../config/schema";
import { isOpenSshPublicKey } from "../config/sshKey";
import { KUBERNETES_VERSION } from "../versions";
import { ECDSA_KEY, ED25519_KEY, INVALID_CONFIGS, VALID_RAW } from "./fixtures/invalidConfigs";

const ROOT = join(__dirname, "..");

const DEFAULT_PLATFORM = { skip: false, ngrok: false, vault: { flavor: "vault", ha: false }, chartValues: {} } as const;
const DEFAULT_APPS = ["Morgan", "Rex", "Cipher", "Blaze", "Cleo"].map((name) => ({ name, slug: name.toLowerCase() }));
const CTO_TEST: StackConfig = {
  stack: "cto-test",
  profile: "standard",
  platform: DEFAULT_PLATFORM,
  gitops: { org: "5dlabs-test", repositoryName: "cto-apps", visibility: "private", onDestroy: "keep", appsPath: "apps", branch: "main", apps: DEFAULT_APPS },
  clusterSource: "latitude",
  githubOrg: "5dlabs-test",
  latitude: {
    project: { kind: "create", name: "cto-test", environment: "Development", provisioningType: "on_demand" },
    site: "MIA2",
    plan: "c2-small-x86",
    billing: "hourly",
    nodes: [
      { name: "cp1", role: "controlplane", plan: "c2-small-x86", hostname: "cto-cto-test-cp1", allowReplace: false },
      { name: "worker1", role: "worker", plan: "c2-small-x86", hostname: "cto-cto-test-worker1", allowReplace: false },
    ],
    hostnamePrefix: "cto",
    operatingSystem: "ipxe",
    sshKeys: [],
    allowReinstall: false,
    deployTimeoutMinutes: 30,
  },
  talos: { clusterName: "cto", kubernetesVersion: KUBERNETES_VERSION, extensions: [], allowControlPlaneRemoval: [] },
};

function latitudeOf(config: StackConfig) {
  if (config.clusterSource !== "latitude") throw new Error("expected the latitude source");
  return config.latitude;
}

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
          { name: "a", plan: "c3-small-x86", hostname: "cto-qa-a", allowReplace: false },
          { name: "b", plan: "c3-large-x86", hostname: "cto-qa-b", allowReplace: false },
        ],
        hostnamePrefix: "cto",
        operatingSystem: "ipxe",
        sshKeys: [],
        allowReinstall: false,
        deployTimeoutMinutes: 30,
      },
      talos: { clusterName: "cto", kubernetesVersion: "v1.36.0", extensions: [], allowControlPlaneRemoval: [] },
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
    expect(latitude.nodes.map((n) => n.hostname)).toStrictEqual(["lab.1-cto-test-cp1", "lab.1-cto-test-worker1"]);
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

  it("accepts a hostname of exactly 32 characters and a subnet with exactly enough addresses", () => {
    // One control plane: no Talos VIP, so no addresses need to stay free.
    const nodes = Array.from({ length: 6 }, (_, i) => ({ name: `node-${i}`, role: i === 0 ? "controlplane" : "worker" }));
    const latitude = latitudeOf(
      parseConfig({ ...VALID_RAW, nodes, vlan: { subnet: "10.0.0.8/29" } }, { stack: "twenty-one-chars-stk1" }),
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
    expect(nodeHostname("CTO", "Prod", "cp1")).toBe("cto-prod-cp1");
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

// A YAML subset, enough for the committed project and stack files: block mappings, block
// sequences, plain and quoted scalars, [] and {}, full-line comments.
type Yaml = string | Yaml[] | { [key: string]: Yaml };

function parseYaml(text: string): Yaml {
  const lines = text
    .split("\n")
    .filter((l) => l.trim() !== "" && !l.trim().startsWith("#"))
    .map((l) => ({ indent: l.length - l.trimStart().length, text: l.trim() }));
  let i = 0;
  const scalar = (s: string): Yaml => {
    if (s.startsWith('"')) return JSON.parse(s) as string;
    if (s.startsWith("'")) return s.slice(1, -1).replaceAll("''", "'");
    if (s === "[]") return [];
    if (s === "{}") return {};
    return s;
  };
  const block = (indent: number): Yaml => {
    const first = lines[i];
    if (first?.text.startsWith("- ")) {
      const items: Yaml[] = [];
      for (let line = lines[i]; line?.indent === indent && line.text.startsWith("- "); line = lines[i]) {
        const rest = line.text.slice(2);
        if (/^[\w.:-]+:( |$)/.test(rest)) {
          lines[i] = { indent: indent + 2, text: rest }; // "- key: v" opens a mapping two columns in
          items.push(block(indent + 2));
        } else {
          i++;
          items.push(scalar(rest));
        }
      }
      return items;
    }
    const map: Record<string, Yaml> = {};
    for (let line = lines[i]; line?.indent === indent && !line.text.startsWith("- "); line = lines[i]) {
      const match = /^([^:]+(?::[^\s:]+)*):(?: (.*))?$/.exec(line.text);
      if (!match?.[1]) throw new Error(`unsupported YAML line: ${line.text}`);
      i++;
      const next = lines[i];
      map[match[1]] =
        match[2] !== undefined ? scalar(match[2]) : next && next.indent > indent ? block(next.indent) : "";
    }
    return map;
  };
  return block(0);
}

const asRecord = (v: Yaml | undefined): Record<string, Yaml> => {
  if (typeof v !== "object" || Array.isArray(v)) throw new Error("expected a YAML mapping");
  return v;
};
const readYaml = (file: string) => asRecord(parseYaml(readFileSync(join(ROOT, file), "utf8")));
// Pulumi passes strings as is and structured values as JSON text.
const pulumiText = (v: Yaml): string => (typeof v === "string" ? v : JSON.stringify(v));

const project = readYaml("Pulumi.yaml");
const declared = asRecord(project.config);

/** What the program sees on a stack: Pulumi.yaml defaults overlaid by the stack file's values. */
function stackRaw(file: string): Record<string, string> {
  const raw: Record<string, string> = {};
  for (const [key, spec] of Object.entries(declared)) {
    const value = asRecord(spec).default;
    if (value !== undefined) raw[key] = pulumiText(value);
  }
  for (const [key, value] of Object.entries(asRecord(readYaml(file).config))) {
    if (key.startsWith("cto-metal:")) raw[key.slice("cto-metal:".length)] = pulumiText(value);
  }
  return raw;
}

describe("Pulumi.yaml and the stack files", () => {
  it("declares exactly the keys the schema reads, with the same defaults", () => {
    expect(project.name).toBe("cto-metal");
    expect(project.backend).toBeUndefined();
    expect(Object.keys(declared).sort()).toStrictEqual([...CONFIG_KEYS].sort());
    for (const key of CONFIG_KEYS) {
      const spec = asRecord(declared[key]);
      expect(spec.description, key).toBeTruthy();
      expect(pulumiText(spec.default ?? "<none>"), key).toBe(CONFIG_DEFAULTS[key] ?? "");
    }
  });

  it("types only the keys Pulumi can type", () => {
    const types = Object.fromEntries(Object.entries(declared).map(([key, spec]) => [key, asRecord(spec).type]));
    expect(types).toStrictEqual({
      clusterSource: "string",
      project: undefined,
      site: "string",
      plan: "string",
      billing: "string",
      nodes: undefined,
      hostnamePrefix: "string",
      operatingSystem: "string",
      ipxeUrl: "string",
      sshKeys: undefined,
      vlan: undefined,
      allowReinstall: "boolean",
      deployTimeoutMinutes: undefined,
      clusterName: "string",
      clusterEndpoint: "string",
      kubernetesVersion: "string",
      installDisk: undefined,
      talosExtensions: undefined,
      schematicId: "string",
      outputDir: "string",
      allowControlPlaneRemoval: undefined,
      stopAfter: "string",
      profile: "string",
      githubOrg: "string",
      skipStack: "boolean",
      kubeconfigPath: "string",
      kubeContext: "string",
      argocdDomain: "string",
      acme: undefined,
      vault: undefined,
      chartValues: undefined,
      gitopsRepo: undefined,
      githubApps: undefined,
    });
  });

  it("parses the committed cto-test stack", () => {
    expect(parseConfig(stackRaw("Pulumi.cto-test.yaml"), { stack: "cto-test" })).toStrictEqual({
      ...CTO_TEST,
      latitude: {
        ...CTO_TEST.latitude,
        project: { ...latitudeOf(CTO_TEST).project, description: "cto-metal test stack (owned by Pulumi)" },
      },
    });
  });

  it("parses the committed dev stack", () => {
    expect(parseConfig(stackRaw("Pulumi.dev.yaml"), { stack: "dev" })).toStrictEqual({
      stack: "dev",
      profile: "standard",
      platform: DEFAULT_PLATFORM,
      clusterSource: "kubeconfig",
      kubeconfig: {},
    });
  });

  it("parses the committed trial stack: the emulator, servers only", () => {
    const config = parseConfig(stackRaw("Pulumi.trial.yaml"), { stack: "trial" });
    expect(config.stopAfter).toBe("servers");
    expect(latitudeOf(config)).toMatchObject({
      project: { kind: "create", name: "cto-trial", provisioningType: "on_demand" },
      site: "MIA2",
      billing: "hourly",
      nodes: [
        { name: "cp1", hostname: "cto-trial-cp1" },
        { name: "worker1", hostname: "cto-trial-worker1" },
      ],
    });
  });

  it("keeps the Latitude token out of the stack files unless Pulumi encrypted it", () => {
    for (const file of ["Pulumi.cto-test.yaml", "Pulumi.dev.yaml", "Pulumi.trial.yaml"]) {
      const token = asRecord(readYaml(file).config)["latitudesh:authToken"];
      // `pulumi config set --secret` writes { secure: <ciphertext> }; a plain string is a leak.
      if (token !== undefined) expect(Object.keys(asRecord(token)), file).toStrictEqual(["secure"]);
    }
  });
});

describe("loadConfig", () => {
  it("reads only the declared keys of the project namespace, never the Latitude token", async () => {
    await pulumi.runtime.setMocks(
      { newResource: () => ({ id: "x", state: {} }), call: () => ({}) },
      "cto-metal",
      "cto-test",
    );
    const raw = stackRaw("Pulumi.cto-test.yaml");
    pulumi.runtime.setAllConfig(
      {
        ...Object.fromEntries(Object.entries(raw).map(([k, v]) => [`cto-metal:${k}`, v])),
        "latitudesh:authToken": "tok-123",
      },
      ["latitudesh:authToken"],
    );
    const get = vi.spyOn(pulumi.Config.prototype, "get");
    const getSecret = vi.spyOn(pulumi.Config.prototype, "getSecret");
    const config = loadConfig();
    expect(latitudeOf(config).nodes.map((n) => n.hostname)).toStrictEqual(["cto-cto-test-cp1", "cto-cto-test-worker1"]);
    expect(get.mock.calls.map(([key]) => key)).toStrictEqual([...CONFIG_KEYS]);
    expect(get.mock.contexts.every((c) => (c as pulumi.Config).name === "cto-metal")).toBe(true);
    // Secret keys are only probed for presence, in the project namespace; their values stay Outputs.
    expect(getSecret.mock.calls.map(([key]) => key)).toStrictEqual([...SECRET_KEYS]);
    expect(getSecret.mock.contexts.every((c) => (c as pulumi.Config).name === "cto-metal")).toBe(true);
    expect(JSON.stringify(config)).not.toContain("tok-123");
    vi.restoreAllMocks();
  });
});
