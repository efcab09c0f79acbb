// Composition root: read the validated configuration once, run the read-only checks, build the
// layers in order, return the stack outputs. No decisions live here; they live in config/ and
// next to each component.
import * as pulumi from "@pulumi/pulumi";
import { latitudeConfigSource, loadConfig } from "./config";
import { checkCatalogue } from "./components/fleet/catalogueCheck";
import { ServerFleet } from "./components/fleet/serverFleet";
import { pxeUrl } from "./components/talos/imageFactory";
import { LatitudeClient } from "./providers/latitude/client";
import { resolveCredentials } from "./providers/latitude/credentials";
import { TALOS_VERSION, VANILLA_SCHEMATIC_ID } from "./versions";

export = async () => {
  const config = loadConfig();
  if (config.clusterSource !== "latitude") return { clusterSource: config.clusterSource };

  const lat = config.latitude;
  const project = pulumi.getProject();
  const client = new LatitudeClient(resolveCredentials(latitudeConfigSource()));
  const catalogue = await checkCatalogue(client, lat, project);

  const fleet = new ServerFleet("cto", {
    latitude: lat,
    stackTag: `${project}-${config.stack}`,
    adoptedProjectId: catalogue.adoptedProjectId,
    prices: catalogue.prices,
    ipxeUrl: lat.ipxeUrl ?? pxeUrl(VANILLA_SCHEMATIC_ID, TALOS_VERSION),
  });

  return {
    clusterSource: config.clusterSource,
    projectId: fleet.projectId,
    nodes: fleet.nodes,
    costPerHourUsd: fleet.cost.totalHourly,
    costPerMonthUsd: fleet.cost.totalMonthly,
    costPerNode: fleet.cost.perNode,
  };
};
