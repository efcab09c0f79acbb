// The read-only Latitude lookups the program runs before it registers anything: plans exist, are
// offered and in stock at the site, the OS installs on them (with prices for the cost outputs),
// and an adopted project exists. A failure stops the run before any write.
import type { LatitudeConfig } from "../../config/types";
import type { LatitudeClient } from "../../providers/latitude/client";
import { lookupPlans, type PlanRequest } from "../../providers/latitude/planLookup";
import { findProjectBySlug } from "../../providers/latitude/projectLookup";
import type { NodePrice } from "./serverFleet";

export interface CatalogueResult {
  prices: NodePrice[];
  /** Per node name: the drive types of its plan. */
  driveTypes: Record<string, string[]>;
  adoptedProjectId?: string;
}

/** One request per distinct plan, naming the config key it came from and the nodes it serves. */
export function planRequests(lat: LatitudeConfig, namespace: string): PlanRequest[] {
  const byPlan = new Map<string, PlanRequest>();
  lat.nodes.forEach((node, index) => {
    const explicit = node.plan !== lat.plan;
    const configKey = explicit ? `${namespace}:nodes[${index}].plan` : `${namespace}:plan`;
    const key = `${node.plan}|${configKey}`;
    const existing = byPlan.get(key);
    if (existing) byPlan.set(key, { ...existing, nodes: [...existing.nodes, node.name] });
    else byPlan.set(key, { plan: node.plan, site: lat.site, billing: lat.billing, operatingSystem: lat.operatingSystem, nodes: [node.name], configKey });
  });
  return [...byPlan.values()];
}

export async function checkCatalogue(client: LatitudeClient, lat: LatitudeConfig, namespace: string): Promise<CatalogueResult> {
  const [quotes, adopted] = await Promise.all([
    lookupPlans(client, planRequests(lat, namespace)),
    lat.project.kind === "adopt" ? findProjectBySlug(client, lat.project.slug) : Promise.resolve(undefined),
  ]);
  const quoteOf = (node: LatitudeConfig["nodes"][number]) => {
    const quote = quotes.find((q) => q.plan === node.plan && q.nodes.includes(node.name));
    if (!quote) throw new Error(`no price was found for node ${node.name} (plan ${node.plan})`);
    return quote;
  };
  const prices = lat.nodes.map((node) => ({ name: node.name, hourly: quoteOf(node).hourly, monthly: quoteOf(node).monthly }));
  const driveTypes = Object.fromEntries(lat.nodes.map((node) => [node.name, quoteOf(node).driveTypes]));
  return { prices, driveTypes, ...(adopted && { adoptedProjectId: adopted.id }) };
}
