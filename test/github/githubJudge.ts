// Judges one request against GitHub's REST description: the operation its method and path name,
// its path and query parameters (names, required ones, types, enums, bounds) and its JSON body
// (ajv over the operation's request-body schema). Every mismatch names the operation and a JSON
// pointer into the request seen as { method, path: {…}, query: {…}, body }.
// The description is OpenAPI 3.0 (nullable, example, x-… extensions): ajv runs with strict off so
// those keywords pass; `nullable` is one ajv knows.
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import { operationName, type GitHubDescription, type Operation, type Parameter, type Schema } from "./githubDescription";
import type { PathDeviation } from "./githubDeviations";

export interface JudgedRequest {
  method: string;
  /** Path and query as sent, still percent-encoded: "/orgs/acme/installations?per_page=100". */
  url: string;
  /** The body as sent; "" when there was none. */
  rawBody: string;
}

export interface Mismatch {
  /** operationName(), or the method and path sent when no operation matched. */
  operation: string;
  /** JSON pointer into { method, path: {…}, query: {…}, body }. */
  pointer: string;
  problem: string;
}

export interface Verdict {
  operation?: Operation;
  /** The path deviation (githubDeviations.ts) whose template the path matched, if any. */
  deviation?: string;
  mismatches: Mismatch[];
}

export const formatMismatch = (m: Mismatch): string => `${m.operation}: ${m.pointer}: ${m.problem}`;

const escapePointer = (name: string) => name.replace(/~/g, "~0").replace(/\//g, "~1");

interface Route {
  op: Operation;
  template: string;
  regex: RegExp;
  names: string[];
  /** Literal characters: the most specific template wins when two match. */
  literal: number;
  deviation?: string;
  params: Array<{ param: Parameter; validate: ValidateFunction }>;
}

/** Object schemas with `properties` refuse other fields: GitHub ignores a field it does not describe, so one we send is a typo or a wrong belief. */
function closeObjects(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closeObjects);
  if (schema === null || typeof schema !== "object") return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema as Record<string, unknown>)) {
    if (key === "properties" && value !== null && typeof value === "object")
      out[key] = Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([name, sub]) => [name, closeObjects(sub)]));
    else if (["example", "examples", "default", "enum", "required"].includes(key)) out[key] = value;
    else out[key] = closeObjects(value);
  }
  const combined = "allOf" in out || "anyOf" in out || "oneOf" in out;
  if (out["properties"] !== undefined && !("additionalProperties" in out) && !combined) out["additionalProperties"] = false;
  return out;
}

/** The parameter's schema, with a bound the description states only in prose: per_page's "(max 100)". */
function parameterSchema(param: Parameter): Schema {
  const schema: Schema = { ...(param.schema ?? {}) };
  const max = /\(max (\d+)\)/.exec(param.description ?? "")?.[1];
  if (max !== undefined && schema["maximum"] === undefined) schema["maximum"] = Number(max);
  return schema;
}

/** A path or query value as the schema's type reads it; left a string when it does not parse, so the type check names it. */
function coerce(raw: string, schema: Schema): unknown {
  const type = schema["type"];
  if (type === "integer" || type === "number") return /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
  if (type === "boolean") return raw === "true" ? true : raw === "false" ? false : raw;
  return raw;
}

function problemOf(error: ErrorObject): { suffix: string; problem: string } {
  const params = error.params as { missingProperty?: string; additionalProperty?: string; allowedValues?: unknown };
  if (error.keyword === "required") return { suffix: `/${escapePointer(String(params.missingProperty))}`, problem: "required by the description, missing" };
  if (error.keyword === "additionalProperties")
    return { suffix: `/${escapePointer(String(params.additionalProperty))}`, problem: "not in the description's schema (GitHub would ignore it)" };
  if (error.keyword === "enum") return { suffix: "", problem: `must be one of ${JSON.stringify(params.allowedValues)}` };
  return { suffix: "", problem: error.message ?? `fails ${error.keyword}` };
}

export class GitHubJudge {
  private readonly ajv = new Ajv({ strict: false, allErrors: true });
  private readonly routes: Route[];
  private readonly bodies = new Map<Operation, ValidateFunction | undefined>();

  constructor(
    readonly description: GitHubDescription,
    aliases: readonly PathDeviation[] = [],
  ) {
    // The one format the request bodies use (an App's webhook url): an absolute URI, as RFC 3986 has it.
    this.ajv.addFormat("uri", (value: string) => /^[a-z][a-z0-9+.-]*:/i.test(value) && URL.canParse(value));
    this.routes = description.operations.map((op) => this.route(op, op.path, op.parameters));
    for (const alias of aliases) {
      const op = description.operations.find((o) => o.operationId === alias.operationId);
      if (!op) throw new Error(`path deviation ${alias.id}: ${description.file} has no operation ${alias.operationId}`);
      const pathParams: Parameter[] = Object.entries(alias.pathParameters).map(([name, schema]) => ({ name, in: "path", required: true, schema }));
      this.routes.push({ ...this.route(op, alias.template, [...pathParams, ...op.parameters.filter((p) => p.in !== "path")]), deviation: alias.id });
    }
  }

