// A random string generated once, at create, on node:crypto: webhook secrets, tokens. Changing its
// length or encoding makes a new value (replace); nothing else ever changes it.
// This object is serialized into state: dependencies are local modules or require()d inside.
import type * as pulumi from "@pulumi/pulumi";
import { ALPHABETS, lengthFailure, randomText, UNKNOWN, type SecretEncoding } from "./generatorSupport";

export interface RandomSecretInputs {
  /** Bumped with the provider code, so the engine stores the new code in state. */
  providerVersion: string;
  /** Characters in `value`. */
  length: number;
  encoding: SecretEncoding;
}

export interface RandomSecretOutputs extends RandomSecretInputs {
  /** Secret (additionalSecretOutputs). */
  value: string;
}

/** The properties whose change makes a new value. */
export function randomSecretReplaces(olds: RandomSecretInputs, news: RandomSecretInputs): string[] {
  const replaces: string[] = [];
  if (olds.length !== news.length) replaces.push("length");
  if (olds.encoding !== news.encoding) replaces.push("encoding");
  return replaces;
}

export const randomSecretProvider: pulumi.dynamic.ResourceProvider<RandomSecretInputs, RandomSecretOutputs> = {
  check(_olds: RandomSecretInputs, news: RandomSecretInputs): Promise<pulumi.dynamic.CheckResult<RandomSecretInputs>> {
    const failures: pulumi.dynamic.CheckFailure[] = [];
    const length = lengthFailure("RandomSecret", news.length);
    if (length) failures.push({ property: "length", reason: length });
    if ((news.encoding as string) !== UNKNOWN && !Object.prototype.hasOwnProperty.call(ALPHABETS, news.encoding)) {
      failures.push({ property: "encoding", reason: `RandomSecret: encoding must be one of ${Object.keys(ALPHABETS).join(", ")}, got ${JSON.stringify(news.encoding)}` });
    }
    return Promise.resolve({ inputs: news, failures });
  },

  diff(_id: string, olds: RandomSecretOutputs, news: RandomSecretInputs): Promise<pulumi.dynamic.DiffResult> {
    const replaces = randomSecretReplaces(olds, news);
    return Promise.resolve({ changes: replaces.length > 0 || olds.providerVersion !== news.providerVersion, replaces, deleteBeforeReplace: false });
  },

  create(inputs: RandomSecretInputs): Promise<pulumi.dynamic.CreateResult<RandomSecretOutputs>> {
    const crypto = require("node:crypto") as typeof import("node:crypto");
    const value = randomText(inputs.length, ALPHABETS[inputs.encoding]);
    return Promise.resolve({ id: crypto.randomUUID(), outs: { ...inputs, value } });
  },

  read(id: string, props?: RandomSecretOutputs): Promise<pulumi.dynamic.ReadResult<RandomSecretOutputs>> {
    if (!props) throw new Error(`importing RandomSecret ${id} is not supported: dynamic resources cannot be imported`);
    // Nothing outside state holds the value: state is the truth.
    return Promise.resolve({ id, props });
  },

  update(_id: string, olds: RandomSecretOutputs, news: RandomSecretInputs): Promise<pulumi.dynamic.UpdateResult<RandomSecretOutputs>> {
    // Only providerVersion reaches update (length/encoding replace): the value stays.
    return Promise.resolve({ outs: { ...olds, providerVersion: news.providerVersion } });
  },

  delete(): Promise<void> {
    return Promise.resolve();
  },
};
