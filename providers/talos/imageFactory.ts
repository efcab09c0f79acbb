// Talos Image Factory: the Schematic resource (registers a customisation, id = schematic ID) and the
// getUrls invoke (pure string formatting in the plugin, no network).
import * as pulumi from "@pulumi/pulumi";
import { talosInvokeOptions, talosResourceOptions } from "./pluginOptions";
import type { Architecture, ImageFactoryUrls } from "./types";

export const SCHEMATIC_TYPE = "talos:imageFactory/schematic:Schematic";
export const GET_URLS_TOKEN = "talos:imageFactory/getUrls:getUrls";

export interface SchematicArgs {
  /** Schematic YAML (`customization.systemExtensions.officialExtensions`, `customization.extraKernelArgs`, …). */
  schematic?: pulumi.Input<string>;
}

/**
 * The resource `id` is the schematic ID, a content hash: identical YAML gives the identical ID.
 * Create and update POST to the factory; read and delete do nothing.
 */
export class Schematic extends pulumi.CustomResource {
  declare readonly schematic: pulumi.Output<string | undefined>;

  constructor(name: string, args?: SchematicArgs, opts?: pulumi.CustomResourceOptions) {
    super(SCHEMATIC_TYPE, name, { schematic: args?.schematic }, talosResourceOptions(opts));
  }
}

export interface GetUrlsOutputArgs {
  /** Talos release, e.g. "v1.13.0". */
  talosVersion: pulumi.Input<string>;
  schematicId: pulumi.Input<string>;
  /** "metal" for bare metal. The schema's alternative, `sbc`, is left out: no board here needs it. */
  platform?: pulumi.Input<string>;
  /** Default amd64. */
  architecture?: pulumi.Input<Architecture>;
}

export interface GetUrlsResult {
  readonly id: string;
  readonly talosVersion: string;
  readonly schematicId: string;
  readonly platform?: string;
  readonly architecture: Architecture;
  /** `pxe` is the iPXE script to chain-load; `installer` goes into `machine.install.image`. */
  readonly urls: ImageFactoryUrls;
}

/** Output form only. */
export function getUrlsOutput(args: GetUrlsOutputArgs, opts?: pulumi.InvokeOutputOptions): pulumi.Output<GetUrlsResult> {
  const invokeArgs: pulumi.Inputs = {
    talosVersion: args.talosVersion,
    schematicId: args.schematicId,
    platform: args.platform,
    architecture: args.architecture,
  };
  return pulumi.runtime.invokeOutput<GetUrlsResult>(GET_URLS_TOKEN, invokeArgs, talosInvokeOptions(opts));
}
