// The hand-written talos plugin binding: exact tokens, inputs, declared outputs and secrets under
// Pulumi mocks, plus the option merging as a pure function. Mocks never load the plugin; the
// mock monitor is wrapped to also record the plugin pin each request carries.
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import * as talos from "../../providers/talos";
import { BOOTSTRAP_TYPE } from "../../providers/talos/bootstrap";
import { GET_CLIENT_CONFIGURATION_TOKEN } from "../../providers/talos/clientConfiguration";
import { CONFIGURATION_APPLY_TYPE } from "../../providers/talos/configurationApply";
import { GET_HEALTH_TOKEN } from "../../providers/talos/health";
import { GET_URLS_TOKEN, SCHEMATIC_TYPE } from "../../providers/talos/imageFactory";
import { KUBECONFIG_TYPE } from "../../providers/talos/kubeconfig";
import { GET_MACHINE_CONFIGURATION_TOKEN } from "../../providers/talos/machineConfiguration";
import { SECRETS_TYPE } from "../../providers/talos/machineSecrets";
import { secretInput } from "../../providers/talos/pluginOptions";

const PIN = { version: "0.8.1", pluginDownloadURL: "github://api.github.com/pulumiverse" };
const SCHEMATIC_ID = "376567988ad370138ad8b2698212367b8edcb69b5fd68c80be1f2ec7d603b4ba";
const CLIENT: talos.ClientConfiguration = { caCertificate: "Y2E=", clientCertificate: "Y2VydA==", clientKey: "a2V5" };
const cert = (n: string) => ({ cert: `${n}-cert`, key: `${n}-key` });
const MACHINE_SECRETS: talos.MachineSecrets = {
  certs: { etcd: cert("etcd"), k8s: cert("k8s"), k8sAggregator: cert("agg"), k8sServiceaccount: { key: "sa-key" }, os: cert("os") },
  cluster: { id: "cluster-id", secret: "cluster-secret" },
  secrets: { bootstrapToken: "abc.def", secretboxEncryptionSecret: "box" },
  trustdinfo: { token: "trustd" },
};

type Props = Record<string, unknown>;
interface Registration {
  type: string;
  name: string;
  inputs: Props;
  state: Props;
}
interface Call {
  token: string;
  inputs: Props;
}
/** What the engine would see besides the properties: the plugin pin and option lists. */
interface RequestOptions {
  token: string;
  version: string;
  pluginDownloadURL: string;
  additionalSecretOutputs?: string[];
  protect?: boolean;
}
const registrations: Registration[] = [];
const calls: Call[] = [];
const resourceRequests = new Map<string, RequestOptions>();
const invokeRequests: RequestOptions[] = [];

/** Outputs the plugin would add for each resource type (unknown types fail the registration). */
function resourceOutputs(type: string, inputs: Props): Props {
  const endpoint = inputs["endpoint"] ?? inputs["node"];
  switch (type) {
    case SECRETS_TYPE:
      // An empty aescbc secret, as state from a Talos >= 1.3 contract can hold, must not reach getConfiguration.
      return { talosVersion: inputs["talosVersion"] ?? "v1.13", machineSecrets: { ...MACHINE_SECRETS, secrets: { ...MACHINE_SECRETS.secrets, aescbcEncryptionSecret: "" } }, clientConfiguration: CLIENT };
    case CONFIGURATION_APPLY_TYPE:
      return { endpoint, applyMode: inputs["applyMode"] ?? "auto", machineConfiguration: "rendered: yes", machineConfigurationHash: "sha256-abc", resolvedApplyMode: "auto" };
    case BOOTSTRAP_TYPE:
      return { endpoint };
    case KUBECONFIG_TYPE:
      return { endpoint, certificateRenewalDuration: inputs["certificateRenewalDuration"] ?? "720h", kubeconfigRaw: "apiVersion: v1", kubernetesClientConfiguration: { host: "https://10.0.0.10:6443", ...CLIENT } };
    case SCHEMATIC_TYPE:
      return {};
    default:
      throw new Error(`unexpected resource type ${type}`);
  }
}

