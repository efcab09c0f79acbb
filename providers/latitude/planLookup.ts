// The catalogue check the program runs itself at preview: dynamic providers cannot answer
// invokes, so without this a wrong plan, a site without stock or an OS the plan cannot boot only
// shows up as a 422 halfway through `pulumi up`, after other servers were already bought.
//
// Read-only by construction: it only calls list methods. It asks as little as it can, because
// reads share the per-key rate limit with the providers: one `GET /plans?filter[slug]=…` per
// distinct plan (never per node), the paged OS list only when some plan exists to check it
// against, and the unfiltered plan list only when a plan is unknown and needs suggestions.
import { editDistance } from "../../config/editDistance";
import type { LatitudeClient } from "./client";
import { normalizePrice, priceForSite, type NodeCost, type NormalizedPrice } from "./pricing";
import type { OperatingSystem, Plan } from "./schemas";
import type { Billing } from "./serverTypes";

export interface PlanRequest {
  /** Plan slug, e.g. `c2-small-x86`. */
  plan: string;
  /** Site slug, e.g. `MIA2`. */
  site: string;
  billing: Billing;
  /** OS slug, e.g. `ipxe`. */
  operatingSystem: string;
  /** Names of the nodes that use this plan, so an error says which nodes it stops. */
  nodes: readonly string[];
  /** Where the plan was set: `cto-metal:plan` or `cto-metal:nodes[1].plan`. */
  configKey: string;
}

export interface PlanQuote extends NormalizedPrice {
  plan: string;
  /** Upper case, as the API spells sites. */
  site: string;
  billing: Billing;
  /** The pricing market the site belongs to, e.g. "United States". */
  market: string;
  stockLevel?: string;
  nodes: string[];
  configKey: string;
  /** Drive types of the plan, e.g. ["NVME"]: the Talos install disk default depends on them. */
  driveTypes: string[];
}

export interface CatalogueProblem {
  configKey: string;
  nodes: string[];
  message: string;
}

/** Every catalogue problem of one lookup, so a user fixes the config in one pass. */
export class CatalogueError extends Error {
  override readonly name = "CatalogueError";
  readonly problems: readonly CatalogueProblem[];

  constructor(problems: readonly CatalogueProblem[]) {
    const lines = problems.map((p) => `  - ${p.configKey}${nodesNote(p.nodes)}: ${p.message}`);
    super(`Latitude catalogue check failed:\n${lines.join("\n")}`);
    this.problems = problems;
  }
}

/** The client calls the lookup makes; a narrow type so nothing here can write. */
export type PlanCatalogue = Pick<LatitudeClient, "listPlans" | "listOperatingSystems">;

/** How many similar plan slugs an "unknown plan" error offers. */
const MAX_SUGGESTIONS = 5;
/** Typos this close count as "similar" even across plan families. */
const MAX_EDIT_DISTANCE = 3;

/**
 * Checks each request against the live catalogue and prices it. Throws one CatalogueError that
 * lists every problem found; returns one quote per request, in request order, when there is none.
 */
export async function lookupPlans(client: PlanCatalogue, requests: readonly PlanRequest[]): Promise<PlanQuote[]> {
  if (requests.length === 0) return [];
  const slugs = [...new Set(requests.map((r) => r.plan))];
  const plans = new Map<string, Plan | undefined>(
    await Promise.all(slugs.map(async (slug) => [slug, exactSlug(await client.listPlans({ slug }), slug)] as const)),
  );
  const anyKnown = slugs.some((s) => plans.get(s) !== undefined);
  const anyUnknown = slugs.some((s) => plans.get(s) === undefined);
  const [systems, catalogue] = await Promise.all([
    anyKnown ? client.listOperatingSystems() : Promise.resolve<OperatingSystem[]>([]),
    anyUnknown ? client.listPlans() : Promise.resolve<Plan[]>([]),
  ]);

  const problems = new ProblemList();
  const quotes: PlanQuote[] = [];
  for (const request of requests) {
    const report = (message: string): void => problems.add(request, message);
    const plan = plans.get(request.plan);
    if (!plan) {
      report(unknownPlanMessage(request.plan, catalogue.map((p) => p.slug)));
      continue;
    }
    const quote = checkPlan(request, plan, systems, report);
    if (quote) quotes.push(quote);
  }
  if (problems.size > 0) throw new CatalogueError(problems.list());
  return quotes;
}

/** Per-node costs for fleetCost: a quote covers every node that shares its plan. */
export function costPerNode(quotes: readonly PlanQuote[]): NodeCost[] {
  return quotes.flatMap((q) => q.nodes.map((name) => ({ name, hourly: q.hourly, monthly: q.monthly })));
}

