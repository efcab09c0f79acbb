// The dynamic-provider host encodes outputs as a protobuf Struct, which throws on `undefined`
// ("Unexpected struct type") and fails the whole run: the engine tier found a refresh failing so.
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { withEncodableOutputs } from "../../providers/latitude/providerRuntime";
import { projectProvider, type ProjectOutputs } from "../../providers/latitude/projectProvider";
import { startEmulator, type Emulator } from "../../emulator";

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
  vi.stubEnv("LATITUDESH_API_URL", emulator.url);
  vi.stubEnv("LATITUDESH_AUTH_TOKEN", "encodable-outputs-key");
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await emulator.close();
});

describe("encodable outputs", () => {
  it("strips undefined properties from create, read and update results", async () => {
    const provider = withEncodableOutputs<{ a?: string }, { a?: string; b: number }>({
      create: () => Promise.resolve({ id: "1", outs: { a: undefined, b: 1 } }),
      read: (id) => Promise.resolve({ id, props: { a: undefined, b: 2 } }),
      update: () => Promise.resolve({ outs: { a: undefined, b: 3 } }),
    });
    const created = await provider.create({});
    const read = await provider.read!("1", { b: 1 });
    const updated = await provider.update!("1", { b: 1 }, {});
    expect([created.outs, read.props, updated.outs]).toEqual([{ b: 1 }, { b: 2 }, { b: 3 }]);
    expect(() => Struct.fromJavaScript({ a: undefined } as never)).toThrow("Unexpected struct type");
  });

  it("reads back a project created without an environment in a form the host can encode", async () => {
    const inputs = { providerVersion: "1", name: "no-environment", description: "owned by Pulumi stack test", provisioningType: "on_demand" as const };
    const created = (await projectProvider.create(inputs)) as { id: string; outs: ProjectOutputs };
    const read = await projectProvider.read!(created.id, created.outs);
    expect(read.id).toBe(created.id);
    expect(() => Struct.fromJavaScript(read.props as never)).not.toThrow();
  });
});
