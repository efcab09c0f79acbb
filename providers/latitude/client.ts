// Typed Latitude API client: one method per call the program makes, responses checked with zod.
// Lists page until the API says they are done; creates return what the API returned (partial
// for servers: re-read with getServer). 404 on a read or delete means "gone", not an error.
import { isLatitudeApiError, LatitudeUnknownOutcomeError } from "./errors";
import { latitudeSchemas, type LatitudeSchemas, type OperatingSystem, type Plan, type Project, type Region, type ResourceKind, type Server, type SshKey, type Tag, type VirtualNetwork, type VlanAssignment, type Resource } from "./schemas";
import { sharedState } from "./sharedState";
import { StatusPoller } from "./statusPoller";
import { Transport, type RequestSpec, type TransportOptions } from "./transport";

export interface LatitudeClientOptions extends TransportOptions {
  /** Items per list page (the API's default is 20; the maximum is undocumented). */
  pageSize?: number;
  /** Interval of the shared status poller. */
  pollIntervalMs?: number;
}

type Filters = Record<string, string | number | boolean | undefined>;
type Attributes = Record<string, unknown>;

export interface ServerCreate {
  project: string;
  plan: string;
  site: string;
  operating_system: string;
  hostname: string;
  billing: "hourly" | "monthly" | "yearly";
  ssh_keys?: string[];
  ipxe?: string;
  user_data?: string;
  raid?: string;
}

export interface ServerUpdate {
  hostname?: string;
  billing?: string;
  tags?: string[];
  project?: string;
}

export class LatitudeClient {
  readonly transport: Transport;
  private readonly pageSize: number;
  private readonly pollIntervalMs: number;

  constructor(options: LatitudeClientOptions) {
    this.transport = new Transport(options);
    this.pageSize = options.pageSize ?? 50;
    this.pollIntervalMs = options.pollIntervalMs ?? 10_000;
  }

  // --- servers -------------------------------------------------------------------------------

  listServers(filters: { project?: string; hostname?: string; status?: string; region?: string; tags?: string; plan?: string } = {}): Promise<Server[]> {
    return this.list("server", "/servers", prefixFilters(filters));
  }
  getServer(id: string): Promise<Server | undefined> {
    return this.get("server", `/servers/${encodeURIComponent(id)}`);
  }
  createServer(attributes: ServerCreate): Promise<Server> {
    return this.write("server", "POST", "/servers", { data: { type: "servers", attributes } });
  }
  updateServer(id: string, attributes: ServerUpdate): Promise<Server> {
    return this.write("server", "PATCH", `/servers/${encodeURIComponent(id)}`, { data: { id, type: "servers", attributes } });
  }
  async reinstallServer(id: string, attributes: Attributes): Promise<void> {
    await this.transport.request("POST", `/servers/${encodeURIComponent(id)}/reinstall`, { body: { data: { type: "reinstalls", attributes } } });
  }
  /** Returns false when the server was already gone. */
  deleteServer(id: string): Promise<boolean> {
    return this.remove(`/servers/${encodeURIComponent(id)}`);
  }

  /** The shared poller of a project's servers (one list call per tick for every waiter). */
  serverPoller(project: string): StatusPoller<Server> {
    const pollers = sharedState().pollers;
    const key = `${this.transport.apiUrl}|${this.transport.keyId}|${project}|${this.pollIntervalMs}`;
    let poller = pollers.get(key) as StatusPoller<Server> | undefined;
    if (!poller) {
      poller = new StatusPoller<Server>(() => this.listServers({ project }), this.pollIntervalMs);
      pollers.set(key, poller as never);
    }
    return poller;
  }

  // --- projects ------------------------------------------------------------------------------

