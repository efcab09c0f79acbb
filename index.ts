// Composition root: read the validated configuration once, run the read-only checks, build the
// layers in order (servers → Talos → Kubernetes → platform → GitOps), return the stack outputs.
// No decisions live here; they live in config/ and next to each component.
import * as github from "@pulumi/github";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { githubAppPrivateKey, latitudeConfigSource, loadConfig, loadSecrets, reportedError, type StackConfig, type StackSecrets } from "./config";
import { readKubeconfig, resolveKubeconfigPath } from "./components/cluster/kubeconfigFile";
import { checkCatalogue } from "./components/fleet/catalogueCheck";
import { ServerFleet } from "./components/fleet/serverFleet";
import { GitOpsRepository } from "./components/gitops/gitOpsRepository";
import { requireGitHubToken } from "./components/gitops/githubToken";
import { GitOpsRemovalGuard } from "./providers/cluster/gitOpsRemovalGuard";
import { argoWebhookUrl } from "./components/platform/argoCdValues";
import { Platform } from "./components/platform/platform";
import { PlatformSecrets } from "./components/platform/platformSecrets";
import { installerImage, planSchematic, pxeUrl } from "./components/talos/imageFactory";
import { resolveInstallDisk } from "./components/talos/installDisk";
import { LocalSecretFiles } from "./components/talos/localFiles";
import { talosExtraPatches } from "./components/talos/stackRender";
import { vlanChoices } from "./components/talos/talosRender";
import { vlanParentWarning } from "./components/talos/vlanParent";
import { TalosBootstrap } from "./components/talos/talosBootstrap";
import { TalosCluster } from "./components/talos/talosCluster";
import { installationStatusOutput } from "./providers/github/installations";
import { kubeAccessFromKubeconfig } from "./providers/kubernetes/kubeAccess";
import { LatitudeClient } from "./providers/latitude/client";
import { resolveCredentials } from "./providers/latitude/credentials";
import * as talos from "./providers/talos";
import { TALOS_VERSION, VANILLA_SCHEMATIC_ID } from "./versions";

type LatitudeStack = Extract<StackConfig, { clusterSource: "latitude" }>;

/** A cluster the platform can be installed on. */
interface Cluster {
  kubeconfig: pulumi.Output<string>;
  context?: string;
  /** The resource whose deletion takes everything inside the cluster with it. */
  deletedWith?: pulumi.Resource;
  /**
   * Stable across kubeconfig changes (a new endpoint, renewed certificates): the Kubernetes provider
   * is replaced, and with it every namespace and release, only when this changes
   * (pulumi/pulumi-kubernetes provider/pkg/provider/provider.go, DiffConfig and clusterIdentifier).
   */
  clusterIdentifier?: pulumi.Output<string>;
}

/** What a cluster source built: its stack outputs, and the cluster unless it stopped before one. */
interface ClusterLayer {
  outputs: Record<string, unknown>;
  cluster?: Cluster;
}

export = async () => {
  try {
    return await program();
  } catch (error) {
    // A refused config or catalogue: one block naming what to change, in seconds (config/reportedError.ts).
    throw reportedError(error, (message) => new pulumi.RunError(message));
  }
};

async function program(): Promise<Record<string, unknown>> {
  const config = loadConfig();
  const secrets = loadSecrets();
  // Before anything is registered: a missing token must not be found after servers are bought.
  if (config.gitops && config.stopAfter === undefined && !config.platform.skip) requireGitHubToken({ org: config.gitops.org, configured: secrets.githubToken !== undefined, env: process.env });
  const layer = config.clusterSource === "latitude" ? await latitudeCluster(config) : existingCluster(config);
  // Top level, registered whenever a cluster is built: a run that drops the root Application (no
  // githubOrg, skipStack, stopAfter talos) is refused unless confirmed; it deletes every app it deployed.
  if (config.stopAfter !== "servers") {
    const rootApplication = config.gitops !== undefined && config.stopAfter === undefined && !config.platform.skip;
    new GitOpsRemovalGuard("cto-gitops-guard", { rootApplication, allowRemoval: config.platform.allowGitOpsRemoval ?? false });
  }
  if (!layer.cluster || config.stopAfter === "talos" || config.platform.skip) return layer.outputs;
  return { ...layer.outputs, ...platformAndGitOps(config, secrets, layer.cluster) };
}

