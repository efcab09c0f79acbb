// Tier 1: Image Factory URLs, installer image and schematics, built offline.
import { describe, expect, it } from "vitest";
import { isOfficialExtensionName } from "../../config/talosNames";
import { installerImage, planSchematic, pxeUrl, schematicYaml } from "../../components/talos/imageFactory";

const ID = "376567988ad370138ad8b2698212367b8edcb69b5fd68c80be1f2ec7d603b4ba";
const OTHER_ID = "ce4c980550dd2ab1b17bbf2b08801c7eb59418eafe8f279833297925d67c7515";

describe("installerImage", () => {
  it("is the factory's metal installer for the schematic, tagged with the Talos version", () => {
    expect(installerImage(ID, "v1.13.0")).toBe(
      "factory.talos.dev/metal-installer/376567988ad370138ad8b2698212367b8edcb69b5fd68c80be1f2ec7d603b4ba:v1.13.0",
    );
    expect(installerImage(OTHER_ID, "v1.13.2")).toBe(`factory.talos.dev/metal-installer/${OTHER_ID}:v1.13.2`);
  });

  it("refuses a malformed schematic id or version, as pxeUrl does", () => {
    expect(() => installerImage("abc", "v1.13.0")).toThrow('expected a 64-character hex Image Factory schematic id, got "abc"');
    expect(() => installerImage(ID, "1.13.0")).toThrow('expected a Talos version such as v1.13.0, got "1.13.0"');
  });
});

describe("pxeUrl", () => {
  it("keeps its format", () => {
    expect(pxeUrl(ID, "v1.13.0")).toBe(`https://pxe.factory.talos.dev/pxe/${ID}/v1.13.0/metal-amd64`);
    expect(pxeUrl(ID, "v1.13.0", "arm64")).toBe(`https://pxe.factory.talos.dev/pxe/${ID}/v1.13.0/metal-arm64`);
  });
});

describe("schematicYaml", () => {
  it("lists the official extensions sorted and once each", () => {
    expect(schematicYaml(["siderolabs/nvidia-open-gpu-kernel-modules-production", "siderolabs/iscsi-tools", "siderolabs/iscsi-tools"])).toBe(
      [
        "customization:",
        "  systemExtensions:",
        "    officialExtensions:",
        "      - siderolabs/iscsi-tools",
        "      - siderolabs/nvidia-open-gpu-kernel-modules-production",
        "",
      ].join("\n"),
    );
  });

  it("gives the same text whatever the order", () => {
    const a = ["siderolabs/intel-ucode", "siderolabs/util-linux-tools", "siderolabs/iscsi-tools"];
    expect(schematicYaml(a)).toBe(schematicYaml([...a].reverse()));
  });

  it("refuses an empty set and a name that is not an official extension name", () => {
    expect(() => schematicYaml([])).toThrow("schematicYaml: no extensions; use the vanilla schematic id instead of building one");
    expect(() => schematicYaml(["siderolabs/iscsi-tools", "iscsi-tools: x"])).toThrow(
      'expected an official extension name such as "siderolabs/iscsi-tools", got "iscsi-tools: x"',
    );
  });

  it("recognises official extension names", () => {
    expect(isOfficialExtensionName("siderolabs/nvidia-container-toolkit-lts")).toBe(true);
    expect(isOfficialExtensionName("siderolabs/v4l-uvc-drivers")).toBe(true);
    expect(isOfficialExtensionName("siderolabs/")).toBe(false);
    expect(isOfficialExtensionName("Siderolabs/iscsi-tools")).toBe(false);
    expect(isOfficialExtensionName("siderolabs/iscsi-tools\n- evil")).toBe(false);
  });
});

describe("planSchematic", () => {
  it("uses a pinned id as it is", () => {
    expect(planSchematic({ schematicId: OTHER_ID, extensions: [], vanillaSchematicId: ID })).toStrictEqual({
      kind: "pinned",
      schematicId: OTHER_ID,
    });
  });

  it("builds a schematic from extensions", () => {
    expect(planSchematic({ extensions: ["siderolabs/iscsi-tools"], vanillaSchematicId: ID })).toStrictEqual({
      kind: "build",
      schematic: "customization:\n  systemExtensions:\n    officialExtensions:\n      - siderolabs/iscsi-tools\n",
    });
  });

  it("uses the vanilla schematic when there is nothing to customise", () => {
    expect(planSchematic({ extensions: [], vanillaSchematicId: ID })).toStrictEqual({ kind: "vanilla", schematicId: ID });
  });
});
