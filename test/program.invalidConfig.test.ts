// The program refuses every invalid configuration before it sends a single request: it runs
// under Pulumi mocks with the Latitude API pointed at the emulator, whose log must stay empty.
// A billing that does not fit an adopted project needs the project's answer: refused at preview
// after reads only, before any server is bought.
import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startEmulator, type Emulator } from "../emulator";
import { parseConfig } from "../config/schema";
import { adoptedBillingProblem } from "../components/fleet/catalogueCheck";
import { LatitudeClient } from "../providers/latitude/client";
import { INVALID_CONFIGS, VALID_RAW, type InvalidConfig } from "./fixtures/invalidConfigs";

let emulator: Emulator;
const registered: string[] = [];

const mocks: pulumi.runtime.Mocks = {
  newResource: (args) => {
    registered.push(`${args.type}::${args.name}`);
    return { id: `${args.name}-id`, state: args.inputs as Record<string, unknown> };
  },
  call: (args) => {
    throw new Error(`unexpected invoke ${args.token}`);
  },
};

/** Pulumi hands the program every value as text. */
function asPulumiText(raw: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(raw).map(([key, value]) => [key, typeof value === "string" ? value : JSON.stringify(value)]));
}

/**
 * The fixture's exact message; for the few fixtures that give a non-text value (e.g. a number for
 * a string key), Pulumi would hand over its text, so the program must fail as parseConfig does on it.
 */
function expectedMessage(fixture: InvalidConfig, stack: string): string {
  if (Object.values(fixture.raw).every((value) => typeof value === "string")) return fixture.message;
  try {
    parseConfig(asPulumiText(fixture.raw), { stack, project: "cto-metal" });
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`fixture ${fixture.name} is valid once converted to Pulumi text`);
}

beforeAll(async () => {
  emulator = await startEmulator();
  vi.stubEnv("LATITUDESH_API_URL", emulator.url);
  vi.stubEnv("LATITUDESH_AUTH_TOKEN", "program-test-key");
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await emulator.close();
});

