// Which talos plugin every resource and invoke of this binding asks for. The engine installs a
// missing plugin on first use of this version and server; the CLI's up-front scan only reads npm
// packages' package.json, so it never sees this binding and the install happens lazily instead.
import * as pulumi from "@pulumi/pulumi";

/** The talos plugin this binding is written against; bump only together with the binding's types. */
export const TALOS_PLUGIN = {
  version: "0.8.1",
  pluginDownloadURL: "github://api.github.com/pulumiverse",
} as const;

/**
 * Drops keys whose value is undefined: `mergeOptions` lets a present-but-undefined key overwrite
 * the default, so `{ version: undefined }` from a caller would otherwise unpin the plugin.
 */
function definedOnly<T extends object>(opts: T | undefined): Partial<T> {
  if (opts === undefined) return {};
  return Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * Resource options for a talos resource: the plugin pin, plus `additionalSecretOutputs` so the
 * engine stores those outputs encrypted even where the plugin only flags nested fields. The
 * caller's options are merged last, so they win (their `additionalSecretOutputs` and `dependsOn`
 * are appended, as `pulumi.mergeOptions` does for arrays).
 */
export function talosResourceOptions(
  opts: pulumi.CustomResourceOptions | undefined,
  secretOutputs: readonly string[] = [],
): pulumi.CustomResourceOptions {
  const defaults: pulumi.CustomResourceOptions = { ...TALOS_PLUGIN };
  if (secretOutputs.length > 0) defaults.additionalSecretOutputs = [...secretOutputs];
  return pulumi.mergeOptions(defaults, definedOnly(opts));
}

/** Invoke options for a talos function: the plugin pin, with the caller's options winning. */
export function talosInvokeOptions(opts?: pulumi.InvokeOutputOptions): pulumi.InvokeOutputOptions {
  // A plain spread suffices: the defaults hold no arrays or providers for mergeOptions to combine.
  return { ...TALOS_PLUGIN, ...definedOnly(opts) };
}

/**
 * Marks an input secret before it is sent, as the generated SDK does for schema-secret inputs, so
 * it is encrypted in state even when the caller passes a plain value. Undefined stays undefined
 * (the property is then omitted, not sent as a secret null).
 */
export function secretInput<T>(value: pulumi.Input<T> | undefined): pulumi.Output<pulumi.Unwrap<T>> | undefined {
  return value === undefined ? undefined : pulumi.secret(value);
}
