// The read-only Latitude lookups the program runs before it registers anything: plans exist, are
// offered and in stock at the site, the OS installs on them (with prices for the cost outputs),
// and an adopted project exists and takes the configured billing. A failure stops the run before
// any write.
import { BILLINGS_BY_PROVISIONING_TYPE, billingChoices } from "../../config/values";
import type { Billing, LatitudeConfig } from "../../config/types";
import type { LatitudeClient } from "../../providers/latitude/client";
import { CatalogueError, lookupPlans, type CatalogueProblem, type PlanQuote, type PlanRequest } from "../../providers/latitude/planLookup";
import { findProjectBySlug } from "../../providers/latitude/projectLookup";
import type { Project } from "../../providers/latitude/schemas";
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

/**
 * The problem when `billing` does not fit the adopted project's provisioning type (Latitude refuses
 * such a server with a 422, after other servers may have been bought); undefined when it fits, or
 * when the project reports a type this program does not know (the API has the last word).
 */
export function adoptedBillingProblem(billing: Billing, project: Pick<Project, "id" | "slug" | "provisioning_type">, namespace: string): CatalogueProblem | undefined {
  const type = project.provisioning_type;
  if (type !== "on_demand" && type !== "reserved") return undefined;
  const accepted = BILLINGS_BY_PROVISIONING_TYPE[type];
  if (accepted.includes(billing)) return undefined;
  const way = type === "reserved" ? "adopt an on-demand project" : "adopt a reserved project";
  return {
    configKey: `${namespace}:billing`,
    nodes: [],
    message:
      `expected ${billingChoices(accepted)} because the adopted Latitude project "${project.slug}" (${project.id}) has provisioning type "${type}" ` +
      `(Latitude bills its servers ${accepted.join(" or ")} only), got "${billing}"; set ${namespace}:billing to ${billingChoices(accepted)}, or ${way}`,
  };
}

const isCatalogueError = (error: unknown): error is CatalogueError => (error as { name?: unknown } | null)?.name === "CatalogueError";

export async function checkCatalogue(client: LatitudeClient, lat: LatitudeConfig, namespace: string): Promise<CatalogueResult> {
  const [quoted, found] = await Promise.allSettled([
    lookupPlans(client, planRequests(lat, namespace)),
    lat.project.kind === "adopt" ? findProjectBySlug(client, lat.project.slug) : Promise.resolve(undefined),
  ]);
  if (found.status === "rejected") throw found.reason;
  const adopted = found.value;
  const billing = adopted && adoptedBillingProblem(lat.billing, adopted, namespace);
  // Every problem at once: a plan out of stock and a billing that does not fit are fixed in one pass.
  if (quoted.status === "rejected") throw billing && isCatalogueError(quoted.reason) ? new CatalogueError([...quoted.reason.problems, billing]) : quoted.reason;
  if (billing) throw new CatalogueError([billing]);
  const quotes: PlanQuote[] = quoted.value;
  const quoteOf = (node: LatitudeConfig["nodes"][number]) => {
    const quote = quotes.find((q) => q.plan === node.plan && q.nodes.includes(node.name));
    if (!quote) throw new Error(`no price was found for node ${node.name} (plan ${node.plan})`);
    return quote;
  };
  const prices = lat.nodes.map((node) => ({ name: node.name, hourly: quoteOf(node).hourly, monthly: quoteOf(node).monthly }));
  const driveTypes = Object.fromEntries(lat.nodes.map((node) => [node.name, quoteOf(node).driveTypes]));
  return { prices, driveTypes, ...(adopted && { adoptedProjectId: adopted.id }) };
}
