// Pure price arithmetic: market lookup, every billing unit, rounding, missing prices, fleet sums.
import { describe, expect, it } from "vitest";
import { HOURS_PER_MONTH, HOURS_PER_YEAR, fleetCost, normalizePrice, priceForSite, roundTo, type SitePrice, type UsdPrices } from "../../providers/latitude/pricing";
import type { Plan } from "../../providers/latitude";

/** A plan in two markets, priced like the emulator prices c2-small-x86. */
function plan(overrides: Partial<Plan> = {}): Plan {
  return {
    id: "plan_test",
    slug: "c2-small-x86",
    name: "c2.small.x86",
    regions: [
      {
        name: "United States",
        locations: { available: ["ASH", "DAL", "MIA2"], in_stock: ["ASH", "MIA2"] },
        stock_level: "medium",
        pricing: { USD: { hour: 0.2, month: 139, year: 1223 } },
      },
      {
        name: "Brazil",
        locations: { available: ["SAO"], in_stock: [] },
        stock_level: null,
        pricing: { USD: { hour: 0.22, month: 153, year: 1349 } },
      },
    ],
    ...overrides,
  };
}

function sitePrice(usd: Partial<UsdPrices>): SitePrice {
  return { plan: "c2-small-x86", site: "MIA2", market: "United States", usd: { hour: null, month: null, year: null, ...usd } };
}

describe("priceForSite", () => {
  it("returns the market entry whose available sites contain the site", () => {
    expect(priceForSite(plan(), "MIA2")).toEqual({
      plan: "c2-small-x86",
      site: "MIA2",
      market: "United States",
      stockLevel: "medium",
      usd: { hour: 0.2, month: 139, year: 1223 },
    });
    expect(priceForSite(plan(), "SAO")).toEqual({ plan: "c2-small-x86", site: "SAO", market: "Brazil", usd: { hour: 0.22, month: 153, year: 1349 } });
  });

  it("matches the site case-insensitively and answers in upper case, as the API does", () => {
    expect(priceForSite(plan(), "mia2")?.site).toBe("MIA2");
  });

  it("prices a site by availability, not stock (DAL is offered but empty)", () => {
    expect(priceForSite(plan(), "DAL")?.market).toBe("United States");
  });

  it("is undefined where the plan is not offered", () => {
    expect(priceForSite(plan(), "FRA")).toBeUndefined();
    expect(priceForSite(plan({ regions: [] }), "MIA2")).toBeUndefined();
  });

  it("turns absent pricing into null prices", () => {
    const noUsd = plan({ regions: [{ name: "Chile", locations: { available: ["SAN"], in_stock: ["SAN"] }, pricing: { USD: null } }] });
    const noPricing = plan({ regions: [{ name: "Chile", locations: { available: ["SAN"], in_stock: ["SAN"] } }] });
    const nulls = { hour: null, month: null, year: null };
    expect(priceForSite(noUsd, "SAN")?.usd).toEqual(nulls);
    expect(priceForSite(noPricing, "SAN")?.usd).toEqual(nulls);
  });
});

