// Which disk Talos installs itself on. Talos' own default, /dev/sda, does not exist on a server
// whose drives are all NVMe: the install fails and the node stays in maintenance mode, so the
// default follows the plan's drives instead, and the config can always say exactly.
import type { InstallDisk } from "../../config/types";

export type { DiskSelector, DiskType, InstallDisk } from "../../config/types";

/** The first NVMe namespace of the first controller. */
export const NVME_INSTALL_DISK = "/dev/nvme0n1";
/** The first SATA/SAS disk, Talos' own default. */
export const SATA_INSTALL_DISK = "/dev/sda";

/**
 * The default by plan, from the plan's `specs.drives[].type` values (Latitude: "NVME", "SSD", "HDD").
 * Only a plan whose drives are all NVMe installs on /dev/nvme0n1. A plan that mixes NVMe with
 * SATA/SAS drives keeps /dev/sda: such plans carry the system on the SATA pair and the NVMe drives
 * for data. A plan with no drive list (unknown specs) also gets /dev/sda; set `installDisk` when
 * that is wrong.
 */
export function defaultInstallDisk(driveTypes: readonly string[]): InstallDisk {
  const allNvme = driveTypes.length > 0 && driveTypes.every((type) => type.trim().toUpperCase() === "NVME");
  return { disk: allNvme ? NVME_INSTALL_DISK : SATA_INSTALL_DISK };
}

export interface InstallDiskChoice {
  /** The node's own `installDisk` from `nodes[]`. */
  readonly node?: InstallDisk;
  /** The stack-wide `cto-metal:installDisk`. */
  readonly stack?: InstallDisk;
  /** Drive types of the node's plan. */
  readonly driveTypes: readonly string[];
}

/** The node's own setting wins, then the stack-wide one, then the default by plan. */
export function resolveInstallDisk(choice: InstallDiskChoice): InstallDisk {
  return choice.node ?? choice.stack ?? defaultInstallDisk(choice.driveTypes);
}
