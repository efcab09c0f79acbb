// Helm values as the platform components build them: a typed builder's result, then the stack's
// override object merged over it.
import * as pulumi from "@pulumi/pulumi";

/** Helm values; leaves may be Inputs (secrets stay Outputs until the Release resolves them). */
export type HelmValues = { [key: string]: unknown };

function isPlainObject(value: unknown): value is HelmValues {
  if (value === null || typeof value !== "object" || Array.isArray(value) || pulumi.Output.isInstance(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * `override` merged over `base`, recursively for plain objects, like Helm merges values files:
 * arrays, Outputs and scalars replace; `null` is kept (Helm reads it as "delete this default");
 * `undefined` leaves the base value. Neither argument is modified.
 */
export function deepMerge(base: HelmValues, override: HelmValues | undefined): HelmValues {
  const merged: HelmValues = { ...base };
  for (const [key, value] of Object.entries(override ?? {})) {
    if (value === undefined) continue;
    const current = merged[key];
    merged[key] = isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : value;
  }
  return merged;
}
