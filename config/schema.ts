// The stack configuration: declared keys, defaults and the rules that span keys. Pure: the only
// pulumi.Config reads happen in ../config.ts, so this is tested without Pulumi at all.
import { z } from "zod";
import { parseIpv4Cidr } from "./cidr";
import { HOSTNAME_FORMAT, isLatitudeHostname, LATITUDE_HOSTNAME_MAX_LENGTH, nodeHostname } from "./hostname";
import {
  type ConfigIssue,
  type KeyChecker,
  type Result,
  ConfigError,
  FAILED,
  describeIssue,
  expecting,
  fromZodIssues,
  keyPath,
  show,
} from "./issues";
import { CONFIG_DEFAULTS, CONFIG_KEYS, KEY_KINDS, type ConfigKey } from "./keys";
import { checkKubeconfigSource, checkPlatform, type SecretKey } from "./platform";
import { checkInstallDisk, checkTalos, INSTALL_DISK } from "./talos";
import type { InstallDisk, LatitudeConfig, NodeConfig, ProjectConfig, StackConfig, TalosConfig } from "./types";
import { RESERVED_HOSTS } from "./privateIps";
import { VIP_MIN_CONTROL_PLANES, resolveRoles } from "./roles";
import {
  adoptSchema,
  BILLINGS_BY_PROVISIONING_TYPE,
  billingChoices,
  deployTimeoutSchema,
  createSchema,
  githubOrgSchema,
  ipxeUrlSchema,
  JSON_WHAT,
  NODES,
  nodesSchema,
  osSchema,
  PLAN,
  planSchema,
  prefixSchema,
  profileSchema,
  PROJECT,
  SITE,
  siteSchema,
  sshKeysSchema,
  vlanSchema,
} from "./values";

export type * from "./types";
export { ConfigError, type ConfigIssue } from "./issues";
export { nodeHostname } from "./hostname";
export { DEFAULT_VLAN_SUBNET, MAX_NODES } from "./values";
export { DEFAULT_GITHUB_APPS, SECRET_ENV_FALLBACK, SECRET_KEYS, type SecretKey } from "./platform";

export const CONFIG_NAMESPACE = "cto-metal";

export { CONFIG_DEFAULTS, CONFIG_KEYS, type ConfigKey } from "./keys";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

type Problem = ConfigIssue & { readonly key: ConfigKey };

/**
 * Validates the raw `cto-metal:*` values (bare key → Pulumi text or an already-parsed value) and
 * returns the typed configuration, or throws one ConfigError listing every problem.
 * Keys this layer does not declare are ignored; an empty string counts as "not set".
 */