/** Checks an existing plan; returns a quote only when nothing is wrong with this request. */
function checkPlan(request: PlanRequest, plan: Plan, systems: readonly OperatingSystem[], report: (message: string) => void): PlanQuote | undefined {
  let ok = true;
  const fail = (message: string): void => {
    ok = false;
    report(message);
  };

  // The OS is checked even when the site is wrong too: the user should see both at once.
  const os = systems.find((o) => o.slug === request.operatingSystem);
  if (!os) {
    fail(`operating system ${request.operatingSystem} is not in the Latitude catalogue`);
  } else if (!provisionable(os, plan)) {
    fail(`operating system ${os.slug} cannot be installed on plan ${plan.slug} (its provisionable_on does not list ${plan.name}); choose another plan`);
  }

  const price = priceForSite(plan, request.site);
  if (!price) {
    const offered = sorted(plan.regions.flatMap((r) => r.locations.available));
    fail(`plan ${plan.slug} is not offered at ${request.site.toUpperCase()}; ` + (offered.length > 0 ? `offered at ${offered.join(", ")}` : "it is not offered at any site"));
    return undefined;
  }
  if (!inStockAt(plan, price.site)) fail(outOfStockMessage(plan, price.site, price.market));

  let normalized: NormalizedPrice | undefined;
  try {
    normalized = normalizePrice(price, request.billing);
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  if (!ok || !normalized) return undefined;
  return {
    plan: plan.slug,
    site: price.site,
    billing: request.billing,
    market: price.market,
    ...normalized,
    ...(price.stockLevel !== undefined ? { stockLevel: price.stockLevel } : {}),
    nodes: [...request.nodes],
    configKey: request.configKey,
    driveTypes: driveTypesOf(plan),
  };
}

/** The plan's drive types (`SSD`, `HDD`, `NVME`), for the Talos install disk default. */
export function driveTypesOf(plan: Plan): string[] {
  const drives = (plan.specs as { drives?: unknown } | null | undefined)?.drives;
  if (!Array.isArray(drives)) return [];
  return drives.map((drive) => (drive as { type?: unknown }).type).filter((type): type is string => typeof type === "string");
}

/**
 * `provisionable_on` lists dotted plan names (`c2.small.x86`). When the API leaves it out we
 * cannot know, and refusing would block every deploy on a response-shape change, so it passes.
 */
function provisionable(os: OperatingSystem, plan: Plan): boolean {
  if (!os.provisionable_on) return true;
  const name = plan.name.toLowerCase();
  return os.provisionable_on.some((n) => n.toLowerCase() === name);
}

function inStockAt(plan: Plan, site: string): boolean {
  return plan.regions.some((r) => r.locations.in_stock.some((s) => s.toUpperCase() === site));
}

/** Same-market sites come first: they cost the same, so moving there changes nothing else. */
function outOfStockMessage(plan: Plan, site: string, market: string): string {
  const sameMarket = sorted(plan.regions.filter((r) => r.name === market).flatMap((r) => r.locations.in_stock));
  const elsewhere = sorted(plan.regions.filter((r) => r.name !== market).flatMap((r) => r.locations.in_stock));
  const head = `plan ${plan.slug} is out of stock in ${site}`;
  if (sameMarket.length > 0 && elsewhere.length > 0) {
    return `${head}; in stock at ${sameMarket.join(", ")} in the same market (${market}); in other markets at ${elsewhere.join(", ")}`;
  }
  if (sameMarket.length > 0) return `${head}; in stock at ${sameMarket.join(", ")}`;
  if (elsewhere.length > 0) return `${head}; in stock at ${elsewhere.join(", ")} (other markets, other prices)`;
  return `${head}; it is not in stock at any site right now, choose another plan`;
}

function unknownPlanMessage(slug: string, catalogue: readonly string[]): string {
  const similar = similarPlans(slug, catalogue);
  return similar.length > 0
    ? `plan ${slug} does not exist; similar plans: ${similar.join(", ")}`
    : `plan ${slug} does not exist, and no plan has a similar name`;
}

/**
 * Up to 5 slugs from `catalogue` of the same family (`c2` in `c2-small-x86`) or within a small
 * edit distance, closest first. Dots count as dashes: users copy dotted names from the OS list.
 */
export function similarPlans(wanted: string, catalogue: readonly string[], max = MAX_SUGGESTIONS): string[] {
  const target = wanted.toLowerCase().replace(/\./g, "-");
  const family = target.split("-")[0];
  return [...new Set(catalogue)]
    .map((slug) => ({ slug, distance: editDistance(target, slug.toLowerCase()), sameFamily: slug.toLowerCase().split("-")[0] === family }))
    .filter((c) => c.sameFamily || c.distance <= MAX_EDIT_DISTANCE)
    .sort((a, b) => a.distance - b.distance || a.slug.localeCompare(b.slug))
    .slice(0, max)
    .map((c) => c.slug);
}

/** `filter[slug]` matches case-insensitively; the slug sent on create must be the exact one. */
function exactSlug(plans: readonly Plan[], slug: string): Plan | undefined {
  return plans.find((p) => p.slug === slug);
}

function sorted(sites: readonly string[]): string[] {
  return [...new Set(sites.map((s) => s.toUpperCase()))].sort();
}

function nodesNote(nodes: readonly string[]): string {
  if (nodes.length === 0) return "";
  return nodes.length === 1 ? ` (node ${nodes[0]})` : ` (nodes ${nodes.join(", ")})`;
}

/** Problems keyed by config key and text, so nodes sharing one mistake get one line. */
class ProblemList {
  private readonly byKey = new Map<string, CatalogueProblem>();

  get size(): number {
    return this.byKey.size;
  }

  add(request: PlanRequest, message: string): void {
    const key = `${request.configKey}\n${message}`;
    const existing = this.byKey.get(key);
    if (!existing) {
      this.byKey.set(key, { configKey: request.configKey, nodes: [...request.nodes], message });
      return;
    }
    for (const node of request.nodes) if (!existing.nodes.includes(node)) existing.nodes.push(node);
  }

  list(): CatalogueProblem[] {
    return [...this.byKey.values()];
  }
}
