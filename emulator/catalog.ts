// The seeded catalogue: sites, plans (with per-market prices and per-site stock) and operating systems.
// Slugs are the real ones from the reference (§5–§7); more than 20 sites so /regions needs two pages.
import { stableId } from "./ids";

export interface Site {
  id: string;
  slug: string;
  name: string;
  city: string;
  facility: string;
  country: { name: string; slug: string };
  /** The plan-pricing market the site belongs to. */
  market: string;
  /**
   * Whether servers here carry `primary_ipv6`. Recorded: absent on SAO servers (2024–25;
   * latitude-api.md §8.2); IPv6 seen in MIA2 ([3p] §8.2, latitude-networking.md). Other sites are
   * unrecorded: the Latin American ones are assumed to be like SAO, the rest like MIA2, so each
   * answer shape is served somewhere.
   */
  ipv6: boolean;
}

interface Market {
  name: string;
  country: { name: string; slug: string };
  /** Price multiplier against the plan's base USD price. */
  factor: number;
}

const MARKETS: Record<string, Market> = {
  US: { name: "United States", country: { name: "United States", slug: "united-states" }, factor: 1 },
  BR: { name: "Brazil", country: { name: "Brazil", slug: "brazil" }, factor: 1.1 },
  AR: { name: "Argentina", country: { name: "Argentina", slug: "argentina" }, factor: 1.45 },
  CL: { name: "Chile", country: { name: "Chile", slug: "chile" }, factor: 1.25 },
  CO: { name: "Colombia", country: { name: "Colombia", slug: "colombia" }, factor: 1.3 },
  MX: { name: "Mexico", country: { name: "Mexico", slug: "mexico" }, factor: 1.2 },
  DE: { name: "Germany", country: { name: "Germany", slug: "germany" }, factor: 1.15 },
  GB: { name: "United Kingdom", country: { name: "United Kingdom", slug: "united-kingdom" }, factor: 1.15 },
  NL: { name: "Netherlands", country: { name: "Netherlands", slug: "netherlands" }, factor: 1.15 },
  SG: { name: "Singapore", country: { name: "Singapore", slug: "singapore" }, factor: 1.35 },
  AU: { name: "Australia", country: { name: "Australia", slug: "australia" }, factor: 1.4 },
  JP: { name: "Japan", country: { name: "Japan", slug: "japan" }, factor: 1.3 },
};

// [slug, name, city, facility, market, ipv6]
const SITE_ROWS: Array<[string, string, string, string, keyof typeof MARKETS, boolean]> = [
  ["ASH", "Ashburn", "Ashburn", "DEFT IAD", "US", true],
  ["NYC", "New York", "New York", "Digital Realty NYC", "US", true],
  ["CHI", "Chicago", "Chicago", "Equinix CH1", "US", true],
  ["DAL", "Dallas", "Dallas", "Digital Realty DFW", "US", true],
  ["LAX", "Los Angeles", "Los Angeles", "CoreSite LA1", "US", true],
  ["MIA", "Miami", "Miami", "Equinix MI1", "US", true],
  ["MIA2", "Miami 2", "Miami", "EdgeConneX MIA", "US", true],
  ["SAO", "São Paulo", "São Paulo", "Equinix SP4", "BR", false],
  ["SAO2", "São Paulo 2", "São Paulo", "Scala SP2", "BR", false],
  ["BUE", "Buenos Aires", "Buenos Aires", "Telecom BUE", "AR", false],
  ["SAN", "Santiago", "Santiago", "Ascenty SCL", "CL", false],
  ["SAN3", "Santiago 3", "Santiago", "Scala SCL1", "CL", false],
  ["BGT", "Bogotá", "Bogotá", "Equinix BG1", "CO", false],
  ["MEX", "Mexico City", "Mexico City", "KIO MEX", "MX", true],
  ["MEX2", "Mexico City 2", "Querétaro", "Scala QRO", "MX", true],
  ["FRA", "Frankfurt", "Frankfurt", "Equinix FR5", "DE", true],
  ["LON", "London", "London", "Equinix LD8", "GB", true],
  ["LON2", "London 2", "London", "Digital Realty LHR", "GB", true],
  ["AMS", "Amsterdam", "Amsterdam", "Equinix AM7", "NL", true],
  ["SGP", "Singapore", "Singapore", "Equinix SG3", "SG", true],
  ["SYD", "Sydney", "Sydney", "Equinix SY4", "AU", true],
  ["SYD2", "Sydney 2", "Sydney", "NextDC S2", "AU", true],
  ["TYO", "Tokyo", "Tokyo", "Equinix TY8", "JP", true],
  ["TYO2", "Tokyo 2", "Tokyo", "Equinix TY11", "JP", true],
  ["TYO3", "Tokyo 3", "Tokyo", "AT TOKYO CC1", "JP", true],
  ["TYO4", "Tokyo 4", "Tokyo", "Digital Edge TYO", "JP", true],
];

