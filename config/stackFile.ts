// The `cto-metal:*` values a stack sees, read from Pulumi.yaml and a Pulumi.<stack>.yaml file
// without Pulumi: the project's declared defaults overlaid by the stack file, as Pulumi passes them
// (text as is, structured values as JSON text). For tools that check a stack before `pulumi up`.
import { basename } from "node:path";
import * as yaml from "js-yaml";
import { SECRET_KEYS, type SecretKey } from "./platform";

export interface StackFileValues {
  readonly project: string;
  readonly stack: string;
  /** Bare key → Pulumi text, for parseConfig. */
  readonly raw: Record<string, string>;
  /** Secret keys the stack file sets (as `secure:` values); their values are never read. */
  readonly secrets: readonly SecretKey[];
}

function mapping(value: unknown, what: string): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value !== "object" || Array.isArray(value)) throw new Error(`${what}: expected a YAML mapping`);
  return value as Record<string, unknown>;
}

const pulumiText = (value: unknown): string => (typeof value === "string" ? value : JSON.stringify(value));

/** `Pulumi.trial.yaml` → "trial". */
export function stackNameOf(stackFile: string): string {
  const match = /^Pulumi\.(.+)\.ya?ml$/.exec(basename(stackFile));
  if (!match) throw new Error(`${stackFile}: expected a stack file named Pulumi.<stack>.yaml`);
  return match[1]!;
}

export function stackFileValues(projectYaml: string, stackFile: string, stackYaml: string): StackFileValues {
  const project = mapping(yaml.load(projectYaml), "Pulumi.yaml");
  const name = project["name"];
  if (typeof name !== "string") throw new Error("Pulumi.yaml: expected a project name");
  const namespace = `${name}:`;
  const raw: Record<string, string> = {};
  for (const [key, spec] of Object.entries(mapping(project["config"], "Pulumi.yaml config"))) {
    const fallback = mapping(spec, `Pulumi.yaml config ${key}`)["default"];
    if (fallback !== undefined) raw[key.startsWith(namespace) ? key.slice(namespace.length) : key] = pulumiText(fallback);
  }
  const secrets: SecretKey[] = [];
  for (const [key, value] of Object.entries(mapping(mapping(yaml.load(stackYaml), stackFile)["config"], `${stackFile} config`))) {
    if (!key.startsWith(namespace)) continue;
    const bare = key.slice(namespace.length);
    const secret = SECRET_KEYS.find((candidate) => candidate === bare);
    if (secret !== undefined) secrets.push(secret);
    else raw[bare] = pulumiText(value);
  }
  return { project: name, stack: stackNameOf(stackFile), raw, secrets };
}
