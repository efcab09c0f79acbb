// GET /regions, /plans and /plans/operating_systems over the seeded catalogue.
import {
  OPERATING_SYSTEMS,
  PLANS,
  SITES,
  diskGb,
  findSite,
  marketPrice,
  planMarkets,
  type OperatingSystem,
  type Plan,
  type Site,
  type Stock,
} from "./catalog";
import { decimal, filterHolds, listReply, matchNumber, matchString, notFound, parseBool, parseFilters, single, type Decimal } from "./http";
import { param, route, type Route } from "./router";

function regionData(site: Site): Record<string, unknown> {
  return {
    id: site.id,
    type: "regions",
    attributes: { name: site.name, slug: site.slug, facility: site.facility, country: site.country, type: "Core" },
  };
}

/** Prices as the API writes them: decimals even when whole (`"month":153.0`; §19). */
function decimals(p: { hour: number; month: number; year: number }): Record<string, Decimal | null> {
  return { hour: decimal(p.hour), month: decimal(p.month), year: decimal(p.year) };
}

function stockLevel(inStock: number, available: number): string {
  if (inStock === 0) return "unavailable";
  if (inStock * 2 < available) return "low";
  return inStock === available ? "high" : "medium";
}

export function planData(plan: Plan, stock: Stock): Record<string, unknown> {
  const regions = planMarkets(plan).map((market) => {
    const available = SITES.filter((s) => s.market === market && plan.available.includes(s.slug)).map((s) => s.slug);
    const inStock = available.filter((s) => stock.has(plan.slug, s));
    const usd = marketPrice(plan, market);
    const brl = { hour: Math.round(usd.hour * 540) / 100, month: Math.round(usd.month * 5.4), year: Math.round(usd.year * 5.4) };
    return {
      name: market,
      deploys_instantly: !plan.gpu && (market === "United States" || market === "Brazil") ? ["ubuntu_22_04_x64_lts", "ubuntu_24_04_x64_lts"] : [],
      locations: { available, in_stock: inStock },
      stock_level: stockLevel(inStock.length, available.length),
      pricing: { USD: decimals(usd), BRL: decimals(brl) },
    };
  });
  return {
    id: plan.id,
    type: "plans",
    attributes: {
      slug: plan.slug,
      name: plan.name,
      features: ["ssh", "raid", "user_data"],
      specs: {
        cpu: plan.cpu,
        memory: { total: plan.ramGb },
        drives: plan.drives,
        nics: plan.nics,
        gpu: plan.gpu ?? {},
      },
      regions,
    },
  };
}

function osData(os: OperatingSystem): Record<string, unknown> {
  return {
    id: os.id,
    type: "operating_system",
    attributes: {
      name: os.name,
      slug: os.slug,
      distro: os.distro,
      user: os.user,
      version: os.version,
      features: os.features,
      provisionable_on: os.provisionableOn,
    },
  };
}

export const catalogRoutes: Route[] = [
  route("GET", "/regions", (ctx) => {
    // filter[slug] is not in the spec but answered in a 2024 recording (latitude-api.md §6).
    const f = parseFilters(ctx.query, { filters: ["slug"], paged: true });
    const sites = SITES.filter((s) => filterHolds(f, "slug", (op, v) => matchString(s.slug, op, v)));
    return listReply(sites.map(regionData), ctx.query, { paged: true });
  }),
  route("GET", "/regions/:id", (ctx) => {
    const id = param(ctx, 0);
    const site = SITES.find((s) => s.id === id) ?? findSite(id);
    if (!site) throw notFound();
    return single(regionData(site));
  }),
  route("GET", "/plans/operating_systems", (ctx) => {
    parseFilters(ctx.query, { filters: [], paged: true });
    return listReply(OPERATING_SYSTEMS.map(osData), ctx.query, { paged: true });
  }),
  route("GET", "/plans", (ctx) => {
    const f = parseFilters(ctx.query, {
      filters: ["name", "slug", "location", "stock_level", "in_stock", "gpu", "ram", "disk"],
      paged: false,
    });
    const stock = ctx.store.stock;
    const locations = (f.get("location") ?? []).map((c) => c.value.toUpperCase());
    const plans = PLANS.filter((p) => {
      const sites = locations.length > 0 ? p.available.filter((s) => locations.includes(s)) : [...p.available];
      const stocked = sites.filter((s) => stock.has(p.slug, s));
      return (
        filterHolds(f, "name", (op, v) => matchString(p.name, op, v)) &&
        filterHolds(f, "slug", (op, v) => matchString(p.slug, op, v)) &&
        sites.length > 0 &&
        filterHolds(f, "in_stock", (_op, v) => parseBool(v, "filter[in_stock]") === stocked.length > 0) &&
        filterHolds(f, "gpu", (_op, v) => parseBool(v, "filter[gpu]") === (p.gpu !== undefined)) &&
        filterHolds(f, "stock_level", (_op, v) => stockLevel(stocked.length, sites.length) === v.toLowerCase()) &&
        filterHolds(f, "ram", (op, v) => matchNumber(p.ramGb, op, v)) &&
        filterHolds(f, "disk", (op, v) => matchNumber(diskGb(p), op, v))
      );
    });
    // The spec gives /plans no page params: always everything (§2, §5).
    return listReply(plans.map((p) => planData(p, stock)), ctx.query, { paged: false });
  }),
  route("GET", "/plans/:id", (ctx) => {
    const plan = PLANS.find((p) => p.id === param(ctx, 0));
    if (!plan) throw notFound();
    return single(planData(plan, ctx.store.stock));
  }),
];
