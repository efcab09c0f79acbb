// The stack's identity: a random id made once, at the stack's first `up`, and kept in state for
// good. Names cannot tell two stacks apart (two Pulumi projects, or two backends, can both have a
// `dev` stack on one Latitude team); this id can. The fleet writes it where Latitude shows it (the
// description of the stack's tag and of a project the stack creates), and the providers adopt only
// what carries it (ownership.ts). Nothing in Latitude: no API call, no credentials.
// This object is serialized into state: dependencies are local modules or require()d inside.
import type * as pulumi from "@pulumi/pulumi";
import { withEncodableOutputs } from "./providerRuntime";

export interface StackIdentityInputs {
  /** Bumped with the provider code, so the engine stores the new code in state. */
  providerVersion: string;
  /** `<pulumi project>-<stack>`, for a person reading the state; renaming the stack keeps the id. */
  stack: string;
}

export interface StackIdentityOutputs extends StackIdentityInputs {
  /** 16 lower-case hex characters. */
  identity: string;
}

export const stackIdentityProvider: pulumi.dynamic.ResourceProvider<StackIdentityInputs, StackIdentityOutputs> = withEncodableOutputs({
  check(_olds: StackIdentityInputs, news: StackIdentityInputs): Promise<pulumi.dynamic.CheckResult<StackIdentityInputs>> {
    return Promise.resolve({ inputs: news, failures: [] });
  },

  diff(_id: string, olds: StackIdentityOutputs, news: StackIdentityInputs): Promise<pulumi.dynamic.DiffResult> {
    // Never a replacement: a new id would disown everything the stack holds in Latitude.
    return Promise.resolve({ changes: olds.providerVersion !== news.providerVersion || olds.stack !== news.stack, replaces: [], deleteBeforeReplace: false });
  },

  create(inputs: StackIdentityInputs): Promise<pulumi.dynamic.CreateResult<StackIdentityOutputs>> {
    const { randomBytes } = require("crypto") as typeof import("crypto");
    const identity = randomBytes(8).toString("hex");
    return Promise.resolve({ id: identity, outs: { ...inputs, identity } });
  },

  read(id: string, props?: StackIdentityOutputs): Promise<pulumi.dynamic.ReadResult<StackIdentityOutputs>> {
    if (!props) throw new Error(`importing stack identity ${id} is not supported: dynamic resources cannot be imported`);
    // Lives only in state: what state holds is the truth.
    return Promise.resolve({ id, props });
  },

  update(_id: string, olds: StackIdentityOutputs, news: StackIdentityInputs): Promise<pulumi.dynamic.UpdateResult<StackIdentityOutputs>> {
    return Promise.resolve({ outs: { ...news, identity: olds.identity } });
  },

  delete(): Promise<void> {
    return Promise.resolve();
  },
});