async function latitudeCluster(config: LatitudeStack): Promise<ClusterLayer> {
  const { latitude: lat, talos: talosConfig } = config;
  const project = pulumi.getProject();
  const client = new LatitudeClient(resolveCredentials(latitudeConfigSource()));
  const catalogue = await checkCatalogue(client, lat, project);

  // One Image Factory schematic: the servers boot it over iPXE and Talos installs the same image.
  const schematic = planSchematic({ schematicId: talosConfig.schematicId, extensions: talosConfig.extensions, vanillaSchematicId: VANILLA_SCHEMATIC_ID });
  const schematicId: pulumi.Output<string> =
    schematic.kind === "build" ? new talos.imagefactory.Schematic("cto-schematic", { schematic: schematic.schematic }).id : pulumi.output(schematic.schematicId);

  const fleet = new ServerFleet("cto", {
    latitude: lat,
    stackTag: `${project}-${config.stack}`,
    adoptedProjectId: catalogue.adoptedProjectId,
    prices: catalogue.prices,
    ipxeUrl: lat.ipxeUrl ?? schematicId.apply((id) => pxeUrl(id, TALOS_VERSION)),
  });
  const servers = {
    clusterSource: config.clusterSource,
    projectId: fleet.projectId,
    nodes: fleet.nodes,
    costPerHourUsd: fleet.cost.totalHourly,
    costPerMonthUsd: fleet.cost.totalMonthly,
    costPerNode: fleet.cost.perNode,
  };
  if (config.stopAfter === "servers") return { outputs: servers };

  const nodes = lat.nodes.map((node, i) => ({ ...node, role: fleet.roles[i]!.role, server: fleet.servers[i]! }));
  const vlanWarning = lat.vlan && vlanParentWarning({ stackSetting: lat.vlan.parent, nodes: lat.nodes });
  if (vlanWarning) void pulumi.log.warn(vlanWarning);
  const talosCluster = new TalosCluster("cto", {
    clusterName: talosConfig.clusterName,
    talosVersion: TALOS_VERSION,
    kubernetesVersion: talosConfig.kubernetesVersion,
    configuredEndpoint: talosConfig.clusterEndpoint,
    installerImage: schematicId.apply((id) => installerImage(id, TALOS_VERSION)),
    protectSecrets: config.profile === "production",
    allowControlPlaneRemoval: [...talosConfig.allowControlPlaneRemoval],
    allowEndpointChange: talosConfig.allowEndpointChange,
    // The storage layer's local-path volumes live under a kubelet mount Talos must declare.
    extraPatches: talosExtraPatches(config),
    nodes: nodes.map((node) => ({
      name: node.name,
      role: node.role,
      hostname: node.server.hostname,
      installDisk: resolveInstallDisk({ node: node.installDisk, stack: talosConfig.installDisk, driveTypes: catalogue.driveTypes[node.name] ?? [] }),
      publicIp: node.server.primaryIpv4,
      serverId: node.server.serverId,
      ...(lat.vlan && {
        privateIp: fleet.privateIps.apply((addresses) => addresses[node.name]!),
        internalMac: node.server.privateMac,
        ...(node.vlanParent && { vlanParent: node.vlanParent }),
      }),
    })),
    ...(lat.vlan && { vlan: { vid: fleet.vlanVid, subnet: lat.vlan.subnet, ...vlanChoices(lat.vlan) } }),
  });
  const bootstrap = new TalosBootstrap("cto", {
    clusterName: talosConfig.clusterName,
    clientConfiguration: talosCluster.clientConfiguration,
    checkHealth: true,
    nodes: nodes.map((node) => ({
      name: node.name,
      role: node.role,
      publicIp: node.server.primaryIpv4,
      machineConfiguration: talosCluster.machineConfigurations[node.name]!,
    })),
    anchor: talosCluster.anchor,
    cluster: talosCluster.secrets,
  });
  if (talosConfig.outputDir) {
    new LocalSecretFiles("cto-config-files", { directory: talosConfig.outputDir, files: { kubeconfig: bootstrap.kubeconfig, talosconfig: bootstrap.talosconfig } });
  }
  return {
    cluster: { kubeconfig: bootstrap.kubeconfig, deletedWith: bootstrap.bootstrap, clusterIdentifier: talosCluster.clusterId },
    outputs: { ...servers, kubernetesEndpoint: talosCluster.endpoint.url, kubeconfig: bootstrap.kubeconfig, talosconfig: bootstrap.talosconfig },
  };
}