export const SITES: readonly Site[] = SITE_ROWS.map(([slug, name, city, facility, market, ipv6]) => {
  const m = MARKETS[market];
  if (!m) throw new Error(`unknown market ${market}`);
  return { id: stableId("loc_", slug), slug, name, city, facility, country: m.country, market: m.name, ipv6 };
});

export const SITE_SLUGS: readonly string[] = SITES.map((s) => s.slug);

export interface Plan {
  id: string;
  slug: string;
  /** Dotted form, used by operating_systems.provisionable_on and filter[name]. */
  name: string;
  cpu: { type: string; clock: number; cores: number; count: number };
  ramGb: number;
  drives: Array<{ count: number; size: string; type: "SSD" | "HDD" | "NVME" }>;
  nics: Array<{ count: number; type: string }>;
  gpu?: { count: number; type: string; vram_per_gpu: number; interconnect: string | null };
  /** Base USD hourly price; markets scale it. */
  hourUsd: number;
  available: readonly string[];
  /** Sites with capacity when the emulator starts (mutable per instance via Stock). */
  inStock: readonly string[];
}

type PlanRow = Omit<Plan, "id" | "name">;

const PLAN_ROWS: PlanRow[] = [
  {
    slug: "c2-small-x86",
    cpu: { type: "Intel Xeon E-2186G", clock: 3.8, cores: 6, count: 1 },
    ramGb: 32,
    drives: [{ count: 2, size: "500 GB", type: "SSD" }],
    nics: [{ count: 2, type: "10 Gbps" }],
    hourUsd: 0.2,
    available: ["ASH", "NYC", "CHI", "DAL", "LAX", "MIA", "MIA2", "SAO", "SAO2", "BUE", "SAN", "BGT", "MEX", "FRA", "LON", "TYO"],
    inStock: ["ASH", "NYC", "CHI", "MIA2", "SAO", "SAO2", "BUE", "FRA", "TYO"],
  },
  {
    slug: "c2-medium-x86",
    cpu: { type: "Intel Xeon E-2276G", clock: 3.8, cores: 6, count: 1 },
    ramGb: 64,
    drives: [{ count: 2, size: "1 TB", type: "NVME" }],
    nics: [{ count: 2, type: "10 Gbps" }],
    hourUsd: 0.35,
    available: ["ASH", "NYC", "DAL", "LAX", "MIA2", "SAO", "FRA", "LON", "TYO"],
    inStock: ["NYC", "MIA2", "SAO", "LON"],
  },
  {
    slug: "c2-large-x86",
    cpu: { type: "Intel Xeon Silver 4210R", clock: 2.4, cores: 10, count: 2 },
    ramGb: 128,
    drives: [{ count: 2, size: "960 GB", type: "NVME" }],
    nics: [{ count: 2, type: "10 Gbps" }],
    hourUsd: 0.62,
    available: ["ASH", "DAL", "SAO"],
    inStock: ["DAL"],
  },
  {
    slug: "c3-small-x86",
    cpu: { type: "Intel Xeon E-2388G", clock: 3.2, cores: 8, count: 1 },
    ramGb: 64,
    drives: [{ count: 2, size: "480 GB", type: "SSD" }],
    nics: [{ count: 2, type: "10 Gbps" }],
    hourUsd: 0.3,
    available: ["ASH", "NYC", "CHI", "DAL", "MIA2", "SAO2", "AMS", "SGP", "SYD"],
    inStock: ["ASH", "DAL", "MIA2", "SAO2", "SYD"],
  },
  {
    slug: "c3-medium-x86",
    cpu: { type: "AMD EPYC 7443P", clock: 2.85, cores: 24, count: 1 },
    ramGb: 256,
    drives: [{ count: 2, size: "1.9 TB", type: "NVME" }],
    nics: [{ count: 2, type: "25 Gbps" }],
    hourUsd: 0.75,
    available: ["ASH", "NYC", "DAL", "LAX", "MIA2", "SAO2", "FRA", "TYO2"],
    inStock: ["ASH", "NYC", "MIA2"],
  },
  {
    slug: "c3-large-x86",
    cpu: { type: "AMD EPYC 7543P", clock: 2.8, cores: 32, count: 1 },
    ramGb: 512,
    drives: [{ count: 2, size: "3.8 TB", type: "NVME" }],
    nics: [{ count: 2, type: "25 Gbps" }],
    hourUsd: 1.2,
    available: ["ASH", "DAL", "LAX"],
    inStock: ["LAX"],
  },
  {
    slug: "s2-small-x86",
    cpu: { type: "Intel Xeon E-2286G", clock: 4, cores: 6, count: 1 },
    ramGb: 32,
    drives: [{ count: 4, size: "8 TB", type: "HDD" }],
    nics: [{ count: 2, type: "10 Gbps" }],
    hourUsd: 0.4,
    available: ["ASH", "DAL", "SAO"],
    inStock: ["SAO"],
  },
  {
    slug: "m4-metal-small",
    cpu: { type: "AMD EPYC 9124", clock: 3, cores: 16, count: 1 },
    ramGb: 128,
    drives: [{ count: 2, size: "960 GB", type: "NVME" }],
    nics: [{ count: 2, type: "25 Gbps" }],
    hourUsd: 0.55,
    available: ["ASH", "NYC", "DAL", "MIA2", "FRA", "LON2", "SYD2", "TYO3", "MEX2"],
    inStock: ["ASH", "MIA2", "FRA"],
  },
  {
    slug: "m4-metal-medium",
    cpu: { type: "AMD EPYC 9254", clock: 2.9, cores: 24, count: 1 },
    ramGb: 384,
    drives: [{ count: 2, size: "1.9 TB", type: "NVME" }],
    nics: [{ count: 2, type: "25 Gbps" }],
    hourUsd: 0.95,
    available: ["ASH", "DAL", "MIA2"],
    inStock: ["DAL"],
  },
  {
    slug: "f4-metal-small",
    cpu: { type: "AMD EPYC 4464P", clock: 3.7, cores: 12, count: 1 },
    ramGb: 64,
    drives: [{ count: 2, size: "960 GB", type: "NVME" }],
    nics: [{ count: 2, type: "10 Gbps" }],
    hourUsd: 0.32,
    available: ["DAL", "LAX", "TYO4"],
    inStock: ["DAL"],
  },
  {
    slug: "rs4-metal-large",
    cpu: { type: "AMD EPYC 9354P", clock: 3.25, cores: 32, count: 1 },
    ramGb: 768,
    drives: [{ count: 4, size: "7.6 TB", type: "NVME" }],
    nics: [{ count: 2, type: "100 Gbps" }],
    hourUsd: 2.1,
    available: ["ASH", "DAL"],
    inStock: [],
  },
  {
    slug: "g3-l40s-large",
    cpu: { type: "AMD EPYC 9354", clock: 3.25, cores: 32, count: 2 },
    ramGb: 768,
    drives: [{ count: 2, size: "3.8 TB", type: "NVME" }],
    nics: [{ count: 2, type: "100 Gbps" }],
    gpu: { count: 4, type: "NVIDIA L40S", vram_per_gpu: 48, interconnect: null },
    hourUsd: 5.4,
    available: ["ASH", "DAL", "MIA2", "SAN3"],
    inStock: ["DAL", "SAN3"],
  },
  {
    slug: "g3-h100-small",
    cpu: { type: "Intel Xeon Gold 6448Y", clock: 2.1, cores: 32, count: 1 },
    ramGb: 256,
    drives: [{ count: 2, size: "1.9 TB", type: "NVME" }],
    nics: [{ count: 2, type: "25 Gbps" }],
    gpu: { count: 1, type: "NVIDIA H100 PCIe", vram_per_gpu: 80, interconnect: "PCIe" },
    hourUsd: 2.4,
    available: ["ASH", "DAL"],
    inStock: ["ASH"],
  },
];

