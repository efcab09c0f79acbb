// The preview-time catalogue check against the emulator over real HTTP: quotes, every kind of
// problem (collected into one error), how many requests it makes, and that it never writes.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { CatalogueError, LatitudeClient, costPerNode, fleetCost, lookupPlans, type PlanCatalogue, type PlanRequest } from "../../providers/latitude";
import { PLANS, marketPrice, startEmulator, type Emulator } from "../../emulator";

let emulator: Emulator;
let keySeq = 0;

/** Each test gets its own key, so shared per-key limiters never leak between tests. */
function newClient(): LatitudeClient {
  return new LatitudeClient({ apiUrl: emulator.url, apiKey: `plan-lookup-test-key-${++keySeq}`, backoff: { baseMs: 10, factor: 2, maxMs: 100 } });
}

/** The cto-test stack: c2-small-x86 in MIA2, hourly, Talos over iPXE, two nodes on the stack plan. */
function ctoTest(overrides: Partial<PlanRequest> = {}): PlanRequest {
  return { plan: "c2-small-x86", site: "MIA2", billing: "hourly", operatingSystem: "ipxe", nodes: ["cp1", "worker1"], configKey: "cto-metal:plan", ...overrides };
}

/** The CatalogueError a lookup throws (fails the test if it resolves or throws anything else). */
async function catalogueError(requests: PlanRequest[]): Promise<CatalogueError> {
  const error: unknown = await lookupPlans(newClient(), requests).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CatalogueError);
  return error as CatalogueError;
}

const requestsTo = (method: string, path: string) => emulator.requests.filter((r) => r.method === method && r.path === path);

beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator.close();
});
afterEach(() => {
  emulator.clearLog();
});

describe("a valid request", () => {
  it("quotes the cto-test plan at the emulator's price", async () => {
    const quotes = await lookupPlans(newClient(), [ctoTest()]);
    const c2 = PLANS.find((p) => p.slug === "c2-small-x86");
    if (!c2) throw new Error("the emulator catalogue lacks c2-small-x86");
    const price = marketPrice(c2, "United States");
    expect(price).toEqual({ hour: 0.2, month: 139, year: 1223 });
    expect(quotes).toEqual([
      {
        plan: "c2-small-x86",
        site: "MIA2",
        billing: "hourly",
        market: "United States",
        unitPrice: price.hour,
        hourly: 0.2,
        monthly: 146,
        stockLevel: "medium",
        nodes: ["cp1", "worker1"],
        configKey: "cto-metal:plan",
        driveTypes: ["SSD"],
      },
    ]);
    expect(fleetCost(costPerNode(quotes))).toEqual({
      perNode: [
        { name: "cp1", hourly: 0.2, monthly: 146 },
        { name: "worker1", hourly: 0.2, monthly: 146 },
      ],
      totalHourly: 0.4,
      totalMonthly: 292,
    });
  });

  it("prices each request in its own billing unit and market, in request order", async () => {
    const quotes = await lookupPlans(newClient(), [
      ctoTest({ billing: "monthly", nodes: ["cp1"], configKey: "cto-metal:nodes[0].plan" }),
      ctoTest({ plan: "c2-medium-x86", site: "sao", billing: "yearly", nodes: ["worker1"], configKey: "cto-metal:nodes[1].plan" }),
    ]);
    // Brazil: 0.35 × 1.1 = 0.39/h, round(0.39 × 695) = 271/month, round(271 × 8.8) = 2385/year.
    expect(quotes.map((q) => [q.plan, q.site, q.market, q.unitPrice, q.hourly, q.monthly])).toEqual([
      ["c2-small-x86", "MIA2", "United States", 139, 0.1904, 139],
      ["c2-medium-x86", "SAO", "Brazil", 2385, 0.2723, 198.75],
    ]);
  });

  it("reads stock live: emptying MIA2 makes the same request fail", async () => {
    emulator.setStock("c2-small-x86", "MIA2", false);
    try {
      const error = await catalogueError([ctoTest()]);
      expect(error.problems.map((p) => p.message)).toEqual([
        "plan c2-small-x86 is out of stock in MIA2; in stock at ASH, CHI, NYC in the same market (United States); in other markets at BUE, FRA, SAO, SAO2, TYO",
      ]);
    } finally {
      emulator.setStock("c2-small-x86", "MIA2", true);
    }
  });

  it("makes no request at all for no nodes", async () => {
    await expect(lookupPlans(newClient(), [])).resolves.toEqual([]);
    expect(emulator.requests).toHaveLength(0);
  });
});