describe("the program with an invalid configuration", () => {
  it.each(INVALID_CONFIGS.map((c) => [c.name, c] as const))("refuses %s before any request", async (_name, fixture) => {
    const stack = fixture.stack ?? "cto-test";
    await pulumi.runtime.setMocks(mocks, "cto-metal", stack);
    const text = asPulumiText(fixture.raw);
    pulumi.runtime.setAllConfig(Object.fromEntries(Object.entries(text).map(([key, value]) => [`cto-metal:${key}`, value])));
    vi.resetModules();
    const program = (await import("../index")).default;
    await expect(program()).rejects.toThrow(expectedMessage(fixture, stack));
    expect(emulator.requests).toEqual([]);
    expect(registered).toEqual([]);
  });

  it("refuses a misspelt key with the key that was meant, as one stackless block, before any request", async () => {
    await pulumi.runtime.setMocks(mocks, "cto-metal", "cto-test");
    const text = asPulumiText({ ...VALID_RAW, biling: "monthly", nodez: [{ name: "cp1" }] });
    pulumi.runtime.setAllConfig({ ...Object.fromEntries(Object.entries(text).map(([key, value]) => [`cto-metal:${key}`, value])), "latitudesh:apiUrl": emulator.url });
    vi.resetModules();
    const program = (await import("../index")).default;
    const error = (await program().catch((e: unknown) => e)) as Error;
    expect(pulumi.RunError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(/cto-metal:biling: unknown key.*did you mean `cto-metal:billing`\?/);
    expect(error.message).toMatch(/cto-metal:nodez: unknown key.*did you mean `cto-metal:nodes`\?/);
    expect(error.stack).toBe(error.message);
    expect(emulator.requests).toEqual([]);
    expect(registered).toEqual([]);
  });

  it("lists a misspelt key first and then what the keys it read got wrong, in one error", async () => {
    await pulumi.runtime.setMocks(mocks, "cto-metal", "cto-test");
    const text = asPulumiText({ ...VALID_RAW, biling: "monthly", billing: "weekly" });
    pulumi.runtime.setAllConfig(Object.fromEntries(Object.entries(text).map(([key, value]) => [`cto-metal:${key}`, value])));
    vi.resetModules();
    const program = (await import("../index")).default;
    const error = (await program().catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/- cto-metal:biling: unknown key[^\n]*\n\s+- cto-metal:billing: /);
    expect(emulator.requests).toEqual([]);
  });
});

describe("the program adopting a project whose provisioning type does not take cto-metal:billing", () => {
  let seq = 0;
  const adoptedConfig = async (provisioningType: "on_demand" | "reserved", billing: string): Promise<{ slug: string; id: string; config: Record<string, string> }> => {
    const setup = new LatitudeClient({ apiUrl: emulator.url, apiKey: "program-test-key-setup" });
    const project = await setup.createProject({ name: `adopted ${provisioningType} ${billing} ${++seq}`, provisioning_type: provisioningType });
    // Servers only: no GitHub organization, no Talos.
    const raw = Object.fromEntries(Object.entries(VALID_RAW).filter(([key]) => key !== "githubOrg"));
    const config = asPulumiText({ ...raw, project: { slug: project.slug }, billing, stopAfter: "servers" });
    return { slug: project.slug, id: project.id, config };
  };
  /** The program at preview, as `pulumi preview` runs it. */
  const preview = async (config: Record<string, string>): Promise<unknown> => {
    registered.length = 0;
    emulator.clearLog();
    await pulumi.runtime.setMocks(mocks, "cto-metal", "cto-test", true);
    pulumi.runtime.setAllConfig(Object.fromEntries(Object.entries(config).map(([key, value]) => [`cto-metal:${key}`, value])));
    vi.resetModules();
    return (await import("../index")).default();
  };
  const serverPosts = () => emulator.requests.filter((r) => r.method === "POST" && r.path === "/servers");

  it.each([
    ["reserved", "hourly", '"yearly"', "yearly", "adopt an on-demand project"],
    ["reserved", "monthly", '"yearly"', "yearly", "adopt an on-demand project"],
    ["on_demand", "yearly", '"hourly" or "monthly"', "hourly or monthly", "adopt a reserved project"],
  ] as const)("refuses an adopted project of type %s billed %s at preview, naming the key, the project and what it takes", async (type, billing, accepted, bills, way) => {
    const { slug, id, config } = await adoptedConfig(type, billing);
    await expect(preview(config)).rejects.toThrow(
      "Latitude catalogue check failed:\n" +
        `  - cto-metal:billing: expected ${accepted} because the adopted Latitude project "${slug}" (${id}) has provisioning type "${type}" ` +
        `(Latitude bills its servers ${bills} only), got "${billing}"; set cto-metal:billing to ${accepted}, or ${way}`,
    );
    expect(registered).toEqual([]);
    expect(serverPosts()).toEqual([]);
    expect(emulator.requests.length).toBeGreaterThan(0);
    expect(emulator.requests.every((r) => r.method === "GET")).toBe(true);
  });

  it("lists a billing that does not fit beside a plan problem, so both are fixed in one pass", async () => {
    const { config } = await adoptedConfig("reserved", "hourly");
    await expect(preview({ ...config, site: "DAL" })).rejects.toThrow(/^Latitude catalogue check failed:\n {2}- cto-metal:plan \(nodes cp1, worker1\): plan c2-small-x86 is out of stock in DAL[^\n]*\n {2}- cto-metal:billing: expected "yearly"/);
    expect(registered).toEqual([]);
  });

  it.each([
    ["reserved", "yearly"],
    ["on_demand", "monthly"],
  ] as const)("goes on with an adopted project of type %s billed %s, still without a write", async (type, billing) => {
    const { config } = await adoptedConfig(type, billing);
    await preview(config);
    await vi.waitFor(() => expect(registered).toContain("pulumi-nodejs:dynamic/latitude:Server::cto-cp1"));
    expect(registered).not.toContain("pulumi-nodejs:dynamic/latitude:Project::cto-project");
    expect(emulator.requests.every((r) => r.method === "GET")).toBe(true);
  });

  it("leaves a provisioning type it does not know to the API, and passes billing that fits", () => {
    const project = { id: "proj_x", slug: "x" };
    expect(adoptedBillingProblem("hourly", { ...project, provisioning_type: null }, "cto-metal")).toBeUndefined();
    expect(adoptedBillingProblem("hourly", { ...project, provisioning_type: "spot" }, "cto-metal")).toBeUndefined();
    expect(adoptedBillingProblem("yearly", { ...project, provisioning_type: "reserved" }, "cto-metal")).toBeUndefined();
    expect(adoptedBillingProblem("monthly", { ...project, provisioning_type: "on_demand" }, "cto-metal")).toBeUndefined();
    expect(adoptedBillingProblem("yearly", { ...project, provisioning_type: "on_demand" }, "cto-metal")?.configKey).toBe("cto-metal:billing");
  });
});
