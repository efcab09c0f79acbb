// Turns validation problems into one stable, human-readable error. Zod's default texts change
// between releases and do not name the Pulumi key, so every message is built here instead.
import type { z } from "zod";

export interface ConfigIssue {
  /** Full key path with namespace, e.g. `cto-metal:nodes[1].role`. */
  readonly path: string;
  /** What was expected and what was given. */
  readonly message: string;
}

export class ConfigError extends Error {
  override readonly name = "ConfigError";
  readonly issues: readonly ConfigIssue[];

  constructor(stack: string, issues: readonly ConfigIssue[]) {
    const lines = issues.map((i) => `  - ${i.path}: ${i.message}`);
    super(`Invalid stack configuration (stack ${stack}):\n${lines.join("\n")}`);
    this.issues = issues;
  }
}

const MAX_SHOWN = 60;

/** A given value as the user would recognise it: JSON, truncated so one line stays readable. */
export function show(value: unknown): string {
  if (value === undefined) return "nothing";
  const text = JSON.stringify(value) ?? "a value that is not JSON";
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 3)}...` : text;
}

/** `"a"`, `"a" or "b"`, `"a", "b" or "c"`. */
export function alternatives(values: readonly unknown[]): string {
  const shown = values.map((v) => JSON.stringify(v) ?? "");
  const last = shown.pop();
  return shown.length === 0 ? (last ?? "") : `${shown.join(", ")} or ${last ?? ""}`;
}

export function keyPath(namespace: string, key: string, segments: readonly PropertyKey[] = []): string {
  const rest = segments.map((s) => (typeof s === "number" ? `[${s}]` : `.${String(s)}`)).join("");
  return `${namespace}:${key}${rest}`;
}

/** Per-schema error text: "expected <what>, got <input>" whatever check failed. */
export function expecting(what: string): { error: (iss: { input?: unknown }) => string } {
  return { error: (iss) => `expected ${what}, got ${show(iss.input)}` };
}

/** Per-schema error text for lists, which reports the count instead of the whole list. */
export function expectingList(what: string): { error: (iss: { input?: unknown }) => string } {
  return {
    error: (iss) => {
      const got = Array.isArray(iss.input) ? `${iss.input.length} entries` : show(iss.input);
      return `expected ${what}, got ${got}`;
    },
  };
}

/** Error text for strict objects: the allowed properties, so a typo is easy to fix. */
export function strictObjectError(allowed: readonly string[]): { error: z.core.$ZodErrorMap } {
  return {
    error: (iss) =>
      iss.code === "unrecognized_keys" ? `unknown property; expected only ${alternatives(allowed)}` : undefined,
  };
}

const TYPE_NAMES: Record<string, string> = {
  string: "a string",
  number: "a number",
  boolean: "true or false",
  object: "an object",
  array: "a list",
};

/** Fallback texts for issues no schema described itself (passed to every safeParse). */
export const describeIssue: z.core.$ZodErrorMap = (iss) => {
  switch (iss.code) {
    case "invalid_type":
      return `expected ${TYPE_NAMES[iss.expected] ?? iss.expected}, got ${show(iss.input)}`;
    case "invalid_value":
      return `expected ${alternatives(iss.values)}, got ${show(iss.input)}`;
    case "unrecognized_keys":
      return "unknown property";
    default:
      return `expected a valid value, got ${show(iss.input)}`;
  }
};

/** Zod issues under one key → config issues; an unknown property gets its own path. */
export function fromZodIssues(
  namespace: string,
  key: string,
  prefix: readonly PropertyKey[],
  issues: readonly z.core.$ZodIssue[],
): ConfigIssue[] {
  return issues.flatMap((iss) => {
    const base = [...prefix, ...iss.path];
    if (iss.code === "unrecognized_keys") {
      return iss.keys.map((k) => ({ path: keyPath(namespace, key, [...base, k]), message: iss.message }));
    }
    return [{ path: keyPath(namespace, key, base), message: iss.message }];
  });
}

export type Result<T> = { ok: true; value: T } | { ok: false };
export const FAILED = { ok: false } as const;

/** How a group of keys is checked and reported by parseConfig (one run collects every problem). */
export interface KeyChecker<K extends string> {
  readonly namespace: string;
  /** The decoded value of a key (Pulumi text parsed per its kind; undefined when not set). */
  value(key: K): unknown;
  /** False (and reported) when the key's Pulumi text is not valid JSON. */
  parseable(key: K): boolean;
  /** Validates a whole key; false when it failed (its problem is already reported). */
  check<T>(key: K, schema: z.ZodType<T>): Result<T>;
  /** Validates a value found under a key, e.g. `nodes[2].installDisk`. */
  checkAt<T>(key: K, segments: readonly PropertyKey[], value: unknown, schema: z.ZodType<T>): Result<T>;
  report(key: K, segments: readonly PropertyKey[], message: string): void;
}