describe("catalogue problems", () => {
  it("an unknown plan suggests similar slugs and skips the OS list", async () => {
    const error = await catalogueError([ctoTest({ plan: "c2-smal-x86" })]);
    expect(error.message).toBe(
      "Latitude catalogue check failed:\n" +
        "  - cto-metal:plan (nodes cp1, worker1): plan c2-smal-x86 does not exist; similar plans: c2-small-x86, c3-small-x86, s2-small-x86, c2-large-x86, c2-medium-x86",
    );
    // One filtered lookup, then the whole list for suggestions; nothing to check an OS against.
    expect(requestsTo("GET", "/plans").map((r) => r.query)).toEqual([{ "filter[slug]": "c2-smal-x86" }, {}]);
    expect(requestsTo("GET", "/plans/operating_systems")).toHaveLength(0);
  });

  it("a typo far from every family gets close matches only, or none", async () => {
    const error = await catalogueError([ctoTest({ plan: "rs4-metal-larg", nodes: ["cp1"] }), ctoTest({ plan: "bigbox", nodes: ["worker1"] })]);
    expect(error.problems).toEqual([
      { configKey: "cto-metal:plan", nodes: ["cp1"], message: "plan rs4-metal-larg does not exist; similar plans: rs4-metal-large" },
      { configKey: "cto-metal:plan", nodes: ["worker1"], message: "plan bigbox does not exist, and no plan has a similar name" },
    ]);
    expect(requestsTo("GET", "/plans")).toHaveLength(3);
  });

  it("a plan not offered at the site lists where it is offered", async () => {
    const error = await catalogueError([ctoTest({ plan: "c2-large-x86" })]);
    expect(error.message).toBe(
      "Latitude catalogue check failed:\n  - cto-metal:plan (nodes cp1, worker1): plan c2-large-x86 is not offered at MIA2; offered at ASH, DAL, SAO",
    );
  });

  it("an out-of-stock plan lists the sites where it is in stock, same market first, sorted", async () => {
    const error = await catalogueError([ctoTest({ site: "DAL" })]);
    expect(error.problems).toEqual([
      {
        configKey: "cto-metal:plan",
        nodes: ["cp1", "worker1"],
        message:
          "plan c2-small-x86 is out of stock in DAL; in stock at ASH, CHI, MIA2, NYC in the same market (United States); in other markets at BUE, FRA, SAO, SAO2, TYO",
      },
    ]);
  });

  it("a plan out of stock everywhere says so", async () => {
    const error = await catalogueError([ctoTest({ plan: "rs4-metal-large", site: "DAL" })]);
    expect(error.problems.map((p) => p.message)).toEqual(["plan rs4-metal-large is out of stock in DAL; it is not in stock at any site right now, choose another plan"]);
  });

  it("ipxe is refused on a plan whose provisionable_on lacks it; another OS is fine there", async () => {
    const error = await catalogueError([ctoTest({ plan: "s2-small-x86", site: "SAO" })]);
    expect(error.problems.map((p) => p.message)).toEqual([
      "operating system ipxe cannot be installed on plan s2-small-x86 (its provisionable_on does not list s2.small.x86); choose another plan",
    ]);
    const quotes = await lookupPlans(newClient(), [ctoTest({ plan: "s2-small-x86", site: "SAO", operatingSystem: "ubuntu_24_04_x64_lts" })]);
    expect(quotes.map((q) => [q.plan, q.site, q.market])).toEqual([["s2-small-x86", "SAO", "Brazil"]]);
  });

  it("an unknown operating system is reported", async () => {
    const error = await catalogueError([ctoTest({ operatingSystem: "talos" })]);
    expect(error.problems.map((p) => p.message)).toEqual(["operating system talos is not in the Latitude catalogue"]);
  });

  it("a market without a price in the billed unit is a problem, not a zero (a fake catalogue: the emulator prices every unit)", async () => {
    const catalogue: PlanCatalogue = {
      listPlans: () =>
        Promise.resolve([
          {
            id: "plan_x",
            slug: "c2-small-x86",
            name: "c2.small.x86",
            regions: [{ name: "United States", locations: { available: ["MIA2"], in_stock: ["MIA2"] }, pricing: { USD: { hour: 0.2, month: null, year: null } } }],
          },
        ]),
      listOperatingSystems: () => Promise.resolve([{ id: "os_ipxe", slug: "ipxe", name: "Custom image (iPXE)", provisionable_on: ["c2.small.x86"] }]),
    };
    const error: unknown = await lookupPlans(catalogue, [ctoTest({ billing: "monthly" })]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CatalogueError);
    expect((error as CatalogueError).problems.map((p) => p.message)).toEqual([
      "plan c2-small-x86 has no USD price per month at MIA2 (United States market), so it cannot be billed monthly there; choose another billing, site or plan",
    ]);
    await expect(lookupPlans(catalogue, [ctoTest()])).resolves.toMatchObject([{ unitPrice: 0.2, hourly: 0.2, monthly: 146 }]);
  });

  it("collects every problem of every node into one error, one line per config key and problem", async () => {
    const error = await catalogueError([
      ctoTest({ plan: "c2-smal-x86", nodes: ["cp1"], configKey: "cto-metal:nodes[0].plan" }),
      ctoTest({ site: "DAL", nodes: ["cp2"], configKey: "cto-metal:nodes[1].plan" }),
      ctoTest({ plan: "s2-small-x86", site: "MIA2", nodes: ["worker1"], configKey: "cto-metal:nodes[2].plan" }),
      ctoTest({ nodes: ["worker2"], configKey: "cto-metal:plan" }),
      ctoTest({ plan: "s2-small-x86", site: "MIA2", nodes: ["worker3"], configKey: "cto-metal:nodes[2].plan" }),
    ]);
    expect(error.message).toBe(
      [
        "Latitude catalogue check failed:",
        "  - cto-metal:nodes[0].plan (node cp1): plan c2-smal-x86 does not exist; similar plans: c2-small-x86, c3-small-x86, s2-small-x86, c2-large-x86, c2-medium-x86",
        "  - cto-metal:nodes[1].plan (node cp2): plan c2-small-x86 is out of stock in DAL; in stock at ASH, CHI, MIA2, NYC in the same market (United States); in other markets at BUE, FRA, SAO, SAO2, TYO",
        "  - cto-metal:nodes[2].plan (nodes worker1, worker3): operating system ipxe cannot be installed on plan s2-small-x86 (its provisionable_on does not list s2.small.x86); choose another plan",
        "  - cto-metal:nodes[2].plan (nodes worker1, worker3): plan s2-small-x86 is not offered at MIA2; offered at ASH, DAL, SAO",
      ].join("\n"),
    );
    expect(error.problems).toHaveLength(4);
  });
});