export function parseConfig(
  raw: Record<string, unknown>,
  ctx: { stack: string; project?: string; secrets?: readonly SecretKey[] },
): StackConfig {
  const namespace = ctx.project ?? CONFIG_NAMESPACE;
  const problems: Problem[] = [];
  const report = (key: ConfigKey, segments: readonly PropertyKey[], message: string): void => {
    problems.push({ key, path: keyPath(namespace, key, segments), message });
  };

  const values: Partial<Record<ConfigKey, unknown>> = {};
  const unparseable = new Set<ConfigKey>();
  const defaulted = new Set<ConfigKey>();
  for (const key of CONFIG_KEYS) {
    let decoded = decode(KEY_KINDS[key], raw[key]);
    const fallback = CONFIG_DEFAULTS[key];
    if (decoded.ok && decoded.value === undefined && fallback !== undefined) {
      decoded = decode(KEY_KINDS[key], fallback);
      defaulted.add(key);
    }
    if (decoded.ok) values[key] = decoded.value;
    else unparseable.add(key);
  }

  // Bad JSON is reported when its key is checked, so keys a source ignores never fail a stack.
  const parseable = (key: ConfigKey): boolean => {
    if (!unparseable.has(key)) return true;
    const what = key === "installDisk" ? INSTALL_DISK : (JSON_WHAT[key] ?? "a JSON list");
    report(key, [], `expected ${what}, got ${show(raw[key])} (not valid JSON)`);
    return false;
  };
  const checkAt = <T>(key: ConfigKey, segments: readonly PropertyKey[], value: unknown, schema: z.ZodType<T>): Result<T> => {
    const parsed = schema.safeParse(value, { reportInput: true, error: describeIssue });
    if (parsed.success) return { ok: true, value: parsed.data };
    problems.push(...fromZodIssues(namespace, key, segments, parsed.error.issues).map((i) => ({ ...i, key })));
    return FAILED;
  };
  const check = <T>(key: ConfigKey, schema: z.ZodType<T>): Result<T> =>
    parseable(key) ? checkAt(key, [], values[key], schema) : FAILED;
  const checker: KeyChecker<ConfigKey> = { namespace, value: (key) => values[key], parseable, check, checkAt, report };
  const present = (key: ConfigKey, what: string): boolean => {
    if (unparseable.has(key) || values[key] !== undefined) return true;
    report(key, [], `expected ${what}, got nothing (required when ${namespace}:clusterSource is "latitude")`);
    return false;
  };

  const source = check("clusterSource", z.enum(["latitude", "kubeconfig"]));
  const githubOrg = check("githubOrg", githubOrgSchema.optional());
  // The kubeconfig source has no Latitude layer: its keys are ignored, not validated.
  const latitude = source.ok && source.value === "latitude" ? checkLatitude() : FAILED;
  const talos: Result<TalosConfig> = source.ok && source.value === "latitude" ? checkTalos(checker) : FAILED;
  const profile = check("profile", profileSchema);
  const platform = checkPlatform(checker, {
    profile: profile.ok ? profile.value : "standard",
    githubOrg: githubOrg.ok ? githubOrg.value : undefined,
    secrets: new Set(ctx.secrets ?? []),
  });
  const kubeconfig = source.ok && source.value === "kubeconfig" ? checkKubeconfigSource(checker) : FAILED;
  const stopAfter = check("stopAfter", z.enum(["servers", "talos"], expecting('"servers" or "talos"')).optional());
  // Talos boots over iPXE: servers with another OS can only be rented, not turned into a cluster.
  if (latitude.ok && stopAfter.ok && latitude.value.operatingSystem !== "ipxe" && stopAfter.value !== "servers") {
    report(
      "operatingSystem",
      [],
      `expected "ipxe" for a Talos cluster, got ${show(latitude.value.operatingSystem)}; set ${namespace}:stopAfter to "servers" to rent servers with this OS only`,
    );
  }

  if (problems.length > 0) throw new ConfigError(ctx.stack, orderProblems(problems));
  if (!profile.ok || !platform.ok) throw new Error("parseConfig: a key failed without reporting a problem"); // unreachable
  const base = {
    stack: ctx.stack,
    profile: profile.value,
    platform: platform.value.platform,
    ...(platform.value.gitops && { gitops: platform.value.gitops }),
    ...(githubOrg.ok && githubOrg.value !== undefined && { githubOrg: githubOrg.value }),
    ...(stopAfter.ok && stopAfter.value !== undefined && { stopAfter: stopAfter.value }),
  };
  if (source.ok && source.value === "kubeconfig" && kubeconfig.ok) return { ...base, clusterSource: "kubeconfig", kubeconfig: kubeconfig.value };
  if (source.ok && latitude.ok && talos.ok) {
    return { ...base, clusterSource: "latitude", latitude: latitude.value, talos: talos.value };
  }
  throw new Error("parseConfig: a key failed without reporting a problem"); // unreachable

  function checkLatitude(): Result<LatitudeConfig> {
    const project = present("project", PROJECT) ? checkProject() : FAILED;
    const site = present("site", SITE) ? check("site", siteSchema) : FAILED;
    const plan = present("plan", PLAN) ? check("plan", planSchema) : FAILED;
    const billing = check("billing", z.enum(["hourly", "monthly", "yearly"]));
    const nodes = present("nodes", NODES) ? check("nodes", nodesSchema) : FAILED;
    const prefix = check("hostnamePrefix", prefixSchema);
    const os = check("operatingSystem", osSchema);
    const ipxeUrl = check("ipxeUrl", ipxeUrlSchema.optional());
    const sshKeys = check("sshKeys", sshKeysSchema);
    const vlan = check("vlan", vlanSchema.optional());
    const allowReinstall = check("allowReinstall", z.boolean(expecting("true or false")));
    const deployTimeout = check("deployTimeoutMinutes", deployTimeoutSchema);
    const allowEven = check("allowEvenControlPlanes", z.boolean(expecting("true or false")));

    const nodeDisks = nodes.ok
      ? nodes.value.map((node, i) => checkInstallDisk(checker, "nodes", [i, "installDisk"], node.installDisk))
      : [];

    // Cross-key rules run on whatever parsed, so one run reports as much as possible.
    if (nodes.ok) {
      reportDuplicates("nodes", nodes.value, "node name");
      const controlPlanes = resolveRoles(nodes.value).filter((node) => node.role === "controlplane").length;
      if (controlPlanes === 0) {
        report(
          "nodes",
          [],
          nodes.value.every((node) => node.role === "worker")
            ? `expected at least one node that can be a control plane (role "controlplane" or no role), got only role "worker"`
            : `expected a node with role "controlplane" (a node without a role is a worker once any node has one), got none`,
        );
      } else if (controlPlanes % 2 === 0 && allowEven.ok && !allowEven.value) {
        // etcd needs a majority: 2 members tolerate no loss (like 1), 4 tolerate one (like 3).
        report(
          "nodes",
          [],
          `expected an odd number of control planes (etcd quorum: ${controlPlanes} tolerate no more failures than ${controlPlanes - 1}), ` +
            `got ${controlPlanes}; set ${namespace}:allowEvenControlPlanes to true to run them anyway`,
        );
      }
    }
    if (sshKeys.ok) reportDuplicates("sshKeys", sshKeys.value, "key name");
    if (nodes.ok && prefix.ok) {
      nodes.value.forEach((node, i) => {
        // The config namespace is the Pulumi project.
        const hostname = nodeHostname(prefix.value, namespace, ctx.stack, node.name);
        if (isLatitudeHostname(hostname)) return;
        report(
          "nodes",
          [i, "name"],
          `expected the hostname "${HOSTNAME_FORMAT}" to have at most ${LATITUDE_HOSTNAME_MAX_LENGTH} letters, ` +
            `digits, "-" and "." (starting and ending with a letter or digit), got ${show(hostname)} (${hostname.length} characters)`,
        );
      });
    }
    if (nodes.ok && vlan.ok && vlan.value) {
      const subnet = parseIpv4Cidr(vlan.value.subnet);
      const count = nodes.value.length;
      const controlPlanes = resolveRoles(nodes.value).filter((node) => node.role === "controlplane").length;
      if (subnet.ok && subnet.cidr.usable < count) {
        report(
          "vlan",
          ["subnet"],
          `expected a subnet with at least ${count} usable addresses (one per node), ` +
            `got ${show(vlan.value.subnet)} (${subnet.cidr.usable} usable)`,
        );
      } else if (
        subnet.ok &&
        os.ok &&
        os.value === "ipxe" &&
        controlPlanes >= VIP_MIN_CONTROL_PLANES &&
        subnet.cidr.usable <= RESERVED_HOSTS + count
      ) {
        // Talos (ipxe) control planes share a VIP at the first address; node addresses skip the first
        // RESERVED_HOSTS only when the subnet has room for them and every node.
        report(
          "vlan",
          ["subnet"],
          `expected a subnet with more than ${RESERVED_HOSTS + count} usable addresses (${controlPlanes} control planes ` +
            `share a Talos VIP: the first ${RESERVED_HOSTS} stay free, then one per node), ` +
            `got ${show(vlan.value.subnet)} (${subnet.cidr.usable} usable)`,
        );
      }
    }
    if (nodes.ok && vlan.ok && vlan.value === undefined) {
      nodes.value.forEach((node, i) => {
        if (node.vlanParent === undefined) return;
        report("nodes", [i, "vlanParent"], `expected no vlanParent because ${namespace}:vlan is not set (it names the card the VLAN rides on), got ${show(Object.values(node.vlanParent)[0])}`);
      });
    }
    // Latitude bills servers of reserved projects yearly and of on-demand projects hourly or monthly.
    // An adopted project's type is unknown here: the catalogue check compares it at preview
    // (components/fleet/catalogueCheck.ts), before any server is bought.
    if (billing.ok && project.ok && project.value.kind === "create") {
      const type = `${namespace}:project.provisioningType`;
      const given = defaulted.has("billing") ? `nothing (the default is "${billing.value}")` : show(billing.value);
      const provisioning = project.value.provisioningType;
      const accepted = BILLINGS_BY_PROVISIONING_TYPE[provisioning];
      if (!accepted.includes(billing.value)) {
        const hint = provisioning === "on_demand" ? ' (yearly needs "reserved")' : "";
        report("billing", [], `expected ${billingChoices(accepted)} because ${type} is "${provisioning}"${hint}, got ${given}`);
      }
    }
    if (os.ok && ipxeUrl.ok && ipxeUrl.value !== undefined && os.value !== "ipxe") {
      report(
        "ipxeUrl",
        [],
        `expected no iPXE URL because ${namespace}:operatingSystem is ${show(os.value)} (it only applies to "ipxe"), ` +
          `got ${show(ipxeUrl.value)}`,
      );
    }

    if (!(project.ok && site.ok && plan.ok && billing.ok && nodes.ok && prefix.ok && os.ok)) return FAILED;
    if (!(ipxeUrl.ok && sshKeys.ok && vlan.ok && allowReinstall.ok && deployTimeout.ok)) return FAILED;
    const disks: (InstallDisk | undefined)[] = [];
    for (const disk of nodeDisks) {
      if (!disk.ok) return FAILED;
      disks.push(disk.value);
    }
    const nodeConfigs = nodes.value.map((node, i): NodeConfig => {
      const installDisk = disks[i];
      return {
        name: node.name,
        ...(node.role !== undefined && { role: node.role }),
        plan: node.plan ?? plan.value,
        hostname: nodeHostname(prefix.value, namespace, ctx.stack, node.name),
        allowReplace: node.allowReplace ?? false,
        ...(installDisk !== undefined && { installDisk }),
        ...(node.vlanParent !== undefined && { vlanParent: node.vlanParent }),
      };
    });
    return {
      ok: true,
      value: {
        project: project.value,
        site: site.value,
        plan: plan.value,
        billing: billing.value,
        nodes: nodeConfigs,
        hostnamePrefix: prefix.value,
        operatingSystem: os.value,
        ...(ipxeUrl.value !== undefined && { ipxeUrl: ipxeUrl.value }),
        sshKeys: sshKeys.value,
        ...(vlan.value !== undefined && { vlan: vlan.value }),
        allowReinstall: allowReinstall.value,
        deployTimeoutMinutes: deployTimeout.value,
      },
    };
  }

  function reportDuplicates(key: ConfigKey, items: readonly { name: string }[], what: string): void {
    const firstUse = new Map<string, number>();
    items.forEach(({ name }, i) => {
      const first = firstUse.get(name);
      if (first === undefined) firstUse.set(name, i);
      else
        report(
          key,
          [i, "name"],
          `expected a unique ${what}, got ${show(name)} again (first used by ${keyPath(namespace, key, [first])})`,
        );
    });
  }

  // The project key has two shapes, told apart by the identifying property present.
  function checkProject(): Result<ProjectConfig> {
    if (!parseable("project")) return FAILED;
    const value = values.project;
    if (isRecord(value) && "slug" in value && "name" in value) {
      report(
        "project",
        [],
        `expected either "slug" (adopt an existing project) or "name" (create one), not both, got ${show(value)}`,
      );
      return FAILED;
    }
    if (isRecord(value) && "slug" in value) return check("project", adoptSchema);
    if (isRecord(value) && "name" in value) return check("project", createSchema);
    report("project", [], `expected ${PROJECT}, got ${show(value)}`);
    return FAILED;
  }
}

