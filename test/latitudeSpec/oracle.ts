// The official Latitude OpenAPI document as the judge of every exchange with the emulator: the
// operation must exist for the method and path, query parameters must be declared and valid, the
// request body must satisfy its schema, and the answer the schema of its status (closed world:
// no field the spec does not list). Where recorded real behaviour differs from the spec, a
// deviation (deviations.ts) excuses exactly that difference, with its evidence.
import type { Exchange } from "../../emulator/exchangeObserver";
import type { Deviation, Place } from "./deviations";
import type { ErrorObject, Operation, SpecIndex, Validator } from "./specIndex";

/** Sent by the raw test client (test/emulator/testing.ts), which sends malformed requests on purpose. */
export const RAW_CLIENT_HEADER = "x-cto-raw-test-client";

export interface Finding {
  /** `METHOD /template (operationId)`, or the method and path when no operation matches. */
  operation: string;
  place: Place;
  /** JSON pointer in the body, or the query parameter's name. */
  pointer: string;
  complaint: string;
}

export interface CheckResult {
  findings: Finding[];
  /** Ids of the deviations that excused something in this exchange. */
  used: string[];
}

/** `POST /virtual_networks (create-virtual-network) request /data/attributes/location: …` */
export function describeFinding(f: Finding): string {
  return `${f.operation} ${f.place}${f.pointer ? ` ${f.pointer}` : ""}: ${f.complaint}`;
}

interface Candidate {
  place: Place;
  pointer: string;
  keyword: string;
  value?: unknown;
  complaint: string;
}

/** `/data/0/attributes` → `/data/attributes`: deviations name fields, not list positions. */
const fieldPath = (pointer: string): string => pointer.replace(/\/\d+(?=\/|$)/g, "");

/** `*` is one segment, `**` any number of them. */
export function pointerMatches(pattern: string, pointer: string): boolean {
  const p = pattern.split("/").slice(1);
  const s = fieldPath(pointer).split("/").slice(1);
  const match = (i: number, j: number): boolean => {
    if (i === p.length) return j === s.length;
    if (p[i] === "**") return match(i + 1, j) || (j < s.length && match(i, j + 1));
    return j < s.length && (p[i] === "*" || p[i] === s[j]) && match(i + 1, j + 1);
  };
  return match(0, 0);
}

function candidateOf(place: Place, e: ErrorObject): Candidate {
  const params = e.params as Record<string, unknown>;
  const child = typeof params.missingProperty === "string" ? params.missingProperty : typeof params.additionalProperty === "string" ? params.additionalProperty : undefined;
  const pointer = child !== undefined ? `${e.instancePath}/${child}` : e.instancePath || "/";
  let complaint = e.message ?? e.keyword;
  if (e.keyword === "additionalProperties") complaint = "the spec's schema has no such field (an answer may only carry fields the spec or a recording shows)";
  else if (e.keyword === "enum") complaint = `${JSON.stringify(e.data)} is not one of ${JSON.stringify(params.allowedValues)}`;
  else if (e.keyword === "type") complaint = `${e.message ?? "wrong type"}, got ${JSON.stringify(e.data)}`;
  else if (e.keyword === "required") complaint = "required by the spec but missing";
  return { place, pointer, keyword: e.keyword, value: child === undefined ? e.data : undefined, complaint };
}

function validate(place: Place, validator: Validator, value: unknown): Candidate[] {
  if (validator.validate(value)) return [];
  return (validator.validate.errors ?? []).map((e) => candidateOf(place, e));
}

