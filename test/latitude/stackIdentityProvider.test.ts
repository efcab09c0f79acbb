// The stack identity provider called directly: made once, random, never replaced, kept through
// updates and refreshes. It calls no API, so no emulator is needed.
import { describe, expect, it } from "vitest";
import { identityIn, ownerNote } from "../../providers/latitude/ownership";
import { stackIdentityProvider, type StackIdentityInputs, type StackIdentityOutputs } from "../../providers/latitude/stackIdentityProvider";

const inputs: StackIdentityInputs = { providerVersion: "test", stack: "cto-metal-dev" };
const create = () => stackIdentityProvider.create(inputs) as Promise<{ id: string; outs: StackIdentityOutputs }>;

describe("stack identity", () => {
  it("is 16 random hex characters, the resource's id too", async () => {
    const [a, b] = [await create(), await create()];
    expect(a.outs.identity).toMatch(/^[0-9a-f]{16}$/);
    expect(a.id).toBe(a.outs.identity);
    expect(b.outs.identity).not.toBe(a.outs.identity);
  });

  it("is never replaced, and an update or a refresh keeps it", async () => {
    const { id, outs } = await create();
    for (const news of [inputs, { ...inputs, stack: "cto-metal-renamed" }, { ...inputs, providerVersion: "test-2" }]) {
      const diff = await stackIdentityProvider.diff!(id, outs, news);
      expect(diff.replaces).toEqual([]);
      expect((await stackIdentityProvider.update!(id, outs, news)).outs).toEqual({ ...news, identity: outs.identity });
    }
    expect(await stackIdentityProvider.diff!(id, outs, inputs)).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
    expect(await stackIdentityProvider.read!(id, outs)).toEqual({ id, props: outs });
  });

  it("reads back from the words a description carries", () => {
    const note = ownerNote("cto-metal-dev", "0123456789abcdef");
    expect(note).toBe("owned by Pulumi stack cto-metal-dev (stack identity 0123456789abcdef)");
    expect(identityIn(`team lab; ${note}`)).toBe("0123456789abcdef");
    expect(identityIn("Owned by Pulumi stack cto-metal-dev")).toBeUndefined();
    expect(identityIn(null)).toBeUndefined();
  });
});