/** Key declaration order, then the order found; identical lines once. */
function orderProblems(problems: readonly Problem[]): ConfigIssue[] {
  const seen = new Set<string>();
  return [...problems]
    .sort((a, b) => CONFIG_KEYS.indexOf(a.key) - CONFIG_KEYS.indexOf(b.key))
    .filter((p) => {
      const line = `${p.path}: ${p.message}`;
      if (seen.has(line)) return false;
      seen.add(line);
      return true;
    })
    .map(({ path, message }) => ({ path, message }));
}

function decode(kind: (typeof KEY_KINDS)[ConfigKey], value: unknown): Result<unknown> {
  if (value === undefined || value === null) return { ok: true, value: undefined };
  if (typeof value !== "string") return { ok: true, value };
  // Pulumi.yaml declares optional keys with default "": a declared key without one is mandatory.
  if (value.trim() === "") return { ok: true, value: undefined };
  if (kind === "string") return { ok: true, value };
  if (kind === "text-or-json" && !/^\s*[[{"]/.test(value)) return { ok: true, value };
  if (kind === "boolean") return { ok: true, value: value === "true" ? true : value === "false" ? false : value };
  try {
    return { ok: true, value: (JSON.parse(value) as unknown) ?? undefined };
  } catch {
    return FAILED;
  }
}