export const PLANS: readonly Plan[] = PLAN_ROWS.map((row) => ({
  ...row,
  id: stableId("plan_", row.slug),
  name: row.slug.replace(/-/g, "."),
}));

export const PLAN_SLUGS: readonly string[] = PLANS.map((p) => p.slug);

export interface OperatingSystem {
  id: string;
  slug: string;
  name: string;
  distro: string;
  series: string;
  user: string;
  version: string;
  features: { raid: boolean; rescue: boolean; ssh_keys: boolean; user_data: boolean };
  provisionableOn: readonly string[];
}

const allPlanNames = PLANS.map((p) => p.name);
const cpuPlanNames = PLANS.filter((p) => !p.gpu).map((p) => p.name);
const linux = { raid: true, rescue: true, ssh_keys: true, user_data: true };

export const OPERATING_SYSTEMS: readonly OperatingSystem[] = [
  { slug: "ubuntu_22_04_x64_lts", name: "Ubuntu 22.04 x64 LTS", distro: "ubuntu", series: "jammy", user: "ubuntu", version: "22.04", features: linux, provisionableOn: allPlanNames },
  { slug: "ubuntu_24_04_x64_lts", name: "Ubuntu 24.04 x64 LTS", distro: "ubuntu", series: "noble", user: "ubuntu", version: "24.04", features: linux, provisionableOn: allPlanNames },
  { slug: "debian_12", name: "Debian 12", distro: "debian", series: "bookworm", user: "debian", version: "12", features: linux, provisionableOn: allPlanNames },
  { slug: "rockylinux_8", name: "Rocky Linux 8", distro: "rockylinux", series: "green obsidian", user: "cloud-user", version: "8", features: { ...linux, user_data: false }, provisionableOn: cpuPlanNames },
  { slug: "windows_2022_std", name: "Windows Server 2022 Standard", distro: "windows", series: "2022", user: "Admin", version: "2022", features: { raid: true, rescue: false, ssh_keys: false, user_data: false }, provisionableOn: cpuPlanNames },
  // iPXE: Latitude applies nothing (all features false); not offered on the storage plan, so the
  // provisionable_on check has a failing case.
  { slug: "ipxe", name: "Custom image (iPXE)", distro: "ipxe", series: "ipxe", user: "root", version: "ipxe", features: { raid: false, rescue: false, ssh_keys: false, user_data: false }, provisionableOn: allPlanNames.filter((n) => n !== "s2.small.x86") },
].map((os) => ({ ...os, id: stableId("os_", os.slug) }));