/** Results the plugin would return for each function token (unknown tokens fail the invoke). */
function callResult(token: string, inputs: Props): Props {
  switch (token) {
    case GET_MACHINE_CONFIGURATION_TOKEN:
      return { id: inputs["clusterName"], machineConfiguration: `machine:\n  type: ${String(inputs["machineType"])}` };
    case GET_CLIENT_CONFIGURATION_TOKEN:
      return { id: inputs["clusterName"], talosConfig: "context: cto" };
    case GET_HEALTH_TOKEN:
      return { id: "healthy" };
    case GET_URLS_TOKEN: {
      const [id, version, arch] = [String(inputs["schematicId"]), String(inputs["talosVersion"]), typeof inputs["architecture"] === "string" ? inputs["architecture"] : "amd64"];
      const image = `https://factory.talos.dev/image/${id}/${version}`;
      const urls = { installer: `factory.talos.dev/metal-installer/${id}:${version}`, installerSecureboot: "", iso: `${image}/metal-${arch}.iso`, isoSecureboot: "", diskImage: `${image}/metal-${arch}.raw.zst`, diskImageSecureboot: "", pxe: `https://pxe.factory.talos.dev/pxe/${id}/${version}/metal-${arch}`, kernel: `${image}/kernel-${arch}`, kernelCommandLine: `${image}/cmdline-metal-${arch}`, initramfs: `${image}/initramfs-${arch}.xz`, uki: "" };
      return { id: `${id}-${version}`, architecture: arch, urls };
    }
    default:
      throw new Error(`unexpected invoke ${token}`);
  }
}

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getVersion(): string;
  getPlugindownloadurl(): string;
  getAdditionalsecretoutputsList(): string[];
  getProtect(): boolean;
}
interface InvokeRequest {
  getTok(): string;
  getVersion(): string;
  getPlugindownloadurl(): string;
}
interface PatchableMonitor {
  registerResource(req: RegisterRequest, callback: unknown): unknown;
  invoke(req: InvokeRequest, callback: unknown): unknown;
}

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        const inputs = args.inputs as Props;
        const state = { ...inputs, ...resourceOutputs(args.type, inputs) };
        registrations.push({ type: args.type, name: args.name, inputs, state });
        return { id: args.type === SCHEMATIC_TYPE ? SCHEMATIC_ID : `${args.name}-id`, state };
      },
      call: (args) => {
        calls.push({ token: args.token, inputs: args.inputs as Props });
        return { ...(args.inputs as Props), ...callResult(args.token, args.inputs as Props) };
      },
    },
    "cto-metal",
    "talos-test",
  );
  // Mocks drop resource options; the monitor still receives them in the request, so record them there.
  const monitor = pulumi.runtime.getMonitor() as unknown as PatchableMonitor;
  const register = monitor.registerResource.bind(monitor);
  const invoke = monitor.invoke.bind(monitor);
  monitor.registerResource = (req, callback) => {
    resourceRequests.set(req.getName(), { token: req.getType(), version: req.getVersion(), pluginDownloadURL: req.getPlugindownloadurl(), additionalSecretOutputs: req.getAdditionalsecretoutputsList(), protect: req.getProtect() });
    return register(req, callback);
  };
  monitor.invoke = (req, callback) => {
    invokeRequests.push({ token: req.getTok(), version: req.getVersion(), pluginDownloadURL: req.getPlugindownloadurl() });
    return invoke(req, callback);
  };
});

