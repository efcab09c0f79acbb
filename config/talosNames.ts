// The shapes of names a Talos config refers to, checked when config is read and again where the
// patch is written: official extension names and the three ways to name a network card.

/** `<vendor>/<name>`, lower case, as the Image Factory lists official extensions. */
const EXTENSION_NAME = /^[a-z0-9]+(-[a-z0-9]+)*\/[a-z0-9]+([._-][a-z0-9]+)*$/;

/** Whether `name` has the form of an official extension name, e.g. "siderolabs/iscsi-tools". */
export function isOfficialExtensionName(name: string): boolean {
  return name.length <= 128 && EXTENSION_NAME.test(name);
}

export const MAC_ADDRESS = /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/i;
/** A PCI address as Talos reports `busPath`, e.g. "0000:01:00.1". */
export const PCI_BUS_PATH = /^[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]$/i;
/** A Linux link name: at most 15 characters, no "/" or whitespace. */
export const LINK_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,14}$/;