  private route(op: Operation, template: string, parameters: Parameter[]): Route {
    const multi = new Set(parameters.filter((p) => p.in === "path" && p["x-multi-segment"]).map((p) => p.name));
    const names: string[] = [];
    const source = template
      .split(/(\{[^}]+\})/)
      .map((part) => {
        const name = /^\{(.+)\}$/.exec(part)?.[1];
        if (name === undefined) return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
        names.push(name);
        return multi.has(name) ? "(.+)" : "([^/]+)";
      })
      .join("");
    const params = parameters.map((param) => ({ param, validate: this.ajv.compile(parameterSchema(param)) }));
    return { op, template, regex: new RegExp(`^${source}$`), names, literal: template.replace(/\{[^}]+\}/g, "").length, params };
  }

  private bodyValidator(op: Operation): ValidateFunction | undefined {
    if (!this.bodies.has(op)) {
      const schema = op.requestBody?.content?.["application/json"]?.schema;
      this.bodies.set(op, schema ? this.ajv.compile(closeObjects(schema) as Schema) : undefined);
    }
    return this.bodies.get(op);
  }

  judge(req: JudgedRequest): Verdict {
    const url = new URL(req.url, "http://judge.invalid");
    const method = req.method.toUpperCase();
    const onPath = this.routes.filter((r) => r.regex.test(url.pathname));
    const route = onPath.filter((r) => r.op.method === method).sort((a, b) => b.literal - a.literal)[0];
    const sent = `${method} ${url.pathname}`;
    if (!route) {
      if (onPath.length === 0) return { mismatches: [{ operation: sent, pointer: "/path", problem: "no operation in the description has this path; if we mean to call it, add it to the subset (github-rest-subset.md says how)" }] };
      const described = [...new Set(onPath.map((r) => operationName(r.op)))].join(", ");
      return { mismatches: [{ operation: sent, pointer: "/method", problem: `no ${method} operation on this path; the description has ${described}` }] };
    }
    const name = operationName(route.op);
    const mismatches: Mismatch[] = [];
    const add = (pointer: string, problem: string) => {
      if (!mismatches.some((m) => m.pointer === pointer && m.problem === problem)) mismatches.push({ operation: name, pointer, problem });
    };
    const check = (where: "path" | "query", entry: Route["params"][number], raw: string) => {
      if (entry.validate(coerce(raw, entry.param.schema ?? {}))) return;
      for (const error of entry.validate.errors ?? []) add(`/${where}/${escapePointer(entry.param.name)}`, `${JSON.stringify(raw)}: ${problemOf(error).problem}`);
    };

    const values = route.regex.exec(url.pathname)!.slice(1);
    route.names.forEach((paramName, i) => {
      const entry = route.params.find((p) => p.param.in === "path" && p.param.name === paramName);
      if (!entry) return add(`/path/${escapePointer(paramName)}`, "the template names a parameter the operation does not describe");
      let raw: string;
      try {
        raw = values[i]!.split("/").map(decodeURIComponent).join("/");
      } catch {
        return add(`/path/${escapePointer(paramName)}`, "not valid percent-encoding");
      }
      check("path", entry, raw);
    });

    const seen = new Set<string>();
    for (const [key, raw] of url.searchParams) {
      const entry = route.params.find((p) => p.param.in === "query" && p.param.name === key);
      if (!entry) add(`/query/${escapePointer(key)}`, "not a query parameter of this operation (GitHub would ignore it)");
      else if (seen.has(key)) add(`/query/${escapePointer(key)}`, "given more than once");
      else check("query", entry, raw);
      seen.add(key);
    }
    for (const { param } of route.params) if (param.in === "query" && param.required && !seen.has(param.name)) add(`/query/${escapePointer(param.name)}`, "required by the description, missing");

    const requestBody = route.op.requestBody;
    if (req.rawBody === "") {
      if (requestBody?.required) add("/body", "the description requires a request body, none was sent");
    } else if (!requestBody) {
      add("/body", "this operation takes no request body");
    } else {
      let body: unknown;
      try {
        body = JSON.parse(req.rawBody);
      } catch {
        add("/body", "not JSON");
      }
      const validate = this.bodyValidator(route.op);
      if (body !== undefined && validate && !validate(body)) {
        for (const error of validate.errors ?? []) {
          const { suffix, problem } = problemOf(error);
          add(`/body${error.instancePath}${suffix}`, problem);
        }
      }
    }
    return { operation: route.op, ...(route.deviation ? { deviation: route.deviation } : {}), mismatches };
  }
}
