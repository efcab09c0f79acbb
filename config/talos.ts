// The Talos keys of the latitude source: their value schemas, wording and cross-key rules.
import { z } from "zod";
import {
  type KeyChecker,
  type Result,
  FAILED,
  expecting,
  expectingList,
  keyPath,
  show,
  strictObjectError,
} from "./issues";
import type { InstallDisk, TalosConfig } from "./types";
import { nodeNameSchema } from "./values";
import { isOfficialExtensionName } from "./talosNames";
import { KUBERNETES_VERSION, SUPPORTED_KUBERNETES_MINORS, TALOS_VERSION } from "../versions";

export type TalosKey =
  | "clusterName"
  | "clusterEndpoint"
  | "kubernetesVersion"
  | "installDisk"
  | "talosExtensions"
  | "schematicId"
  | "outputDir"
  | "allowControlPlaneRemoval"
  | "allowEndpointChange";

export const INSTALL_DISK = 'a device path such as "/dev/nvme0n1" or a selector such as {"size": ">= 100GB"}';

const CLUSTER_NAME =
  'a cluster name of at most 63 lower-case letters, digits and "-", starting and ending with a letter or digit';
export const clusterNameSchema = z
  .string(expecting(CLUSTER_NAME))
  .max(63, expecting(CLUSTER_NAME))
  .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, expecting(CLUSTER_NAME));

const ENDPOINT = 'a DNS name or an IPv4 address, without scheme or port (e.g. "k8s.example.com")';
export const clusterEndpointSchema = z
  .string(expecting(ENDPOINT))
  .refine((host) => isIpv4(host) || isDnsName(host), expecting(ENDPOINT))
  .transform((host) => host.toLowerCase());

const talosMinor = TALOS_VERSION.replace(/\.\d+$/, "");
const { min, max } = SUPPORTED_KUBERNETES_MINORS;
const K8S_VERSION = `a Kubernetes version such as "${KUBERNETES_VERSION}" from v1.${min} to v1.${max} (what Talos ${talosMinor} supports)`;
export const kubernetesVersionSchema = z.string(expecting(K8S_VERSION)).refine((version) => {
  const minor = /^v1\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/.exec(version)?.[1];
  return minor !== undefined && Number(minor) >= min && Number(minor) <= max;
}, expecting(K8S_VERSION));

const DISK_PATH = 'a device path under /dev such as "/dev/nvme0n1" or "/dev/disk/by-id/..."';
const diskPathSchema = z
  .string(expecting(DISK_PATH))
  .max(255, expecting(DISK_PATH))
  .regex(/^\/dev\/(?!.*\.\.)[A-Za-z0-9_][A-Za-z0-9_.:+/-]*$/, expecting(DISK_PATH))
  .transform((disk): InstallDisk => ({ disk }));

// Talos reads the size with an optional comparison and a humanized byte count.
const SIZE = 'a disk size such as "480GB", ">= 100GB" or "<= 2TB"';
const MODEL = 'a disk model of 1 to 64 characters ("*" matches any text), e.g. "Samsung*"';
const diskSelectorSchema = z
  .strictObject(
    {
      size: z
        .string(expecting(SIZE))
        .regex(/^(>=|<=|>|<|==)?\s*\d+(\.\d+)?\s*([kmgtp]i?)?b$/i, expecting(SIZE))
        .optional(),
      model: z
        .string(expecting(MODEL))
        .min(1, expecting(MODEL))
        .max(64, expecting(MODEL))
        .regex(/^\S(.*\S)?$/, expecting(MODEL))
        .optional(),
      type: z.enum(["ssd", "hdd", "nvme", "sd"]).optional(),
    },
    strictObjectError(["size", "model", "type"]),
  )
  .refine((selector) => Object.keys(selector).length > 0, {
    error: (iss) => `expected at least one of "size", "model" or "type", got ${show(iss.input)}`,
  })
  .transform((selector): InstallDisk => ({ diskSelector: selector }));

const EXTENSION = 'an official extension name "<vendor>/<name>" in lower case, e.g. "siderolabs/iscsi-tools"';
export const extensionsSchema = z.array(
  z.string(expecting(EXTENSION)).refine(isOfficialExtensionName, expecting(EXTENSION)),
  expectingList('a list of official extension names such as ["siderolabs/iscsi-tools"]'),
);