  listProjects(filters: { name?: string; slug?: string } = {}): Promise<Project[]> {
    return this.list("project", "/projects", prefixFilters(filters));
  }
  /** Projects have no reliable single GET: look them up through the filtered list. */
  async findProject(idOrSlug: string): Promise<Project | undefined> {
    if (idOrSlug.startsWith("proj_")) return (await this.listProjects()).find((p) => p.id === idOrSlug);
    return (await this.listProjects({ slug: idOrSlug })).find((p) => p.slug === idOrSlug);
  }
  createProject(attributes: { name: string; provisioning_type: string; description?: string; environment?: string }): Promise<Project> {
    return this.write("project", "POST", "/projects", { data: { type: "projects", attributes } });
  }
  updateProject(id: string, attributes: Attributes): Promise<Project> {
    return this.write("project", "PATCH", `/projects/${encodeURIComponent(id)}`, { data: { id, type: "projects", attributes } });
  }
  deleteProject(id: string): Promise<boolean> {
    return this.remove(`/projects/${encodeURIComponent(id)}`);
  }

  // --- catalogue -----------------------------------------------------------------------------

  /** `GET /plans` is not paginated. */
  listPlans(filters: { slug?: string; location?: string; in_stock?: boolean; gpu?: boolean; name?: string } = {}): Promise<Plan[]> {
    return this.list("plan", "/plans", prefixFilters(filters), { paged: false });
  }
  listRegions(): Promise<Region[]> {
    return this.list("region", "/regions", {});
  }
  listOperatingSystems(): Promise<OperatingSystem[]> {
    return this.list("operatingSystem", "/plans/operating_systems", {});
  }

  // --- SSH keys ------------------------------------------------------------------------------

  /** `scope`: "team" lists only keys bound to no project, "project" only bound ones. */
  listSshKeys(filters: { project?: string; scope?: "project" | "team" } = {}): Promise<SshKey[]> {
    return this.list("sshKey", "/ssh_keys", prefixFilters(filters));
  }
  getSshKey(id: string): Promise<SshKey | undefined> {
    return this.get("sshKey", `/ssh_keys/${encodeURIComponent(id)}`);
  }
  createSshKey(attributes: { name: string; public_key: string; project?: string }): Promise<SshKey> {
    return this.write("sshKey", "POST", "/ssh_keys", { data: { type: "ssh_keys", attributes } });
  }
  updateSshKey(id: string, attributes: { name?: string; tags?: string[] }): Promise<SshKey> {
    return this.write("sshKey", "PATCH", `/ssh_keys/${encodeURIComponent(id)}`, { data: { id, type: "ssh_keys", attributes } });
  }
  deleteSshKey(id: string): Promise<boolean> {
    return this.remove(`/ssh_keys/${encodeURIComponent(id)}`);
  }

  // --- tags (team-wide, unique names, no pagination, no single GET) --------------------------

  listTags(): Promise<Tag[]> {
    return this.list("tag", "/tags", {}, { paged: false });
  }
  createTag(attributes: { name: string; description?: string; color?: string }): Promise<Tag> {
    return this.write("tag", "POST", "/tags", { data: { type: "tags", attributes } });
  }
  updateTag(id: string, attributes: { name?: string; description?: string; color?: string }): Promise<Tag> {
    return this.write("tag", "PATCH", `/tags/${encodeURIComponent(id)}`, { data: { id, type: "tags", attributes } });
  }
  deleteTag(id: string): Promise<boolean> {
    return this.remove(`/tags/${encodeURIComponent(id)}`);
  }

  // --- VLANs and their assignments -----------------------------------------------------------

  listVirtualNetworks(filters: { project?: string; location?: string } = {}): Promise<VirtualNetwork[]> {
    return this.list("virtualNetwork", "/virtual_networks", prefixFilters(filters));
  }
  getVirtualNetwork(id: string): Promise<VirtualNetwork | undefined> {
    return this.get("virtualNetwork", `/virtual_networks/${encodeURIComponent(id)}`);
  }
  /** Create uses the singular type `virtual_network`, as every official client does. */
  createVirtualNetwork(attributes: { site: string; project: string; description: string }): Promise<VirtualNetwork> {
    return this.write("virtualNetwork", "POST", "/virtual_networks", { data: { type: "virtual_network", attributes } });
  }
  updateVirtualNetwork(id: string, attributes: { description?: string; tags?: string[] }): Promise<VirtualNetwork> {
    return this.write("virtualNetwork", "PATCH", `/virtual_networks/${encodeURIComponent(id)}`, { data: { id, type: "virtual_networks", attributes } });
  }
  deleteVirtualNetwork(id: string): Promise<boolean> {
    return this.remove(`/virtual_networks/${encodeURIComponent(id)}`);
  }
  listVlanAssignments(filters: { server?: string; virtual_network_id?: string } = {}): Promise<VlanAssignment[]> {
    return this.list("vlanAssignment", "/virtual_networks/assignments", prefixFilters(filters));
  }
  createVlanAssignment(serverId: string, virtualNetworkId: string): Promise<VlanAssignment> {
    return this.write("vlanAssignment", "POST", "/virtual_networks/assignments", {
      data: { type: "virtual_network_assignment", attributes: { server_id: serverId, virtual_network_id: virtualNetworkId } },
    });
  }
  deleteVlanAssignment(id: string): Promise<boolean> {
    return this.remove(`/virtual_networks/assignments/${encodeURIComponent(id)}`);
  }

