// Talos Image Factory URLs, built without a network call so preview works offline.

const PXE_HOST = "https://pxe.factory.talos.dev";

/** The iPXE script URL Latitude boots a server from: /pxe/<schematic>/<version>/metal-<arch>. */
export function pxeUrl(schematicId: string, talosVersion: string, architecture: "amd64" | "arm64" = "amd64"): string {
  if (!/^[0-9a-f]{64}$/.test(schematicId)) throw new Error(`expected a 64-character hex Image Factory schematic id, got ${JSON.stringify(schematicId)}`);
  if (!/^v\d+\.\d+\.\d+$/.test(talosVersion)) throw new Error(`expected a Talos version such as v1.13.0, got ${JSON.stringify(talosVersion)}`);
  return `${PXE_HOST}/pxe/${schematicId}/${talosVersion}/metal-${architecture}`;
}
