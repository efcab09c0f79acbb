// Composition root: read the validated configuration once, run the read-only checks, build the
// layers in order (servers → Talos), return the stack outputs. No decisions live here; they live
// in config/ and next to each component.
import * as pulumi from "@pulumi/pulumi";
import { latitudeConfigSource, loadConfig } from "./config";
import { checkCatalogue } from "./components/fleet/catalogueCheck";
import { ServerFleet } from "./components/fleet/serverFleet";
import { installerImage, planSchematic, pxeUrl } from "./components/talos/imageFactory";
import { resolveInstallDisk } from "./components/talos/installDisk";
import { LocalSecretFiles } from "./components/talos/localFiles";
import { TalosBootstrap } from "./components/talos/talosBootstrap";
import { TalosCluster } from "./components/talos/talosCluster";
import { LatitudeClient } from "./providers/latitude/client";
import { resolveCredentials } from "./providers/latitude/credentials";
import * as talos from "./providers/talos";
import { TALOS_VERSION, VANILLA_SCHEMATIC_ID } from "./versions";

export = async () => {
  const config = loadConfig();
  if (config.clusterSource !== "latitude") return { clusterSource: config.clusterSource };

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
  if (config.stopAfter === "servers") return servers;

  const nodes = lat.nodes.map((node, i) => ({ ...node, role: fleet.roles[i]!.role, server: fleet.servers[i]! }));
  const cluster = new TalosCluster("cto", {
    clusterName: talosConfig.clusterName,
    talosVersion: TALOS_VERSION,
    kubernetesVersion: talosConfig.kubernetesVersion,
    configuredEndpoint: talosConfig.clusterEndpoint,
    installerImage: schematicId.apply((id) => installerImage(id, TALOS_VERSION)),
    protectSecrets: config.profile === "production",
    allowControlPlaneRemoval: [...talosConfig.allowControlPlaneRemoval],
    nodes: nodes.map((node) => ({
      name: node.name,
      role: node.role,
      hostname: node.hostname,
      installDisk: resolveInstallDisk({ node: node.installDisk, stack: talosConfig.installDisk, driveTypes: catalogue.driveTypes[node.name] ?? [] }),
      publicIp: node.server.primaryIpv4,
      serverId: node.server.serverId,
      privateIp: fleet.privateIps[node.name],
      publicMac: node.server.publicMac,
      privateMac: node.server.privateMac,
    })),
    ...(lat.vlan && { vlan: { vid: fleet.vlanVid, subnet: lat.vlan.subnet } }),
  });
  const bootstrap = new TalosBootstrap("cto", {
    clusterName: talosConfig.clusterName,
    clientConfiguration: cluster.clientConfiguration,
    checkHealth: true,
    nodes: nodes.map((node) => ({
      name: node.name,
      role: node.role,
      publicIp: node.server.primaryIpv4,
      machineConfiguration: cluster.machineConfigurations[node.name]!,
      server: node.server,
    })),
  });
  if (talosConfig.outputDir) {
    new LocalSecretFiles("cto-config-files", { directory: talosConfig.outputDir, files: { kubeconfig: bootstrap.kubeconfig, talosconfig: bootstrap.talosconfig } });
  }

  return {
    ...servers,
    kubernetesEndpoint: cluster.endpoint.url,
    kubeconfig: bootstrap.kubeconfig,
    talosconfig: bootstrap.talosconfig,
  };
};
