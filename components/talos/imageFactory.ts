// Talos Image Factory URLs and schematics, built without a network call so preview works offline.
// The formats are the ones the talos plugin's imageFactory.getUrls returns for platform "metal".

import { isOfficialExtensionName } from "../../config/talosNames";

const PXE_HOST = "https://pxe.factory.talos.dev";
const FACTORY_REGISTRY = "factory.talos.dev";


function checkSchematicId(schematicId: string): void {
  if (!/^[0-9a-f]{64}$/.test(schematicId)) throw new Error(`expected a 64-character hex Image Factory schematic id, got ${JSON.stringify(schematicId)}`);
}

function checkTalosVersion(talosVersion: string): void {
  if (!/^v\d+\.\d+\.\d+$/.test(talosVersion)) throw new Error(`expected a Talos version such as v1.13.0, got ${JSON.stringify(talosVersion)}`);
}

/** The iPXE script URL Latitude boots a server from: /pxe/<schematic>/<version>/metal-<arch>. */
export function pxeUrl(schematicId: string, talosVersion: string, architecture: "amd64" | "arm64" = "amd64"): string {
  checkSchematicId(schematicId);
  checkTalosVersion(talosVersion);
  return `${PXE_HOST}/pxe/${schematicId}/${talosVersion}/metal-${architecture}`;
}

/**
 * The installer image for `machine.install.image`: `factory.talos.dev/metal-installer/<schematic>:<version>`.
 * The installed OS is this image's version and extensions, not the PXE image's, so it must carry the
 * same schematic and version as pxeUrl — left out, Talos installs the plain upstream installer and
 * the extensions are lost. Multi-arch: the node pulls its own architecture.
 */
export function installerImage(schematicId: string, talosVersion: string): string {
  checkSchematicId(schematicId);
  checkTalosVersion(talosVersion);
  return `${FACTORY_REGISTRY}/metal-installer/${schematicId}:${talosVersion}`;
}

/**
 * The schematic YAML for a set of official extensions (the Schematic resource's `schematic` input).
 * Sorted and de-duplicated, so the same set always gives the same text and the same schematic id,
 * whatever order the config lists them in. An empty set is refused: use VANILLA_SCHEMATIC_ID.
 */
export function schematicYaml(extensions: readonly string[]): string {
  const names = [...new Set(extensions)].sort();
  if (names.length === 0) throw new Error("schematicYaml: no extensions; use the vanilla schematic id instead of building one");
  const invalid = names.find((name) => !isOfficialExtensionName(name));
  if (invalid !== undefined) throw new Error(`expected an official extension name such as "siderolabs/iscsi-tools", got ${JSON.stringify(invalid)}`);
  const items = names.map((name) => `      - ${name}\n`).join("");
  return `customization:\n  systemExtensions:\n    officialExtensions:\n${items}`;
}

/** What the Talos component does for the image: use a pinned or the vanilla id, or build a schematic. */
export type SchematicPlan =
  | { readonly kind: "pinned"; readonly schematicId: string }
  | { readonly kind: "vanilla"; readonly schematicId: string }
  | { readonly kind: "build"; readonly schematic: string };

/**
 * A pinned id wins (the config refuses a pinned id together with extensions); extensions mean a
 * Schematic resource built from schematicYaml; neither means the vanilla schematic, no resource.
 */
export function planSchematic(args: { schematicId?: string; extensions: readonly string[]; vanillaSchematicId: string }): SchematicPlan {
  if (args.schematicId !== undefined) {
    checkSchematicId(args.schematicId);
    return { kind: "pinned", schematicId: args.schematicId };
  }
  if (args.extensions.length > 0) return { kind: "build", schematic: schematicYaml(args.extensions) };
  checkSchematicId(args.vanillaSchematicId);
  return { kind: "vanilla", schematicId: args.vanillaSchematicId };
}
