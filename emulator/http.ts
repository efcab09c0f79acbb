// Envelopes, error documents, list paging/filters and request-body helpers shared by every route.

export interface ErrorObject {
  code: string | null;
  status: string;
  title: string;
  detail: string;
  source?: { pointer?: string; parameter?: string };
  meta: Record<string, unknown>;
}

/** Thrown by handlers; the server turns it into `{"errors":[…]}` with this HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly errors: ErrorObject[],
    readonly headers: Record<string, string> = {},
  ) {
    super(errors.map((e) => e.detail).join("; "));
  }
}

export function errorObject(
  status: number,
  code: string | null,
  title: string,
  detail: string,
  source?: ErrorObject["source"],
): ErrorObject {
  return { code, status: String(status), title, detail, ...(source ? { source } : {}), meta: {} };
}

/** The 404 document recorded for unknown or deleted servers, SSH keys and VLANs. */
export function notFound(): ApiError {
  return new ApiError(404, [errorObject(404, "not_found", "Error", "Specified Record Not Found")]);
}

export function badRequest(detail: string, parameter?: string): ApiError {
  return new ApiError(400, [errorObject(400, "VALIDATION_ERROR", "Bad Request", detail, parameter ? { parameter } : undefined)]);
}

/** 422 for a field: pointer is the attribute name (`/data/attributes/<field>`). */
export function invalid(field: string, detail: string, code = "VALIDATION_ERROR"): ApiError {
  return new ApiError(422, [fieldError(field, detail, code)]);
}

export function fieldError(field: string, detail: string, code = "VALIDATION_ERROR"): ErrorObject {
  return errorObject(422, code, "Validation Error", detail, { pointer: `/data/attributes/${field}` });
}

export function unprocessable(code: string, title: string, detail: string): ApiError {
  return new ApiError(422, [errorObject(422, code, title, detail)]);
}

/** Exact body recorded for a locked server (HTTP 423, `status: "locked"`, `code: null`). */
export function locked(): ApiError {
  return new ApiError(423, [
    { code: null, status: "locked", title: "Locked Server", detail: "Server is locked and cannot be updated or deleted", meta: {} },
  ]);
}

export interface Reply {
  status: number;
  body?: unknown;
}

// ---- answer text ---------------------------------------------------------------------------

const DECIMAL_MARK = "\u0000decimal:";

/**
 * A price. The API writes prices as decimals even when whole (`"month":153.0`, `"price":1349.0`
 * in the recorded plan and server answers; latitude-api.md §19), which JSON.stringify cannot.
 */
export class Decimal {
  constructor(readonly value: number) {}

  toJSON(): string {
    return `${DECIMAL_MARK}${Number.isInteger(this.value) ? `${this.value}.0` : String(this.value)}`;
  }
}

/** `value`, or null for a price that is not sold (plan prices may be null, §5). */
export function decimal(value: number | null): Decimal | null {
  return value === null ? null : new Decimal(value);
}

/** JSON text of an answer, with every Decimal written as a bare decimal number. */
export function jsonText(body: unknown): string {
  return JSON.stringify(body).replace(/"\\u0000decimal:(-?[0-9.e+-]+)"/g, "$1");
}

export type Query = Record<string, string>;

export function single(data: unknown, status = 200): Reply {
  return { status, body: { data, meta: {} } };
}

// ---- request bodies -------------------------------------------------------------------------

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** `data.attributes` of a JSON:API-style request; a body without `data` is a 400 (as Rails does). */
export function attributesOf(body: unknown): Record<string, unknown> {
  if (!isRecord(body) || !isRecord(body.data)) {
    throw new ApiError(400, [errorObject(400, "VALIDATION_ERROR", "Bad Request", "param is missing or the value is empty: data", { pointer: "/data" })]);
  }
  const attrs = body.data.attributes;
  if (attrs === undefined || attrs === null) return {};
  if (!isRecord(attrs)) throw invalid("", "must be an object");
  return attrs;
}

function blank(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === "string" && v.trim() === "");
}

/** Collects "must be filled" errors for every missing required attribute, as one 422. */
export function requireFields(attrs: Record<string, unknown>, fields: readonly string[]): void {
  const missing = fields.filter((f) => blank(attrs[f]));
  if (missing.length > 0) throw new ApiError(422, missing.map((f) => fieldError(f, "must be filled")));
}