const value = <T>(output: pulumi.Output<T>): Promise<T> => new Promise((resolve) => output.apply(resolve));
const isSecretWrapped = (v: unknown): boolean => typeof v === "object" && v !== null && (v as Props)[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig;
/** Mock inputs keep secret markers ({sig, value}); strip them to compare values. */
function plain(v: unknown): unknown {
  if (isSecretWrapped(v)) return plain((v as Props)["value"]);
  if (Array.isArray(v)) return v.map(plain);
  if (typeof v === "object" && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

/** Waits for the registration (the URN resolves after it) and checks each declared output is an Output resolving to the mock state. */
async function registered(resource: pulumi.CustomResource, name: string, outputKeys: string[]): Promise<Registration> {
  await value(resource.urn);
  const reg = registrations.find((r) => r.name === name);
  if (!reg) throw new Error(`no registration for ${name}`);
  for (const key of outputKeys) {
    const out = (resource as unknown as Record<string, unknown>)[key];
    expect(pulumi.Output.isInstance(out), `${name}.${key} is declared and passed in props`).toBe(true);
    expect(plain(await value(out as pulumi.Output<unknown>)), `${name}.${key}`).toEqual(plain(reg.state[key]));
  }
  return reg;
}

describe("plugin options (pure)", () => {
  it("pins the plugin version and download server on resources, without secret outputs by default", () => {
    expect(talos.TALOS_PLUGIN).toEqual(PIN);
    expect(talos.talosResourceOptions(undefined)).toEqual(PIN);
  });

  it("adds additionalSecretOutputs and keeps the caller's other options", () => {
    const opts = talos.talosResourceOptions({ protect: true, ignoreChanges: ["talosVersion"] }, ["machineSecrets", "clientConfiguration"]);
    expect(opts).toMatchObject({ ...PIN, protect: true, ignoreChanges: ["talosVersion"], additionalSecretOutputs: ["machineSecrets", "clientConfiguration"] });
  });

  it("lets the caller's options win: version and server replaced, secret outputs appended", () => {
    const opts = talos.talosResourceOptions({ version: "0.9.0", pluginDownloadURL: "github://mirror", additionalSecretOutputs: ["node"] }, ["kubeconfigRaw"]);
    expect(opts).toEqual({ version: "0.9.0", pluginDownloadURL: "github://mirror", additionalSecretOutputs: ["kubeconfigRaw", "node"] });
  });

  it("does not let an explicitly undefined option unpin the plugin", () => {
    expect(talos.talosResourceOptions({ version: undefined, pluginDownloadURL: undefined })).toEqual(PIN);
    expect(talos.talosInvokeOptions({ version: undefined })).toEqual(PIN);
  });

  it("pins invokes and keeps the caller's invoke options, which win", () => {
    expect(talos.talosInvokeOptions()).toEqual(PIN);
    const dependsOn: pulumi.Resource[] = [];
    expect(talos.talosInvokeOptions({ dependsOn, version: "0.9.0" })).toEqual({ ...PIN, version: "0.9.0", dependsOn });
  });

  it("never mutates the shared pin", () => {
    talos.talosResourceOptions({ version: "1.0.0" }, ["x"]);
    expect(talos.TALOS_PLUGIN).toEqual(PIN);
  });
});

describe("normalizeMachineSecrets (pure)", () => {
  it("keeps exactly the schema's keys and drops an empty aescbc secret", () => {
    const noisy = { ...MACHINE_SECRETS, extra: 1, secrets: { ...MACHINE_SECRETS.secrets, aescbcEncryptionSecret: "" }, cluster: { ...MACHINE_SECRETS.cluster, stray: true } };
    expect(talos.normalizeMachineSecrets(noisy as talos.MachineSecrets)).toEqual(MACHINE_SECRETS);
  });

  it("keeps an aescbc secret that is present (Talos < 1.3 contracts)", () => {
    const old = { ...MACHINE_SECRETS, secrets: { ...MACHINE_SECRETS.secrets, aescbcEncryptionSecret: "aescbc" } };
    expect(talos.normalizeMachineSecrets(old).secrets.aescbcEncryptionSecret).toBe("aescbc");
  });
});

describe("secretInput (pure)", () => {
  it("leaves undefined alone and wraps a value as a secret", async () => {
    expect(secretInput(undefined)).toBeUndefined();
    const out = secretInput("x");
    expect(out && (await pulumi.isSecret(out))).toBe(true);
  });
});

describe("resources under mocks", { timeout: 10_000 }, () => {
  it("Secrets: token, talosVersion, secret outputs and the caller's protect", async () => {
    const secrets = new talos.machine.Secrets("cto-secrets", { talosVersion: "v1.13" }, { protect: true });
    const reg = await registered(secrets, "cto-secrets", ["talosVersion", "machineSecrets", "clientConfiguration"]);
    expect(reg.type).toBe("talos:machine/secrets:Secrets");
    expect(reg.inputs).toEqual({ talosVersion: "v1.13" });
    expect(resourceRequests.get("cto-secrets")).toEqual({ token: SECRETS_TYPE, ...PIN, additionalSecretOutputs: ["machineSecrets", "clientConfiguration"], protect: true });
  });

  it("ConfigurationApply: token, exact inputs with secret config and credentials, every output", async () => {
    const apply = new talos.machine.ConfigurationApply("cto-cp1-apply", {
      node: "10.0.0.11",
      clientConfiguration: CLIENT,
      machineConfigurationInput: "version: v1alpha1",
      configPatches: ["machine:\n  network:\n    hostname: cp1"],
      applyMode: "staged_if_needing_reboot",
      onDestroy: { reset: true, graceful: false, reboot: true },
      timeouts: { create: "20m", update: "15m" },
    });
    const reg = await registered(apply, "cto-cp1-apply", ["node", "endpoint", "clientConfiguration", "machineConfigurationInput", "configPatches", "applyMode", "onDestroy", "timeouts", "machineConfiguration", "machineConfigurationHash", "resolvedApplyMode"]);
    expect(reg.type).toBe("talos:machine/configurationApply:ConfigurationApply");
    expect(plain(reg.inputs)).toEqual({
      node: "10.0.0.11",
      clientConfiguration: CLIENT,
      machineConfigurationInput: "version: v1alpha1",
      configPatches: ["machine:\n  network:\n    hostname: cp1"],
      applyMode: "staged_if_needing_reboot",
      onDestroy: { reset: true, graceful: false, reboot: true },
      timeouts: { create: "20m", update: "15m" },
    });
    // Plain values in, secrets on the wire: the binding wraps them as the generated SDK does.
    expect(isSecretWrapped(reg.inputs["machineConfigurationInput"])).toBe(true);
    expect(isSecretWrapped(reg.inputs["clientConfiguration"])).toBe(true);
    expect(await pulumi.isSecret(apply.machineConfigurationInput)).toBe(true);
    expect(await pulumi.isSecret(apply.clientConfiguration)).toBe(true);
    expect(await value(apply.endpoint)).toBe("10.0.0.11");
    expect(resourceRequests.get("cto-cp1-apply")).toMatchObject({ token: CONFIGURATION_APPLY_TYPE, ...PIN, additionalSecretOutputs: ["machineConfiguration", "machineConfigurationInput", "clientConfiguration"] });
  });

  it("Bootstrap: token, node, endpoint, secret credentials and timeouts", async () => {
    const bootstrap = new talos.machine.Bootstrap("cto-bootstrap", { node: "10.0.0.11", endpoint: "10.0.0.11", clientConfiguration: CLIENT, timeouts: { create: "30m" } });
    const reg = await registered(bootstrap, "cto-bootstrap", ["node", "endpoint", "clientConfiguration", "timeouts"]);
    expect(reg.type).toBe("talos:machine/bootstrap:Bootstrap");
    expect(plain(reg.inputs)).toEqual({ node: "10.0.0.11", endpoint: "10.0.0.11", clientConfiguration: CLIENT, timeouts: { create: "30m" } });
    expect(isSecretWrapped(reg.inputs["clientConfiguration"])).toBe(true);
    expect(resourceRequests.get("cto-bootstrap")).toMatchObject({ token: BOOTSTRAP_TYPE, ...PIN, additionalSecretOutputs: ["clientConfiguration"] });
  });

  it("Kubeconfig: token, inputs from Secrets outputs, every output, secret outputs listed", async () => {
    const secrets = new talos.machine.Secrets("kc-secrets");
    const kubeconfig = new talos.cluster.Kubeconfig("cto-kubeconfig", { node: "10.0.0.11", clientConfiguration: secrets.clientConfiguration });
    const reg = await registered(kubeconfig, "cto-kubeconfig", ["node", "endpoint", "clientConfiguration", "certificateRenewalDuration", "timeouts", "kubeconfigRaw", "kubernetesClientConfiguration"]);
    expect(reg.type).toBe("talos:cluster/kubeconfig:Kubeconfig");
    expect(plain(reg.inputs)).toEqual({ node: "10.0.0.11", clientConfiguration: CLIENT });
    expect(await value(kubeconfig.kubernetesClientConfiguration)).toEqual({ host: "https://10.0.0.10:6443", ...CLIENT });
    expect(resourceRequests.get("cto-kubeconfig")).toMatchObject({ token: KUBECONFIG_TYPE, ...PIN, additionalSecretOutputs: ["kubeconfigRaw", "kubernetesClientConfiguration", "clientConfiguration"] });
    // Secrets with no args sends no talosVersion (the plugin's default contract applies).
    expect(registrations.find((r) => r.name === "kc-secrets")?.inputs).toEqual({});
  });

  it("Schematic: token, schematic YAML, id is the schematic ID, no secret outputs", async () => {
    const yaml = "customization:\n  extraKernelArgs:\n    - net.ifnames=0\n";
    const schematic = new talos.imagefactory.Schematic("cto-schematic", { schematic: yaml });
    const reg = await registered(schematic, "cto-schematic", ["schematic"]);
    expect(reg.type).toBe("talos:imageFactory/schematic:Schematic");
    expect(reg.inputs).toEqual({ schematic: yaml });
    expect(await value(schematic.id)).toBe(SCHEMATIC_ID);
    expect(resourceRequests.get("cto-schematic")).toEqual({ token: SCHEMATIC_TYPE, ...PIN, additionalSecretOutputs: [], protect: false });
  });
});

describe("invokes under mocks", { timeout: 10_000 }, () => {
  const lastCall = (token: string) => calls.filter((c) => c.token === token).at(-1);
  const lastRequest = (token: string) => invokeRequests.filter((r) => r.token === token).at(-1);

  it("machine getConfiguration: token, exact args with normalized secrets, secret result", async () => {
    const secrets = new talos.machine.Secrets("cfg-secrets", { talosVersion: "v1.13" });
    const config = talos.machine.getConfigurationOutput({
      clusterName: "cto",
      clusterEndpoint: "https://10.0.0.10:6443",
      machineType: "controlplane",
      machineSecrets: secrets.machineSecrets,
      configPatches: ["cluster:\n  allowSchedulingOnControlPlanes: true"],
      kubernetesVersion: "1.34.1",
      talosVersion: "v1.13",
      docs: false,
      examples: false,
    });
    const result = await value(config);
    expect(lastCall(GET_MACHINE_CONFIGURATION_TOKEN)?.inputs).toEqual({
      clusterName: "cto",
      clusterEndpoint: "https://10.0.0.10:6443",
      machineType: "controlplane",
      machineSecrets: MACHINE_SECRETS, // the empty aescbc secret from state is left out
      configPatches: ["cluster:\n  allowSchedulingOnControlPlanes: true"],
      kubernetesVersion: "1.34.1",
      talosVersion: "v1.13",
      docs: false,
      examples: false,
    });
    expect(result.machineConfiguration).toBe("machine:\n  type: controlplane");
    expect(result.id).toBe("cto");
    expect(await pulumi.isSecret(config)).toBe(true);
    expect(await pulumi.isSecret(config.machineConfiguration)).toBe(true);
    expect(lastRequest(GET_MACHINE_CONFIGURATION_TOKEN)).toEqual({ token: GET_MACHINE_CONFIGURATION_TOKEN, ...PIN });
  });

  it("machine getConfiguration: optional args are omitted, and plain secrets still give a secret result", async () => {
    const config = talos.machine.getConfigurationOutput({ clusterName: "w", clusterEndpoint: "https://vip:6443", machineType: "worker", machineSecrets: MACHINE_SECRETS });
    expect((await value(config)).machineConfiguration).toBe("machine:\n  type: worker");
    expect(lastCall(GET_MACHINE_CONFIGURATION_TOKEN)?.inputs).toEqual({ clusterName: "w", clusterEndpoint: "https://vip:6443", machineType: "worker", machineSecrets: MACHINE_SECRETS });
    expect(await pulumi.isSecret(config.machineConfiguration)).toBe(true);
  });

  it("client getConfiguration: token, exact args, secret talosConfig", async () => {
    const talosconfig = talos.client.getConfigurationOutput({ clusterName: "cto", clientConfiguration: CLIENT, endpoints: ["10.0.0.11", "10.0.0.12"], nodes: ["10.0.0.11"] });
    const result = await value(talosconfig);
    expect(lastCall(GET_CLIENT_CONFIGURATION_TOKEN)?.inputs).toEqual({ clusterName: "cto", clientConfiguration: CLIENT, endpoints: ["10.0.0.11", "10.0.0.12"], nodes: ["10.0.0.11"] });
    expect(result).toMatchObject({ id: "cto", talosConfig: "context: cto" });
    expect(await pulumi.isSecret(talosconfig.talosConfig)).toBe(true);
    expect(lastRequest(GET_CLIENT_CONFIGURATION_TOKEN)).toEqual({ token: GET_CLIENT_CONFIGURATION_TOKEN, ...PIN });
  });

  it("cluster getHealth: token, exact args, waits for dependsOn, secret because of the credentials", async () => {
    const bootstrap = new talos.machine.Bootstrap("health-bootstrap", { node: "10.0.0.11", clientConfiguration: CLIENT });
    const health = talos.cluster.getHealthOutput(
      { clientConfiguration: CLIENT, controlPlaneNodes: ["10.0.0.11"], workerNodes: ["10.0.0.21"], endpoints: ["10.0.0.11"], skipKubernetesChecks: true, timeouts: { read: "5m" } },
      { dependsOn: [bootstrap] },
    );
    expect((await value(health)).id).toBe("healthy");
    expect(registrations.some((r) => r.name === "health-bootstrap")).toBe(true);
    expect(lastCall(GET_HEALTH_TOKEN)?.inputs).toEqual({ clientConfiguration: CLIENT, controlPlaneNodes: ["10.0.0.11"], workerNodes: ["10.0.0.21"], endpoints: ["10.0.0.11"], skipKubernetesChecks: true, timeouts: { read: "5m" } });
    expect(await pulumi.isSecret(health)).toBe(true);
    expect(lastRequest(GET_HEALTH_TOKEN)).toEqual({ token: GET_HEALTH_TOKEN, ...PIN });
  });

  it("imageFactory getUrls: token, exact args, typed urls from a Schematic id, not secret", async () => {
    const schematic = new talos.imagefactory.Schematic("urls-schematic", {});
    const urls = talos.imagefactory.getUrlsOutput({ talosVersion: "v1.13.0", schematicId: schematic.id, platform: "metal", architecture: "amd64" });
    const result = await value(urls);
    expect(lastCall(GET_URLS_TOKEN)?.inputs).toEqual({ talosVersion: "v1.13.0", schematicId: SCHEMATIC_ID, platform: "metal", architecture: "amd64" });
    expect(result.urls.pxe).toBe(`https://pxe.factory.talos.dev/pxe/${SCHEMATIC_ID}/v1.13.0/metal-amd64`);
    expect(result.urls.installer).toBe(`factory.talos.dev/metal-installer/${SCHEMATIC_ID}:v1.13.0`);
    expect(Object.keys(result.urls).sort()).toEqual(["diskImage", "diskImageSecureboot", "initramfs", "installer", "installerSecureboot", "iso", "isoSecureboot", "kernel", "kernelCommandLine", "pxe", "uki"]);
    expect(await pulumi.isSecret(urls)).toBe(false);
    expect(lastRequest(GET_URLS_TOKEN)).toEqual({ token: GET_URLS_TOKEN, ...PIN });
  });
});