describe("normalizePrice", () => {
  it("uses 730 hours a month and 8760 a year", () => {
    expect(HOURS_PER_MONTH).toBe(730);
    expect(HOURS_PER_YEAR).toBe(8760);
    expect(HOURS_PER_YEAR / 12).toBe(HOURS_PER_MONTH);
  });

  it("hourly billing: hourly is the hour price, monthly is hour × 730", () => {
    expect(normalizePrice(sitePrice({ hour: 0.2, month: 139, year: 1223 }), "hourly")).toEqual({ unitPrice: 0.2, hourly: 0.2, monthly: 146 });
    expect(normalizePrice(sitePrice({ hour: 0.123456 }), "hourly")).toEqual({ unitPrice: 0.123456, hourly: 0.1235, monthly: 90.12 });
  });

  it("monthly billing: monthly is the month price, hourly is month / 730", () => {
    expect(normalizePrice(sitePrice({ hour: 0.2, month: 139, year: 1223 }), "monthly")).toEqual({ unitPrice: 139, hourly: 0.1904, monthly: 139 });
    expect(normalizePrice(sitePrice({ month: 100 }), "monthly")).toEqual({ unitPrice: 100, hourly: 0.137, monthly: 100 });
  });

  it("yearly billing: monthly is year / 12, hourly is year / 8760", () => {
    expect(normalizePrice(sitePrice({ hour: 0.2, month: 139, year: 1223 }), "yearly")).toEqual({ unitPrice: 1223, hourly: 0.1396, monthly: 101.92 });
    expect(normalizePrice(sitePrice({ year: 8760 }), "yearly")).toEqual({ unitPrice: 8760, hourly: 1, monthly: 730 });
  });

  it("derives from the billed unit only, never from the catalogue's other units", () => {
    // The month price is discounted against hour × 730; hourly billing must not pick it up.
    const quote = normalizePrice(sitePrice({ hour: 1, month: 1, year: 1 }), "hourly");
    expect(quote).toEqual({ unitPrice: 1, hourly: 1, monthly: 730 });
  });

  it("needs only the billed unit's price", () => {
    expect(normalizePrice(sitePrice({ hour: 0.5 }), "hourly")).toEqual({ unitPrice: 0.5, hourly: 0.5, monthly: 365 });
    expect(normalizePrice(sitePrice({ year: 0 }), "yearly")).toEqual({ unitPrice: 0, hourly: 0, monthly: 0 });
  });

  it.each([
    ["hourly", "hour", { month: 139, year: 1223 }],
    ["monthly", "month", { hour: 0.2, year: 1223 }],
    ["yearly", "year", { hour: 0.2, month: 139 }],
  ] as const)("a null price for %s billing is an error naming plan, site and billing", (billing, unit, others) => {
    expect(() => normalizePrice(sitePrice(others), billing)).toThrow(
      `plan c2-small-x86 has no USD price per ${unit} at MIA2 (United States market), so it cannot be billed ${billing} there; choose another billing, site or plan`,
    );
  });

  it("treats a non-finite price as missing", () => {
    expect(() => normalizePrice(sitePrice({ hour: Number.NaN }), "hourly")).toThrow(/no USD price per hour at MIA2/);
  });
});

describe("roundTo", () => {
  it("rounds halves up despite binary representation error", () => {
    // Naively Math.round(1.005 * 100) / 100 is 1 and Math.round(2.675 * 100) / 100 is 2.67.
    expect(roundTo(1.005, 2)).toBe(1.01);
    expect(roundTo(2.675, 2)).toBe(2.68);
    expect(roundTo(0.00005, 4)).toBe(0.0001);
    expect(roundTo(0.19041095890410958, 4)).toBe(0.1904);
    expect(roundTo(101.91666666666667, 2)).toBe(101.92);
  });
});

describe("fleetCost", () => {
  it("lists every node and sums hourly and monthly", () => {
    const cost = fleetCost([
      { name: "cp1", hourly: 0.2, monthly: 146 },
      { name: "worker1", hourly: 0.2, monthly: 146 },
      { name: "worker2", hourly: 0.1904, monthly: 139 },
    ]);
    expect(cost).toEqual({
      perNode: [
        { name: "cp1", hourly: 0.2, monthly: 146 },
        { name: "worker1", hourly: 0.2, monthly: 146 },
        { name: "worker2", hourly: 0.1904, monthly: 139 },
      ],
      totalHourly: 0.5904,
      totalMonthly: 431,
    });
  });

  it("rounds totals so float dust never shows (0.1 + 0.2)", () => {
    const cost = fleetCost([
      { name: "a", hourly: 0.1, monthly: 0.1 },
      { name: "b", hourly: 0.2, monthly: 0.2 },
    ]);
    expect(cost.totalHourly).toBe(0.3);
    expect(cost.totalMonthly).toBe(0.3);
  });

  it("copies only name, hourly and monthly per node", () => {
    const quote = { name: "cp1", hourly: 0.2, monthly: 146, plan: "c2-small-x86" };
    expect(fleetCost([quote]).perNode).toEqual([{ name: "cp1", hourly: 0.2, monthly: 146 }]);
  });

  it("is zero for no nodes", () => {
    expect(fleetCost([])).toEqual({ perNode: [], totalHourly: 0, totalMonthly: 0 });
  });
});
