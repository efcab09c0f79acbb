// Where the real Latitude API, as recorded, differs from its official OpenAPI document: the one
// list of differences the oracle excuses. Each entry names the operation(s) and the field, says
// what differs, and cites its evidence (a section of shared/reference/latitude-api.md, which
// summarises recorded real exchanges, or a place in the spec itself). Every entry carries an
// example exchange that the spec alone refuses and the entry accepts (deviations.test.ts), so
// none can outlive the difference it covers.
import type { Exchange } from "../../emulator/exchangeObserver";

export type Place = "request" | "response" | "query" | "operation" | "status";

export interface Deviation {
  id: string;
  /** `METHOD /template` as the spec writes it (or as recorded, for an operation the spec lacks); "*" = any. */
  operations: readonly string[] | "*";
  place: Place;
  /** JSON pointer in the body (`*` one segment, `**` any; list indices are ignored) or a query parameter name. */
  pointer?: string;
  /** The schema keyword excused: required, additionalProperties, enum, type, undeclared (query), status. */
  keyword?: string;
  /** Only these offending values. */
  values?: readonly unknown[];
  /** Only answers with these statuses; "errors" = any 4xx or 5xx. */
  statuses?: readonly number[] | "errors";
  /** For an undeclared status or operation: the schema the answer is judged by instead. */
  answer?: (ref: (component: string) => { $ref: string }) => object;
  differs: string;
  evidence: string;
  /** An exchange the spec refuses and this entry accepts. */
  example: Exchange;
}

const NO_HEADERS = {};
const ex = (method: string, path: string, status: number, responseBody?: unknown, requestBody?: unknown, query: Record<string, string> = {}): Exchange => ({
  method,
  path,
  query,
  requestHeaders: NO_HEADERS,
  requestBody,
  status,
  responseBody,
});

const SERVER_ANSWERS = ["POST /servers", "GET /servers", "GET /servers/{server_id}", "PATCH /servers/{server_id}", "POST /servers/{server_id}/lock", "POST /servers/{server_id}/unlock"];
const server = (attributes: Record<string, unknown>): unknown => ({ data: { id: "sv_x", type: "servers", attributes }, meta: {} });

/** The error document recorded from the real API (latitude-api.md §3.1), closed to its fields. */
const ERROR_DOCUMENT = {
  type: "object",
  required: ["errors"],
  additionalProperties: false,
  properties: {
    errors: {
      type: "array",
      minItems: 1,
      items: {
        type: "object",
        required: ["code"],
        additionalProperties: false,
        // Core routes write title + detail; newer ones (Kubernetes) a message (§3.1).
        anyOf: [{ required: ["title", "detail"] }, { required: ["message"] }],
        properties: {
          code: { type: ["string", "null"] },
          status: { type: "string" },
          title: { type: "string" },
          detail: { type: "string" },
          message: { type: "string" },
          source: { type: "object", additionalProperties: false, properties: { pointer: { type: "string" }, parameter: { type: "string" } } },
          meta: { type: "object" },
        },
      },
    },
  },
};

const VLAN_CREATED = { data: { id: "vlan_x", type: "virtual_networks", attributes: { vid: 2000 } }, meta: {} };
const region = (attributes: Record<string, unknown>, type?: string): unknown => ({ data: [{ id: "loc_x", ...(type ? { type } : {}), attributes }], meta: {} });
const REGION_ANSWERS = ["GET /regions", "GET /regions/{region_id}"];
const REC_REGIONS = "latitude-api.md §6 (recorded region object: name, slug, facility, country, type \"Core\"; the spec's examples are fake)";