export function optString(attrs: Record<string, unknown>, field: string): string | undefined {
  const v = attrs[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") throw invalid(field, "must be a string");
  return v;
}

export function reqString(attrs: Record<string, unknown>, field: string): string {
  const v = optString(attrs, field);
  if (v === undefined || v.trim() === "") throw invalid(field, "must be filled");
  return v;
}

export function optStringArray(attrs: Record<string, unknown>, field: string): string[] | undefined {
  const v = attrs[field];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || !v.every((x): x is string => typeof x === "string")) throw invalid(field, "must be an array of strings");
  return v;
}

export function optBoolean(attrs: Record<string, unknown>, field: string): boolean | undefined {
  const v = attrs[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "boolean") throw invalid(field, "must be a boolean");
  return v;
}

// ---- lists ---------------------------------------------------------------------------------

export type FilterOp = "" | "eql" | "prefix" | "suffix" | "match" | "gte" | "lte";
export type Filters = Map<string, Array<{ op: FilterOp; value: string }>>;

const FILTER_KEY = /^filter\[([a-z_]+)\](?:\[([a-z]+)\])?$/;
const OPS: readonly FilterOp[] = ["eql", "prefix", "suffix", "match", "gte", "lte"];

export interface ListSpec {
  /** Attributes accepted as `filter[<attr>]`; anything else is a 400. */
  filters: readonly string[];
  /** Endpoint has page[size]/page[number]. */
  paged: boolean;
}

/** Validates the query against the endpoint and returns its filters (unknown filter keys → 400). */
export function parseFilters(query: Query, spec: ListSpec): Filters {
  const filters: Filters = new Map();
  for (const [key, value] of Object.entries(query)) {
    if (key.startsWith("filter[")) {
      const m = FILTER_KEY.exec(key);
      const attr = m?.[1];
      const op = (m?.[2] ?? "") as FilterOp;
      if (!attr || !spec.filters.includes(attr)) throw badRequest(`Unsupported filter: ${key}`, key);
      if (op !== "" && !OPS.includes(op)) throw badRequest(`Unsupported filter operator: ${key}`, key);
      filters.set(attr, [...(filters.get(attr) ?? []), { op, value }]);
    } else if (key === "sort") {
      throw badRequest("Sorting is not supported on this endpoint", "sort");
    } else if (key.startsWith("page[")) {
      // GET /plans and GET /tags declare no page params in the spec: refused like unknown filters.
      if (!spec.paged || (key !== "page[size]" && key !== "page[number]")) throw badRequest(`Unsupported parameter: ${key}`, key);
    }
  }
  return filters;
}

/** Plain match is case-insensitive; [eql] is exact; prefix/suffix/match are case-insensitive. */
export function matchString(actual: string | null | undefined, op: FilterOp, expected: string): boolean {
  if (actual === null || actual === undefined) return false;
  const a = actual.toLowerCase();
  const e = expected.toLowerCase();
  switch (op) {
    case "eql":
      return actual === expected;
    case "prefix":
      return a.startsWith(e);
    case "suffix":
      return a.endsWith(e);
    case "match":
      return a.includes(e);
    default:
      return a === e;
  }
}

export function matchNumber(actual: number, op: FilterOp, expected: string): boolean {
  const n = Number(expected);
  if (!Number.isFinite(n)) return false;
  if (op === "gte") return actual >= n;
  if (op === "lte") return actual <= n;
  return actual === n;
}

/** Every condition on `attr` holds (the string matcher is used unless `compare` is given). */
export function filterHolds(
  filters: Filters,
  attr: string,
  compare: (op: FilterOp, value: string) => boolean,
): boolean {
  return (filters.get(attr) ?? []).every(({ op, value }) => compare(op, value));
}

export function parseBool(value: string, parameter: string): boolean {
  if (value === "true") return true;
  if (value === "false") return false;
  throw badRequest(`${parameter} must be true or false`, parameter);
}

function positiveInt(query: Query, key: string, fallback: number): number {
  const raw = query[key];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw badRequest(`${key} must be an integer greater than or equal to 1`, key);
  return n;
}

/**
 * A list reply. Paged endpoints honour page[size] (default 20) and page[number] exactly, so a
 * client's "stop at a short page" rule terminates. `meta` is `{}` unless stats[total]=count.
 */
export function listReply<T>(items: readonly T[], query: Query, opts: { paged: boolean }): Reply {
  let page: readonly T[] = items;
  if (opts.paged) {
    const size = positiveInt(query, "page[size]", 20);
    const number = positiveInt(query, "page[number]", 1);
    page = items.slice((number - 1) * size, number * size);
  }
  const meta = query["stats[total]"] === "count" ? { stats: { total: { count: items.length } } } : {};
  return { status: 200, body: { data: page, meta } };
}
