// Price arithmetic for Latitude plans, with no I/O: which market prices a site, what a node costs
// per hour and per month whatever unit it is billed in, and what the whole fleet costs.
//
// Latitude prices a plan per *market* (all sites of "United States" share one price) and quotes
// it in three units, any of which may be null. A node is billed in exactly one unit, so the other
// two figures here are derived from that one, never read from the catalogue: the catalogue's
// month is not hour × 730 (monthly billing is discounted), and mixing them would misstate cost.
import type { Plan } from "./schemas";
import type { Billing } from "./serverTypes";

/**
 * Hours in an average month and in a year, the convention cloud providers bill by
 * (365 days × 24 h = 8760; 8760 / 12 = 730). Using both keeps hour ↔ month ↔ year consistent:
 * a yearly price gives the same hourly figure whether divided by 8760 or by 12 then 730.
 */
export const HOURS_PER_MONTH = 730;
export const HOURS_PER_YEAR = 8760;

/** USD prices of one market as the API gives them; any unit may be null (not sold that way). */
export interface UsdPrices {
  hour: number | null;
  month: number | null;
  year: number | null;
}

/** The market entry of a plan that contains a site, reduced to what pricing needs. */
export interface SitePrice {
  plan: string;
  site: string;
  /** Market name, e.g. "United States". */
  market: string;
  /** `unavailable` | `low` | `medium` | `high`; absent in some API responses. */
  stockLevel?: string;
  usd: UsdPrices;
}

export interface NormalizedPrice {
  /** The catalogue price in the billing unit itself (per hour, month or year). */
  unitPrice: number;
  /** USD per hour, 4 decimals. */
  hourly: number;
  /** USD per month, 2 decimals. */
  monthly: number;
}

export interface NodeCost {
  name: string;
  hourly: number;
  monthly: number;
}

export interface FleetCost {
  perNode: NodeCost[];
  totalHourly: number;
  totalMonthly: number;
}

/**
 * The market entry of `plan` whose available sites include `site` (compared upper-case, as the API
 * answers), or undefined when the plan is not offered there: the caller knows which config key
 * to blame, so it words that error.
 */
export function priceForSite(plan: Plan, site: string): SitePrice | undefined {
  const wanted = site.toUpperCase();
  const entry = plan.regions.find((r) => r.locations.available.some((s) => s.toUpperCase() === wanted));
  if (!entry) return undefined;
  const usd = entry.pricing?.USD;
  return {
    plan: plan.slug,
    site: wanted,
    market: entry.name,
    ...(entry.stock_level ? { stockLevel: entry.stock_level } : {}),
    usd: { hour: usd?.hour ?? null, month: usd?.month ?? null, year: usd?.year ?? null },
  };
}

const UNIT: Record<Billing, keyof UsdPrices> = { hourly: "hour", monthly: "month", yearly: "year" };

/**
 * Hourly and monthly cost of one node billed in `billing`, derived from the price in that unit
 * only (see HOURS_PER_MONTH). Throws, naming plan, site and billing, when that price is missing.
 */
export function normalizePrice(pricing: SitePrice, billing: Billing): NormalizedPrice {
  const unit = UNIT[billing];
  const unitPrice = pricing.usd[unit];
  if (unitPrice === null || !Number.isFinite(unitPrice)) {
    throw new Error(
      `plan ${pricing.plan} has no USD price per ${unit} at ${pricing.site} (${pricing.market} market), so it cannot be billed ${billing} there; ` +
        `choose another billing, site or plan`,
    );
  }
  let hourly: number;
  let monthly: number;
  switch (billing) {
    case "hourly":
      hourly = unitPrice;
      monthly = unitPrice * HOURS_PER_MONTH;
      break;
    case "monthly":
      hourly = unitPrice / HOURS_PER_MONTH;
      monthly = unitPrice;
      break;
    case "yearly":
      hourly = unitPrice / HOURS_PER_YEAR;
      monthly = unitPrice / 12;
      break;
  }
  return { unitPrice, hourly: roundTo(hourly, 4), monthly: roundTo(monthly, 2) };
}

/** Per-node figures and totals; totals are re-rounded so float dust never shows in a summary. */
export function fleetCost(nodes: readonly NodeCost[]): FleetCost {
  const perNode = nodes.map(({ name, hourly, monthly }) => ({ name, hourly, monthly }));
  const totalHourly = roundTo(perNode.reduce((sum, n) => sum + n.hourly, 0), 4);
  const totalMonthly = roundTo(perNode.reduce((sum, n) => sum + n.monthly, 0), 2);
  return { perNode, totalHourly, totalMonthly };
}

/**
 * Half-up rounding to `decimals` places. The product is first cut to 15 significant digits so
 * binary representation error does not flip a half: 1.005 × 100 is 100.49999999999999 in floats.
 */
export function roundTo(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(Number((value * factor).toPrecision(15))) / factor;
}
