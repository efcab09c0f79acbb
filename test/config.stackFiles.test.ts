// The committed Pulumi.yaml and stack files against the schema, and loadConfig under Pulumi's
// mocks (the one place that reads pulumi.Config).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as yaml from "js-yaml";
import { describe, expect, it, vi } from "vitest";
import { loadConfig } from "../config";
import { CONFIG_DEFAULTS, CONFIG_KEYS, SECRET_KEYS, parseConfig } from "../config/schema";
import { stackFileValues } from "../config/stackFile";
import { CTO_TEST, DEFAULT_PLATFORM, latitudeOf } from "./fixtures/expectedConfigs";

const ROOT = join(__dirname, "..");
type Yaml = unknown;
const asRecord = (v: Yaml): Record<string, Yaml> => {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new Error("expected a YAML mapping");
  return v as Record<string, Yaml>;
};
const readYaml = (file: string) => asRecord(yaml.load(readFileSync(join(ROOT, file), "utf8")));
// Pulumi passes strings as is and structured values as JSON text.
const pulumiText = (v: Yaml): string => (typeof v === "string" ? v : JSON.stringify(v));

const project = readYaml("Pulumi.yaml");
const declared = asRecord(project["config"]);

/** What the program sees on a stack: Pulumi.yaml defaults overlaid by the stack file's values. */
const stackRaw = (file: string): Record<string, string> =>
  stackFileValues(readFileSync(join(ROOT, "Pulumi.yaml"), "utf8"), join(ROOT, file), readFileSync(join(ROOT, file), "utf8")).raw;

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
      allowEvenControlPlanes: "boolean",
      allowEndpointChange: "boolean",
      allowGitOpsRemoval: "boolean",
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
        { name: "cp1", hostname: "cto-cto-metal-trial-cp1" },
        { name: "worker1", hostname: "cto-cto-metal-trial-worker1" },
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
    expect(latitudeOf(config).nodes.map((n) => n.hostname)).toStrictEqual(["cto-cto-metal-cto-test-cp1", "cto-cto-metal-cto-test-worker1"]);
    expect(get.mock.calls.map(([key]) => key)).toStrictEqual([...CONFIG_KEYS]);
    expect(get.mock.contexts.every((c) => (c as pulumi.Config).name === "cto-metal")).toBe(true);
    // Secret keys are only probed for presence, in the project namespace; their values stay Outputs.
    expect(getSecret.mock.calls.map(([key]) => key)).toStrictEqual([...SECRET_KEYS]);
    expect(getSecret.mock.contexts.every((c) => (c as pulumi.Config).name === "cto-metal")).toBe(true);
    expect(JSON.stringify(config)).not.toContain("tok-123");
    vi.restoreAllMocks();
  });
});
