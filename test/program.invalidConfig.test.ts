// The program refuses every invalid configuration before it sends a single request: it runs
// under Pulumi mocks with the Latitude API pointed at the emulator, whose log must stay empty.
import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startEmulator, type Emulator } from "../emulator";
import { parseConfig } from "../config/schema";
import { INVALID_CONFIGS, type InvalidConfig } from "./fixtures/invalidConfigs";

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
});