  // --- plumbing ------------------------------------------------------------------------------

  private parseItem<K extends ResourceKind>(kind: K, raw: unknown, where: string): Resource<K> {
    const schemas: LatitudeSchemas = latitudeSchemas();
    const item = schemas.envelopeItem.safeParse(raw);
    if (!item.success) throw new Error(`Latitude ${where}: unexpected response shape (${item.error.issues[0]?.message ?? "invalid"})`);
    const attributes = schemas[kind].safeParse(item.data.attributes);
    if (!attributes.success) {
      const issue = attributes.error.issues[0];
      throw new Error(`Latitude ${where}: unexpected ${kind} attributes at ${issue?.path.join(".") || "(root)"}: ${issue?.message ?? "invalid"}`);
    }
    return { id: item.data.id, ...(attributes.data as object) } as Resource<K>;
  }

  private dataOf(body: unknown): unknown {
    return body !== null && typeof body === "object" ? (body as { data?: unknown }).data : undefined;
  }

  private async get<K extends ResourceKind>(kind: K, path: string): Promise<Resource<K> | undefined> {
    try {
      const { body } = await this.transport.request("GET", path);
      return this.parseItem(kind, this.dataOf(body), `GET ${path}`);
    } catch (error) {
      if (isLatitudeApiError(error, 404)) return undefined;
      throw error;
    }
  }

  private async write<K extends ResourceKind>(kind: K, method: "POST" | "PATCH", path: string, body: unknown): Promise<Resource<K>> {
    const response = await this.transport.request(method, path, { body });
    try {
      return this.parseItem(kind, this.dataOf(response.body), `${method} ${path}`);
    } catch (error) {
      // The create succeeded even if its answer is unreadable: callers must look, not retry.
      if (method === "POST") throw new LatitudeUnknownOutcomeError(method, path, error instanceof Error ? error.message : String(error));
      throw error;
    }
  }

  private async remove(path: string): Promise<boolean> {
    try {
      await this.transport.request("DELETE", path);
      return true;
    } catch (error) {
      if (isLatitudeApiError(error, 404)) return false;
      throw error;
    }
  }

  /**
   * Pages until a page is empty, shorter than asked, or the total from `stats[total]` is reached
   * (the total guards against a server-side cap on page size silently ending the walk early).
   */
  private async list<K extends ResourceKind>(kind: K, path: string, filters: Filters, options: { paged?: boolean } = {}): Promise<Resource<K>[]> {
    const items: Resource<K>[] = [];
    const paged = options.paged ?? true;
    for (let page = 1; ; page++) {
      const query: RequestSpec["query"] = paged ? { ...filters, "page[size]": this.pageSize, "page[number]": page, "stats[total]": "count" } : filters;
      const { body } = await this.transport.request("GET", path, { query });
      const data = this.dataOf(body);
      if (!Array.isArray(data)) throw new Error(`Latitude GET ${path}: expected a list in "data"`);
      for (const raw of data) items.push(this.parseItem(kind, raw, `GET ${path}`));
      if (!paged || data.length === 0) return items;
      const meta = latitudeSchemas().listMeta.safeParse((body as { meta?: unknown }).meta);
      const total = meta.success ? meta.data?.stats?.total?.count : undefined;
      if (total !== undefined ? items.length >= total : data.length < this.pageSize) return items;
    }
  }
}

function prefixFilters(filters: Filters): Filters {
  return Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined).map(([k, v]) => [`filter[${k}]`, v]));
}