const SCHEMATIC = "an Image Factory schematic id (64 lower-case hexadecimal characters)";
export const schematicIdSchema = z.string(expecting(SCHEMATIC)).regex(/^[0-9a-f]{64}$/, expecting(SCHEMATIC));

const OUTPUT_DIR = "a directory path, absolute or relative to the project, without surrounding spaces";
export const outputDirSchema = z
  .string(expecting(OUTPUT_DIR))
  .max(1024, expecting(OUTPUT_DIR))
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  .regex(/^(?!\s)[^\u0000-\u001f\u007f]*(?<!\s)$/, expecting(OUTPUT_DIR));

/** A stack-wide or per-node install disk: a /dev path (text) or a selector object. */
export function checkInstallDisk<K extends string>(
  checker: KeyChecker<K>,
  key: K,
  segments: readonly PropertyKey[],
  value: unknown,
): Result<InstallDisk | undefined> {
  if (value === undefined) return { ok: true, value: undefined };
  if (typeof value === "string") return checker.checkAt(key, segments, value, diskPathSchema);
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    return checker.checkAt(key, segments, value, diskSelectorSchema);
  }
  checker.report(key, segments, `expected ${INSTALL_DISK}, got ${show(value)}`);
  return FAILED;
}

/** The Talos section of the latitude source; every problem is reported through the checker. */
export function checkTalos(checker: KeyChecker<TalosKey>): Result<TalosConfig> {
  const clusterName = checker.check("clusterName", clusterNameSchema);
  const endpoint = checker.check("clusterEndpoint", clusterEndpointSchema.optional());
  const k8s = checker.check("kubernetesVersion", kubernetesVersionSchema.optional());
  const installDisk = checker.parseable("installDisk")
    ? checkInstallDisk(checker, "installDisk", [], checker.value("installDisk"))
    : FAILED;
  const extensions = checker.check("talosExtensions", extensionsSchema);
  const schematicId = checker.check("schematicId", schematicIdSchema.optional());
  const outputDir = checker.check("outputDir", outputDirSchema.optional());
  const allowRemoval = checker.check(
    "allowControlPlaneRemoval",
    z.array(nodeNameSchema, expectingList('a list of node names such as ["cp3"]')),
  );
  const allowEndpointChange = checker.check("allowEndpointChange", z.boolean(expecting("true or false")));

  if (extensions.ok) {
    const firstUse = new Map<string, number>();
    extensions.value.forEach((name, i) => {
      const first = firstUse.get(name);
      if (first === undefined) firstUse.set(name, i);
      else
        checker.report(
          "talosExtensions",
          [i],
          `expected each extension once, got ${show(name)} again (first at ${keyPath(checker.namespace, "talosExtensions", [first])})`,
        );
    });
  }
  // A pinned id says which image to boot; extensions say what to build. Both at once would leave
  // the extensions silently unused whenever the pinned schematic lacks them.
  if (extensions.ok && extensions.value.length > 0 && schematicId.ok && schematicId.value !== undefined) {
    checker.report(
      "schematicId",
      [],
      `expected no pinned schematic id while ${checker.namespace}:talosExtensions is set ` +
        `(the program builds the schematic from the extensions), got ${show(schematicId.value)}`,
    );
    return FAILED;
  }

  if (!(clusterName.ok && endpoint.ok && k8s.ok && installDisk.ok && extensions.ok && schematicId.ok && outputDir.ok && allowRemoval.ok && allowEndpointChange.ok)) {
    return FAILED;
  }
  return {
    ok: true,
    value: {
      clusterName: clusterName.value,
      ...(endpoint.value !== undefined && { clusterEndpoint: endpoint.value }),
      kubernetesVersion: k8s.value ?? KUBERNETES_VERSION,
      ...(installDisk.value !== undefined && { installDisk: installDisk.value }),
      extensions: extensions.value,
      ...(schematicId.value !== undefined && { schematicId: schematicId.value }),
      ...(outputDir.value !== undefined && { outputDir: outputDir.value }),
      allowControlPlaneRemoval: allowRemoval.value,
      allowEndpointChange: allowEndpointChange.value,
    },
  };
}

function isIpv4(text: string): boolean {
  return /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/.test(text);
}

/** RFC 1123 host name; the last label is not all digits, so a mistyped IPv4 is not a name. */
function isDnsName(text: string): boolean {
  if (text.length > 253) return false;
  const labels = text.split(".");
  const label = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
  return labels.every((l) => label.test(l)) && !/^\d+$/.test(labels[labels.length - 1] ?? "");
}