/** The dev stack: no Latitude, no Talos; the platform goes onto a cluster that already exists. */
function existingCluster(config: Extract<StackConfig, { clusterSource: "kubeconfig" }>): ClusterLayer {
  const file = resolveKubeconfigPath(config.kubeconfig.path);
  return {
    cluster: { kubeconfig: pulumi.secret(readKubeconfig(file)), ...(config.kubeconfig.context !== undefined && { context: config.kubeconfig.context }) },
    outputs: { clusterSource: config.clusterSource, kubeconfigPath: file },
  };
}

function platformAndGitOps(config: StackConfig, secrets: StackSecrets, cluster: Cluster): Record<string, unknown> {
  const k8sProvider = new k8s.Provider("cto-k8s", {
    kubeconfig: cluster.kubeconfig,
    ...(cluster.context !== undefined && { context: cluster.context }),
    ...(cluster.clusterIdentifier !== undefined && { clusterIdentifier: cluster.clusterIdentifier }),
  });
  const generated = new PlatformSecrets("cto-platform-secrets");
  const { platform, gitops } = config;

  const repo = gitops
    ? new GitOpsRepository(
        "cto-gitops",
        {
          org: gitops.org,
          repositoryName: gitops.repositoryName,
          visibility: gitops.visibility,
          onDestroy: gitops.onDestroy,
          appsPath: gitops.appsPath,
          branch: gitops.branch,
          ...(platform.argocdDomain !== undefined && { argoWebhookUrl: argoWebhookUrl(platform.argocdDomain) }),
          webhookSecret: generated.webhookSecret,
          deployKeyPublic: generated.deployPublicKey,
          apps: gitops.apps.map((app) => ({ name: app.name, slug: app.slug })),
          appWebhooks: gitops.apps.flatMap((app) =>
            app.webhook ? [{ slug: app.slug, appId: app.webhook.appId, url: app.webhook.url, privateKey: githubAppPrivateKey(secrets, app.slug) }] : [],
          ),
          installationStatus: installationStatusOutput({ org: gitops.org, apps: gitops.apps.map((app) => ({ name: app.name, slug: app.slug })), token: secrets.githubToken }),
        },
        { providers: { github: new github.Provider("cto-github", { owner: gitops.org, ...(secrets.githubToken && { token: secrets.githubToken }) }) } },
      )
    : undefined;

  const installed = new Platform(
    "cto-platform",
    {
      cluster: cluster.kubeconfig.apply((text) => kubeAccessFromKubeconfig(text, cluster.context)),
      ...(cluster.deletedWith && { deletedWith: cluster.deletedWith }),
      ...(platform.ngrok && secrets.ngrokApiKey && secrets.ngrokAuthtoken && { ngrok: { apiKey: secrets.ngrokApiKey, authtoken: secrets.ngrokAuthtoken } }),
      ...(platform.acme && { acme: platform.acme }),
      argocd: {
        ...(platform.argocdDomain !== undefined && { domain: platform.argocdDomain }),
        adminPasswordHash: generated.adminPasswordHash,
        adminPasswordMtime: generated.adminPasswordMtime,
        webhookSecret: generated.webhookSecret,
        ...(repo && { repoUrl: repo.cloneUrl, repoPrivateKey: generated.deployPrivateKey }),
        appsPath: gitops?.appsPath ?? "apps",
        targetRevision: gitops?.branch ?? "HEAD",
      },
      vault: platform.vault,
      protect: config.profile === "production",
      values: platform.chartValues,
    },
    { provider: k8sProvider },
  );

  return {
    argocdUrl: installed.argocdUrl,
    argocdAdminPassword: generated.adminPassword,
    vaultAddress: installed.vaultAddress,
    vaultUnsealKeys: installed.vaultUnsealKeys,
    vaultRootToken: installed.vaultRootToken,
    vaultSealedPods: installed.vaultSealedPods,
    gitops: repo
      ? { repoUrl: repo.repoUrl, cloneUrl: repo.cloneUrl, webhookId: repo.webhookId, appInstallLinks: repo.installLinks, appInstallationStatus: repo.installationStatus, appWebhookUrls: repo.appWebhookUrls }
      : "skipped: no cto-metal:githubOrg configured",
  };
}
