// The official OpenAPI 3.0 document as validators: operations found by method and path, request
// bodies checked against their schema as written (open), answers against a "closed world" copy in
// which every object schema that lists `properties` allows no others, so a field the emulator
// invents is caught. Validators are compiled on first use and cached.
import { readFileSync } from "node:fs";
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";

type Json = Record<string, unknown>;

const METHODS = ["get", "post", "put", "patch", "delete"] as const;
const OPEN_ID = "latitude-openapi-open";
const CLOSED_ID = "latitude-openapi-closed";

export interface Operation {
  method: string;
  template: string;
  operationId: string;
  /** `METHOD /template`, the key deviations use. */
  key: string;
  /** JSON pointer of the operation object in the document. */
  pointer: string;
  spec: Json;
}

export interface Validator {
  validate: ValidateFunction;
  /** JSON pointer of the schema in the document, for messages. */
  where: string;
}

export type ResponseRule = { kind: "schema"; validator: Validator } | { kind: "empty" } | { kind: "any" } | { kind: "undeclared" };

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const escape = (segment: string): string => segment.replace(/~/g, "~0").replace(/\//g, "~1");

/** Visits every schema object of the document (components, parameters, bodies, answers), depth first. */
function forEachSchema(doc: Json, visit: (schema: Json) => void): void {
  const walk = (schema: unknown): void => {
    if (!isObject(schema)) return;
    visit(schema);
    if (isObject(schema.properties)) Object.values(schema.properties).forEach(walk);
    walk(schema.items);
    walk(schema.additionalProperties);
    walk(schema.not);
    for (const k of ["allOf", "anyOf", "oneOf"]) if (Array.isArray(schema[k])) (schema[k] as unknown[]).forEach(walk);
  };
  const components = isObject(doc.components) && isObject(doc.components.schemas) ? doc.components.schemas : {};
  Object.values(components).forEach(walk);
  for (const item of Object.values(isObject(doc.paths) ? doc.paths : {})) {
    if (!isObject(item)) continue;
    for (const op of Object.values(item)) {
      if (!isObject(op)) continue;
      if (Array.isArray(op.parameters)) op.parameters.forEach((p) => walk(isObject(p) ? p.schema : undefined));
      const bodies = [isObject(op.requestBody) ? op.requestBody.content : undefined, ...Object.values(isObject(op.responses) ? op.responses : {}).map((r) => (isObject(r) ? r.content : undefined))];
      for (const content of bodies) if (isObject(content)) Object.values(content).forEach((media) => walk(isObject(media) ? media.schema : undefined));
    }
  }
}

/**
 * OpenAPI 3.0 → what Ajv checks: an enum the spec marks `x-speakeasy-unknown-values: allow` is open
 * (its values are examples); `nullable` without `type` (on a oneOf) becomes "or null".
 */
function normalise(doc: Json): void {
  forEachSchema(doc, (s) => {
    if (s["x-speakeasy-unknown-values"] === "allow") delete s.enum;
    if (s.nullable === true && !("type" in s)) {
      const inner: Json = { ...s };
      delete inner.nullable;
      for (const k of Object.keys(s)) delete s[k];
      s.anyOf = [inner, { type: "null" }];
    }
  });
}

function closeObjects(doc: Json): void {
  forEachSchema(doc, (s) => {
    const combined = ["allOf", "anyOf", "oneOf"].some((k) => k in s);
    if (isObject(s.properties) && !("additionalProperties" in s) && !combined) s.additionalProperties = false;
  });
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

/** Every format the document uses must be known here, so none is silently skipped. */
function addFormats(ajv: Ajv, doc: Json): void {
  const used = new Set<string>();
  forEachSchema(doc, (s) => {
    if (typeof s.format === "string") used.add(s.format);
  });
  for (const format of used) {
    const ruby = /^\(\?-mix:(.*)\)$/.exec(format);
    if (format === "date-time") ajv.addFormat(format, DATE_TIME);
    else if (format === "email") ajv.addFormat(format, /^[^\s@]+@[^\s@]+$/);
    // "float" annotates `type: number`; the type already says everything checkable.
    else if (format === "float") ajv.addFormat(format, true);
    // Rails writes a Ruby regexp literal as the format of its ids.
    else if (ruby?.[1] !== undefined) ajv.addFormat(format, new RegExp(ruby[1]));
    else throw new Error(`the Latitude spec uses format "${format}", which the oracle does not know: add it to specIndex.ts`);
  }
}

export class SpecIndex {
  readonly ajv: Ajv;
  private readonly operations: Array<Operation & { regex: RegExp; templated: number }> = [];
  private readonly cache = new Map<string, Validator>();

  constructor(readonly doc: Json) {
    const open = structuredClone(doc);
    normalise(open);
    const closed = structuredClone(open);
    closeObjects(closed);
    // strict: false because the document carries OpenAPI keywords (`example`, `nullable` is known
    // to Ajv, `x-*` vendor keys) that are not JSON Schema; verbose gives the offending value;
    // refs compiled once and shared (inlineRefs: false) keep compiling cheap.
    this.ajv = new Ajv({ strict: false, allErrors: true, verbose: true, inlineRefs: false });
    addFormats(this.ajv, doc);
    this.ajv.addSchema(open, OPEN_ID);
    this.ajv.addSchema(closed, CLOSED_ID);
    for (const [template, item] of Object.entries(isObject(doc.paths) ? doc.paths : {})) {
      if (!isObject(item)) continue;
      for (const method of METHODS) {
        const op = item[method];
        if (!isObject(op)) continue;
        const segments = template.split("/");
        const regex = new RegExp(`^${segments.map((s) => (/^\{.+\}$/.test(s) ? "[^/]+" : s.replace(/[.*+?^$()|[\]\\]/g, "\\$&"))).join("/")}$`);
        this.operations.push({
          method: method.toUpperCase(),
          template,
          operationId: typeof op.operationId === "string" ? op.operationId : "(no operationId)",
          key: `${method.toUpperCase()} ${template}`,
          pointer: `/paths/${escape(template)}/${method}`,
          spec: op,
          regex,
          templated: segments.filter((s) => s.startsWith("{")).length,
        });
      }
    }
    // A literal segment wins over a template (`/plans/operating_systems` is not `/plans/{plan_id}`).
    this.operations.sort((a, b) => a.templated - b.templated);
  }

  static fromFile(path: string): SpecIndex {
    return new SpecIndex(JSON.parse(readFileSync(path, "utf8")) as Json);
  }

  /** Compiles every validator of the operations `serves` accepts, so no answer waits for a compile. */
  precompile(serves: (method: string, samplePath: string) => boolean): void {
    for (const op of this.operations) {
      if (!serves(op.method, op.template.replace(/\{[^}]+\}/g, "x"))) continue;
      this.requestBody(op, undefined);
      for (const code of Object.keys(isObject(op.spec.responses) ? op.spec.responses : {})) if (/^\d+$/.test(code)) this.response(op, Number(code));
      for (const p of Array.isArray(op.spec.parameters) ? op.spec.parameters : []) if (isObject(p) && p.in === "query" && typeof p.name === "string") this.queryParameter(op, p.name);
    }
  }

  findOperation(method: string, path: string): Operation | undefined {
    const p = path.length > 1 ? path.replace(/\/+$/, "") : path;
    return this.operations.find((o) => o.method === method.toUpperCase() && o.regex.test(p));
  }

  /** Compiles (once) the schema at `pointer` in the open or closed copy of the document. */
  validatorAt(pointer: string, closed: boolean): Validator {
    const key = `${closed ? CLOSED_ID : OPEN_ID}#${pointer}`;
    let v = this.cache.get(key);
    if (!v) {
      const validate = this.ajv.getSchema(key);
      if (!validate) throw new Error(`no schema at ${pointer} in the Latitude spec`);
      v = { validate, where: pointer };
      this.cache.set(key, v);
    }
    return v;
  }

  /** Compiles (once) a schema written in test code; `ref(name)` points into the closed copy's components. */
  validatorFor(id: string, build: (ref: (component: string) => { $ref: string }) => object): Validator {
    const key = `deviation:${id}`;
    let v = this.cache.get(key);
    if (!v) {
      v = { validate: this.ajv.compile(build((name) => ({ $ref: `${CLOSED_ID}#/components/schemas/${name}` }))), where: `the answer schema of deviation ${id}` };
      this.cache.set(key, v);
    }
    return v;
  }

  /** The request-body schema for the request's media type (or the first declared one). */
  requestBody(op: Operation, contentType: string | undefined): { required: boolean; validator?: Validator } {
    const body = op.spec.requestBody;
    if (!isObject(body) || !isObject(body.content)) return { required: false };
    const types = Object.keys(body.content);
    const media = types.find((t) => t === (contentType ?? "").split(";")[0]?.trim().toLowerCase()) ?? types[0];
    const schema = media !== undefined && isObject(body.content[media]) ? body.content[media].schema : undefined;
    const required = body.required === true;
    if (!isObject(schema) || media === undefined) return { required };
    return { required, validator: this.validatorAt(`${op.pointer}/requestBody/content/${escape(media)}/schema`, false) };
  }

  response(op: Operation, status: number): ResponseRule {
    const responses = isObject(op.spec.responses) ? op.spec.responses : {};
    const code = String(status) in responses ? String(status) : "default" in responses ? "default" : undefined;
    if (code === undefined) return { kind: "undeclared" };
    const declared = responses[code];
    const content = isObject(declared) && isObject(declared.content) ? declared.content : undefined;
    if (!content || Object.keys(content).length === 0) return { kind: "empty" };
    const media = Object.keys(content).find((t) => isObject(content[t]) && isObject(content[t].schema));
    if (media === undefined) return { kind: "any" };
    return { kind: "schema", validator: this.validatorAt(`${op.pointer}/responses/${code}/content/${escape(media)}/schema`, true) };
  }

  /** Declared query parameters: name → validator of the (string-coerced) value. */
  queryParameter(op: Operation, name: string): Validator | undefined {
    const params = Array.isArray(op.spec.parameters) ? op.spec.parameters : [];
    const index = params.findIndex((p) => isObject(p) && p.in === "query" && p.name === name);
    if (index < 0) return undefined;
    return this.validatorAt(`${op.pointer}/parameters/${index}/schema`, false);
  }

  /** The declared type of a query parameter, to turn its text into the value the schema expects. */
  queryType(op: Operation, name: string): string | undefined {
    const params = Array.isArray(op.spec.parameters) ? op.spec.parameters : [];
    const p: unknown = params.find((x) => isObject(x) && x.in === "query" && x.name === name);
    return isObject(p) && isObject(p.schema) && typeof p.schema.type === "string" ? p.schema.type : undefined;
  }
}

export type { ErrorObject };
