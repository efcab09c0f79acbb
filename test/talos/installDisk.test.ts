// Tier 1: the install disk per node — config first, then the default by plan.
import { describe, expect, it } from "vitest";
import { defaultInstallDisk, NVME_INSTALL_DISK, resolveInstallDisk, SATA_INSTALL_DISK } from "../../components/talos/installDisk";

describe("defaultInstallDisk", () => {
  it("installs on the first NVMe namespace when every drive of the plan is NVMe", () => {
    expect(defaultInstallDisk(["NVME"])).toStrictEqual({ disk: "/dev/nvme0n1" });
    expect(defaultInstallDisk(["NVME", "NVME"])).toStrictEqual({ disk: NVME_INSTALL_DISK });
    expect(defaultInstallDisk([" nvme "])).toStrictEqual({ disk: "/dev/nvme0n1" });
  });

  it("keeps /dev/sda for SATA/SAS plans, mixed plans and unknown specs", () => {
    expect(defaultInstallDisk(["SSD"])).toStrictEqual({ disk: "/dev/sda" });
    expect(defaultInstallDisk(["HDD", "HDD"])).toStrictEqual({ disk: SATA_INSTALL_DISK });
    expect(defaultInstallDisk(["SSD", "NVME"])).toStrictEqual({ disk: "/dev/sda" });
    expect(defaultInstallDisk([])).toStrictEqual({ disk: "/dev/sda" });
  });
});

describe("resolveInstallDisk", () => {
  const selector = { diskSelector: { size: ">= 900GB", type: "nvme" as const } };

  it("prefers the node's own setting over the stack's and the plan's", () => {
    expect(resolveInstallDisk({ node: { disk: "/dev/nvme1n1" }, stack: selector, driveTypes: ["SSD"] })).toStrictEqual({
      disk: "/dev/nvme1n1",
    });
  });

  it("uses the stack-wide setting for a node without one", () => {
    expect(resolveInstallDisk({ stack: selector, driveTypes: ["SSD"] })).toStrictEqual({
      diskSelector: { size: ">= 900GB", type: "nvme" },
    });
  });

  it("falls back to the default by plan", () => {
    expect(resolveInstallDisk({ driveTypes: ["NVME", "NVME"] })).toStrictEqual({ disk: "/dev/nvme0n1" });
    expect(resolveInstallDisk({ driveTypes: ["HDD"] })).toStrictEqual({ disk: "/dev/sda" });
  });
});