describe("requests", () => {
  it("makes one GET /plans per distinct plan, however many nodes share it, and one OS list", async () => {
    const nodes = ["cp1", "cp2", "cp3", "worker1", "worker2"];
    const quotes = await lookupPlans(newClient(), [
      ...nodes.map((name, i) => ctoTest({ nodes: [name], configKey: `cto-metal:nodes[${i}].plan` })),
      ctoTest({ plan: "c3-small-x86", nodes: ["worker3"], configKey: "cto-metal:nodes[5].plan" }),
    ]);
    expect(quotes.map((q) => q.nodes[0])).toEqual([...nodes, "worker3"]);
    expect(
      requestsTo("GET", "/plans")
        .map((r) => r.query["filter[slug]"])
        .sort(),
    ).toEqual(["c2-small-x86", "c3-small-x86"]);
    expect(requestsTo("GET", "/plans/operating_systems")).toHaveLength(1);
    expect(emulator.requests).toHaveLength(3);
  });

  it("never writes: every request of any lookup, valid or not, is a catalogue GET", async () => {
    await lookupPlans(newClient(), [ctoTest()]);
    await catalogueError([ctoTest({ plan: "nope-x86" }), ctoTest({ site: "DAL" }), ctoTest({ plan: "s2-small-x86", site: "SAO" })]);
    expect(emulator.requests.length).toBeGreaterThan(0);
    expect(emulator.requests.filter((r) => r.method !== "GET")).toEqual([]);
    expect(new Set(emulator.requests.map((r) => r.path))).toEqual(new Set(["/plans", "/plans/operating_systems"]));
    expect(emulator.requests.every((r) => r.status === 200)).toBe(true);
  });
});