export const OS_SLUGS: readonly string[] = OPERATING_SYSTEMS.map((o) => o.slug);

export function findSite(slug: string): Site | undefined {
  return SITES.find((s) => s.slug === slug);
}
export function findPlan(slug: string): Plan | undefined {
  return PLANS.find((p) => p.slug === slug);
}
export function findOs(slug: string): OperatingSystem | undefined {
  return OPERATING_SYSTEMS.find((o) => o.slug === slug);
}

export interface Price {
  hour: number;
  month: number;
  year: number;
}

/** USD price of a plan in a market (all sites of a market share it). */
export function marketPrice(plan: Plan, marketName: string): Price {
  const market = Object.values(MARKETS).find((m) => m.name === marketName);
  const hour = Math.round(plan.hourUsd * (market?.factor ?? 1) * 100) / 100;
  const month = Math.round(hour * 695);
  return { hour, month, year: Math.round(month * 8.8) };
}

/** A server's `price`: the number in its billing unit. */
export function billingPrice(plan: Plan, site: Site, billing: string): number {
  const p = marketPrice(plan, site.market);
  return billing === "yearly" ? p.year : billing === "monthly" ? p.month : p.hour;
}

/** Per-instance stock, so tests can empty or fill a site without touching other emulators. */
export class Stock {
  private readonly inStock = new Map<string, Set<string>>();

  constructor() {
    for (const p of PLANS) this.inStock.set(p.slug, new Set(p.inStock));
  }

  has(plan: string, site: string): boolean {
    return this.inStock.get(plan)?.has(site) ?? false;
  }

  sites(plan: string): string[] {
    return [...(this.inStock.get(plan) ?? [])];
  }

  set(plan: string, site: string, inStock: boolean): void {
    const p = findPlan(plan);
    if (!p || !p.available.includes(site)) throw new Error(`plan ${plan} is not offered at ${site}`);
    const set = this.inStock.get(plan) ?? new Set<string>();
    if (inStock) set.add(site);
    else set.delete(site);
    this.inStock.set(plan, set);
  }
}

/** Total disk of a plan in GB (filter[disk] on plans and servers). */
export function diskGb(plan: Plan): number {
  return plan.drives.reduce((sum, d) => {
    const [num, unit] = d.size.split(" ");
    const gb = Number(num) * (unit === "TB" ? 1000 : 1);
    return sum + d.count * gb;
  }, 0);
}

/** Markets in which a plan is offered, in catalogue order. */
export function planMarkets(plan: Plan): string[] {
  const names: string[] = [];
  for (const s of SITES) if (plan.available.includes(s.slug) && !names.includes(s.market)) names.push(s.market);
  return names;
}