export const DEVIATIONS: readonly Deviation[] = [
  {
    id: "undeclared-error-statuses",
    operations: "*",
    place: "status",
    statuses: "errors",
    answer: () => ERROR_DOCUMENT,
    differs: "The spec declares almost no error answers for the core routes; the real API answers 4xx/5xx with its error document, so those are judged by the recorded error shape.",
    evidence: "latitude-api.md §14 (Known gaps: almost no error responses are declared for core server/project/VLAN routes) and §3.1 (the recorded error document, e.g. the 404 `not_found` body)",
    example: ex("GET", "/servers/sv_x", 404, { errors: [{ code: "not_found", status: "404", title: "Error", detail: "Specified Record Not Found", meta: {} }] }),
  },
  {
    id: "server-status-starting-deploy",
    operations: SERVER_ANSWERS,
    place: "response",
    pointer: "/data/attributes/status",
    keyword: "enum",
    values: ["starting_deploy"],
    differs: "`starting_deploy` is missing from the server status enum; every recorded create answer has it.",
    evidence: "latitude-api.md §8.4 (status table: starting_deploy, [rec] only) and §19 (starting_deploy is real); §14 Known gaps",
    example: ex("GET", "/servers/sv_x", 200, server({ status: "starting_deploy" })),
  },
  {
    id: "server-tags",
    operations: SERVER_ANSWERS,
    place: "response",
    pointer: "/data/attributes/tags",
    keyword: "additionalProperties",
    differs: "Server answers carry `tags` ([{id, name, description, color}]); the server schema lists no such field.",
    evidence: "latitude-api.md §8.2 (server attributes: tags) and §14 (Known gaps: server tags/price appear only in examples)",
    example: ex("GET", "/servers/sv_x", 200, server({ tags: [] })),
  },
  {
    id: "server-price",
    operations: SERVER_ANSWERS,
    place: "response",
    pointer: "/data/attributes/price",
    keyword: "additionalProperties",
    differs: "Server answers carry `price` (a decimal in the plan's billing unit); the server schema lists no such field.",
    evidence: "latitude-api.md §8.2 (price: number, in the plan's billing unit; a 2025 SAO server reported 0.18) and §14 (Known gaps)",
    example: ex("GET", "/servers/sv_x", 200, server({ price: 0.18 })),
  },
  {
    id: "server-os-feature-rescue",
    operations: SERVER_ANSWERS,
    place: "response",
    pointer: "/data/attributes/operating_system/features/rescue",
    keyword: "additionalProperties",
    differs: "A server's operating_system.features has `rescue`; the schema lists raid, ssh_keys and user_data only.",
    evidence: "latitude-api.md §8.2 (operating_system {…, features{raid,rescue,ssh_keys,user_data}})",
    example: ex("GET", "/servers/sv_x", 200, server({ operating_system: { features: { rescue: true } } })),
  },
  {
    id: "os-feature-rescue",
    operations: ["GET /plans/operating_systems"],
    place: "response",
    pointer: "/data/attributes/features/rescue",
    keyword: "additionalProperties",
    differs: "Operating systems' features have `rescue`; the schema lists raid, ssh_keys and user_data only.",
    evidence: "latitude-api.md §7 (features {raid, rescue, ssh_keys, user_data, accelerate?}) and §8.6 (rescue needs features.rescue)",
    example: ex("GET", "/plans/operating_systems", 200, { data: [{ id: "os_x", type: "operating_system", attributes: { features: { rescue: false } } }], meta: {} }),
  },
  {
    id: "region-type",
    operations: REGION_ANSWERS,
    place: "response",
    pointer: "/data/type",
    keyword: "additionalProperties",
    differs: "Region items carry `type: \"regions\"` like every other resource; the regions schema lists only id and attributes.",
    evidence: `${REC_REGIONS}; §1.1 (every resource has id, type, attributes)`,
    example: ex("GET", "/regions", 200, region({}, "regions")),
  },
  {
    id: "region-facility",
    operations: REGION_ANSWERS,
    place: "response",
    pointer: "/data/attributes/facility",
    keyword: "additionalProperties",
    differs: "Regions carry `facility` (the data centre's name); the schema lists slug, name and country only.",
    evidence: REC_REGIONS,
    example: ex("GET", "/regions", 200, region({ facility: "Scala SP2" })),
  },
  {
    id: "region-attribute-type",
    operations: REGION_ANSWERS,
    place: "response",
    pointer: "/data/attributes/type",
    keyword: "additionalProperties",
    differs: "Regions carry attribute `type` (\"Core\"); the schema lists slug, name and country only.",
    evidence: REC_REGIONS,
    example: ex("GET", "/regions", 200, region({ type: "Core" })),
  },
  {
    id: "regions-filter-slug",
    operations: ["GET /regions"],
    place: "query",
    pointer: "filter[slug]",
    keyword: "undeclared",
    differs: "GET /regions declares no filters; `filter[slug]=SAO` answered with the SAO region only.",
    evidence: "latitude-api.md §6 (`filter[slug]=SAO` worked in 2024)",
    example: ex("GET", "/regions", 200, { data: [], meta: {} }, undefined, { "filter[slug]": "SAO" }),
  },
  {
    id: "meta-beside-data",
    operations: ["POST /projects", "PATCH /projects/{project_id}", "POST /ssh_keys", "GET /ssh_keys/{ssh_key_id}", "PATCH /ssh_keys/{ssh_key_id}", "GET /plans", "GET /plans/{plan_id}", "GET /regions/{region_id}"],
    place: "response",
    pointer: "/meta",
    keyword: "additionalProperties",
    differs: "These answers carry `\"meta\": {}` beside `data`; their schemas declare `data` only.",
    evidence: "latitude-api.md §1.1 (envelope: a single resource is {data, meta: {}}) and §2 (lists return meta {}); recorded for project create/update, SSH key create/read/update (the project-scoped routes, same schemas, §9), a region and the plan list",
    example: ex("GET", "/plans", 200, { data: [], meta: {} }),
  },
  {
    id: "vlan-written-site",
    operations: ["POST /virtual_networks", "PATCH /virtual_networks/{vlan_id}"],
    place: "response",
    pointer: "/data/attributes/site",
    keyword: "additionalProperties",
    differs: "VLAN create and update answers carry `site` (and `name` \"SITE-VID\", no region); the schema has no `site`.",
    evidence: "latitude-api.md §11 (create → 201 {vid, name, description, site, tags}; the read shape differs) and §19",
    example: ex("PATCH", "/virtual_networks/vlan_x", 200, { data: { id: "vlan_x", type: "virtual_networks", attributes: { site: "SAO2" } }, meta: {} }, { data: { id: "vlan_x", type: "virtual_networks", attributes: { tags: [""] } } }),
  },
  {
    id: "vlan-create-location",
    operations: ["POST /virtual_networks"],
    place: "request",
    pointer: "/data/attributes/location",
    keyword: "required",
    differs: "The spec's `required` lists `location`, which is not among its properties; clients send `site` and get 201.",
    evidence: "latitude-api.md §11 (the spec's required list says location, but clients send site) and §14 (Known gaps: VLAN-create required lists a non-existent location)",
    example: ex("POST", "/virtual_networks", 201, VLAN_CREATED, { data: { id: "", type: "virtual_network", attributes: { description: "d", site: "SAO", project: "proj_x" } } }),
  },
  {
    id: "vlan-create-id",
    operations: ["POST /virtual_networks"],
    place: "request",
    pointer: "/data/id",
    keyword: "required",
    differs: "The spec requires `data.id` on a create; no client sends one (there is none yet) and the API answers 201.",
    evidence: "latitude-api.md §11 (POST body {data: {type, attributes: {description, site, project}}}, as every client sends it)",
    example: ex("POST", "/virtual_networks", 201, VLAN_CREATED, { data: { type: "virtual_network", attributes: { description: "d", location: "SAO", project: "proj_x" } } }),
  },
  {
    id: "assignment-created-server-id",
    operations: ["POST /virtual_networks/assignments"],
    place: "response",
    pointer: "/data/attributes/server_id",
    keyword: "additionalProperties",
    differs: "The 201 of an assignment carries `server_id` (lists carry `server {…}` instead); the schema has no `server_id`.",
    evidence: "latitude-api.md §11 (assignment create → 201 {virtual_network_id, vid, server_id, description, status: connecting})",
    example: ex(
      "POST",
      "/virtual_networks/assignments",
      201,
      { data: { id: "vnasg_x", type: "virtual_network_assignment", attributes: { server_id: "sv_x" } }, meta: {} },
      { data: { type: "virtual_network_assignment", attributes: { server_id: "sv_x", virtual_network_id: "vlan_x" } } },
    ),
  },
  {
    id: "get-project",
    operations: ["GET /projects/{project_id}"],
    place: "operation",
    answer: (ref) => ({ type: "object", additionalProperties: false, properties: { data: ref("project"), meta: { type: "object" } } }),
    differs: "The spec has no GET /projects/{project_id}; the API answered 200 with the project (id or slug), which is judged by the spec's project schema.",
    evidence: "latitude-api.md §19 (GET /projects/{id} answered 200 in the 2024 recordings) and §14 (the spec omits it)",
    example: ex("GET", "/projects/proj_x", 200, { data: { id: "proj_x", type: "projects", attributes: {} }, meta: {} }),
  },
  {
    id: "firewall-assignment-created-envelope",
    operations: ["POST /firewalls/{firewall_id}/assignments"],
    place: "response",
    pointer: "/data",
    keyword: "additionalProperties",
    differs: "The 201 is {data: {id, type: \"firewall_assignments\", attributes: {server {id, hostname, primary_ipv4}, firewall_id}}}; the spec's firewall_server schema has no `data` wrapper (and names type firewall_servers, attributes server_id/firewall_id). The spec's own Created example shows the envelope.",
    evidence: "Latitude's Terraform provider recording latitudesh/fixtures/TestAccLatitudeFirewallAssignment_Basic.yaml (2025-04-07, the 201 body), latitude-api.md §19 (firewall assignments), and the spec's own Created example of create-firewall-assignment",
    example: ex(
      "POST",
      "/firewalls/fw_x/assignments",
      201,
      { data: { id: "fwasg_x", type: "firewall_assignments", attributes: { server: { id: "sv_x", hostname: "h", primary_ipv4: "192.0.2.1" }, firewall_id: "fw_x" } } },
      { data: { type: "firewall_assignments", attributes: { server_id: "sv_x" } } },
    ),
  },
];