/** Query text → the value its schema expects (`"2"` for an integer, `"true"` for a boolean). */
function coerce(type: string | undefined, text: string): unknown {
  if ((type === "integer" || type === "number") && /^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (type === "boolean" && (text === "true" || text === "false")) return text === "true";
  return text;
}

const headerOf = (headers: Exchange["requestHeaders"], name: string): string | undefined => {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
};

export class Oracle {
  constructor(
    private readonly index: SpecIndex,
    private readonly deviations: readonly Deviation[],
  ) {}

  /** See SpecIndex.precompile. */
  precompile(serves: (method: string, samplePath: string) => boolean): void {
    this.index.precompile(serves);
  }

  check(x: Exchange): CheckResult {
    const accepted = x.status >= 200 && x.status < 300;
    // A request the emulator refused may be malformed on purpose; one it acted on, or one our
    // product's client sent, must be what the spec describes.
    const judgeRequest = accepted || headerOf(x.requestHeaders, RAW_CLIENT_HEADER) === undefined;
    const op = this.index.findOperation(x.method, x.path);
    const candidates: Candidate[] = [];
    let answer: Validator | "error-shape" | undefined;
    let opName: string;
    let opKey: string;
    if (op) {
      opName = `${op.key} (${op.operationId})`;
      opKey = op.key;
      if (judgeRequest) candidates.push(...this.requestCandidates(op, x));
      if (x.status !== 0) answer = this.answerRule(op, x, candidates);
    } else {
      // An operation the spec lacks but a recording shows: its deviation names it and its answer.
      const stand = this.deviations
        .filter((d) => d.place === "operation" && d.operations !== "*")
        .flatMap((d) => (d.operations === "*" ? [] : d.operations).filter((k) => templateMatches(k, x.method, x.path)).map((key) => ({ key, d })))[0];
      opKey = stand?.key ?? `${x.method} ${x.path}`;
      opName = `${opKey} (not in the spec)`;
      if (judgeRequest) candidates.push({ place: "operation", pointer: "", keyword: "operation", complaint: "the spec has no such operation" });
      if (x.status >= 400) answer = "error-shape";
      else if (stand?.d.answer && x.status !== 0) answer = this.index.validatorFor(stand.d.id, stand.d.answer);
    }
    if (answer === "error-shape") candidates.push(...this.errorShapeCandidates(x));
    else if (answer) candidates.push(...validate("response", answer, x.responseBody));

    const used = new Set<string>();
    const findings: Finding[] = [];
    for (const c of candidates) {
      const d = this.deviations.find((dev) => covers(dev, opKey, x.status, c));
      if (d) used.add(d.id);
      else findings.push({ operation: opName, place: c.place, pointer: c.pointer, complaint: c.complaint });
    }
    return { findings, used: [...used] };
  }

  private requestCandidates(op: Operation, x: Exchange): Candidate[] {
    const out: Candidate[] = [];
    for (const [name, text] of Object.entries(x.query)) {
      const v = this.index.queryParameter(op, name);
      if (!v) out.push({ place: "query", pointer: name, keyword: "undeclared", complaint: "the spec declares no such query parameter" });
      else out.push(...validate("query", v, coerce(this.index.queryType(op, name), text)).map((c) => ({ ...c, pointer: name, complaint: `${JSON.stringify(text)}: ${c.complaint}` })));
    }
    const body = this.index.requestBody(op, headerOf(x.requestHeaders, "content-type"));
    if (x.requestBody === undefined) {
      if (body.required) out.push({ place: "request", pointer: "/", keyword: "required", complaint: "the spec requires a request body; none was sent" });
    } else if (body.validator) {
      out.push(...validate("request", body.validator, x.requestBody));
    }
    return out;
  }

  /** The validator of the answer, or "error-shape"; a status the spec does not declare is itself a candidate. */
  private answerRule(op: Operation, x: Exchange, out: Candidate[]): Validator | "error-shape" | undefined {
    const rule = this.index.response(op, x.status);
    switch (rule.kind) {
      case "schema":
        return rule.validator;
      case "empty":
        if (x.responseBody !== undefined) out.push({ place: "response", pointer: "/", keyword: "empty", complaint: `status ${x.status} is declared without a body, but one was sent` });
        return undefined;
      case "any":
        return undefined;
      case "undeclared":
        out.push({ place: "status", pointer: "", keyword: "status", value: x.status, complaint: `status ${x.status} is not declared for this operation` });
        return x.status >= 400 ? "error-shape" : undefined;
    }
  }

  /** Undeclared error statuses are judged by the error document recorded from the real API. */
  private errorShapeCandidates(x: Exchange): Candidate[] {
    const shape = this.deviations.find((d) => d.place === "status" && d.answer);
    if (!shape?.answer) return [{ place: "response", pointer: "/", keyword: "status", complaint: "no recorded error shape to judge this error answer by" }];
    return validate("response", this.index.validatorFor(shape.id, shape.answer), x.responseBody);
  }
}

/** `GET /projects/{project_id}` against a concrete method and path. */
export function templateMatches(key: string, method: string, path: string): boolean {
  const [m, template] = key.split(" ");
  if (m !== method.toUpperCase() || template === undefined) return false;
  const source = template
    .split("/")
    .map((s) => (/^\{.+\}$/.test(s) ? "[^/]+" : s.replace(/[.*+?^$()|[\]\\]/g, "\\$&")))
    .join("/");
  return new RegExp(`^${source}/?$`).test(path);
}

function covers(d: Deviation, opKey: string, status: number, c: Candidate): boolean {
  if (d.place !== c.place) return false;
  if (d.operations !== "*" && !d.operations.includes(opKey)) return false;
  if (d.statuses === "errors" ? status < 400 : d.statuses !== undefined && !d.statuses.includes(status)) return false;
  if (d.keyword !== undefined && d.keyword !== c.keyword) return false;
  if (d.pointer !== undefined && !(c.place === "query" ? d.pointer === c.pointer : pointerMatches(d.pointer, c.pointer))) return false;
  if (d.values && !d.values.some((v) => JSON.stringify(v) === JSON.stringify(c.value))) return false;
  return true;
}
