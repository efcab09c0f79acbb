// The oracle itself: what it refuses, what it accepts, whom it judges, and how narrowly a deviation
// applies. Exchanges are built here by hand; the spec is the real document, read from shared/.
import { describe, expect, it } from "vitest";
import type { Exchange } from "../../emulator/exchangeObserver";
import { DEVIATIONS } from "./deviations";
import { describeFinding, Oracle, pointerMatches, RAW_CLIENT_HEADER } from "./oracle";
import { specAvailable, specIndex } from "./specForTests";

const RAW = { [RAW_CLIENT_HEADER]: "1" };

function x(method: string, path: string, status: number, more: Partial<Exchange> = {}): Exchange {
  return { method, path, query: {}, requestHeaders: {}, requestBody: undefined, status, responseBody: undefined, ...more };
}

const createServer = (attributes: Record<string, unknown>) => ({ data: { type: "servers", attributes } });
const GOOD_CREATE = createServer({ project: "proj_x", plan: "c2-small-x86", site: "MIA2", operating_system: "ubuntu_24_04_x64_lts", hostname: "n1", billing: "hourly" });
const serverAnswer = (attributes: Record<string, unknown>) => ({ data: { id: "sv_x", type: "servers", attributes }, meta: {} });

describe("pointerMatches", () => {
  it("ignores list positions, and takes * for one segment and ** for any", () => {
    expect(pointerMatches("/data/attributes/status", "/data/3/attributes/status")).toBe(true);
    expect(pointerMatches("/data/attributes/status", "/data/attributes/statuses")).toBe(false);
    expect(pointerMatches("/data/*/status", "/data/attributes/status")).toBe(true);
    expect(pointerMatches("/**/team/description", "/data/attributes/team/description")).toBe(true);
    expect(pointerMatches("/**/team/description", "/data/attributes/team/name")).toBe(false);
  });
});

describe.skipIf(!specAvailable)("the oracle against the official spec", () => {
  const bare = () => new Oracle(specIndex(), []);
  const withDeviations = () => new Oracle(specIndex(), DEVIATIONS);

  it("accepts a request and an answer the spec describes", () => {
    const r = withDeviations().check(x("POST", "/servers", 201, { requestBody: GOOD_CREATE, responseBody: serverAnswer({ hostname: "n1", status: "deploying", primary_ipv4: "127.0.0.2" }) }));
    expect(r.findings).toEqual([]);
  });

  it("refuses a wrong body, naming the operation, the field and the complaint", () => {
    const body = createServer({ project: "proj_x", hostname: 7, operating_system: "plan9", ssh_keys: "ssh_x" });
    const lines = bare().check(x("POST", "/servers", 201, { requestBody: body })).findings.map(describeFinding);
    expect(lines).toEqual(
      expect.arrayContaining([
        "POST /servers (create-server) request /data/attributes/hostname: must be string, got 7",
        expect.stringMatching(/^POST \/servers \(create-server\) request \/data\/attributes\/operating_system: "plan9" is not one of \[/),
        'POST /servers (create-server) request /data/attributes/ssh_keys: must be array, got "ssh_x"',
      ]),
    );
  });

  it("treats an enum the spec marks x-speakeasy-unknown-values: allow as open", () => {
    const created = serverAnswer({ hostname: "n1" });
    expect(bare().check(x("POST", "/servers", 201, { requestBody: createServer({ plan: "z9-new-plan", site: "XYZ9" }), responseBody: created })).findings).toEqual([]);
  });

  it("judges a refused request only when our product sent it, not the raw test client", () => {
    const bad = { requestBody: createServer({ hostname: 7 }), responseBody: { errors: [{ code: "VALIDATION_ERROR", status: "422", title: "t", detail: "d", meta: {} }] } };
    expect(withDeviations().check(x("POST", "/servers", 422, { ...bad, requestHeaders: RAW })).findings).toEqual([]);
    expect(withDeviations().check(x("POST", "/servers", 422, bad)).findings.map((f) => f.pointer)).toEqual(["/data/attributes/hostname"]);
    // Accepted although malformed: the emulator is laxer than the spec, whoever sent it.
    const accepted = x("POST", "/servers", 201, { requestBody: bad.requestBody, requestHeaders: RAW, responseBody: serverAnswer({ hostname: "7" }) });
    expect(withDeviations().check(accepted).findings.map((f) => f.pointer)).toEqual(["/data/attributes/hostname"]);
  });

  it("finds a missing required body, an undeclared or mistyped query parameter, and an unknown operation", () => {
    const o = withDeviations();
    expect(o.check(x("POST", "/servers/sv_x/actions", 201)).findings.map(describeFinding)).toContain("POST /servers/{server_id}/actions (create-server-action) request /: the spec requires a request body; none was sent");
    const q = o.check(x("GET", "/servers", 200, { query: { "filter[colour]": "red", "page[size]": "two", "page[number]": "2" }, responseBody: { data: [], meta: {} } }));
    expect(q.findings.map((f) => [f.place, f.pointer])).toEqual([
      ["query", "filter[colour]"],
      ["query", "page[size]"],
    ]);
    expect(o.check(x("GET", "/servers/sv_x/console", 200, { responseBody: {} })).findings.map(describeFinding)).toEqual(["GET /servers/sv_x/console (not in the spec) operation: the spec has no such operation"]);
    expect(o.check(x("GET", "/servers/sv_x/console", 404, { requestHeaders: RAW, responseBody: { errors: [{ code: "not_found", status: "404", title: "Error", detail: "Specified Record Not Found", meta: {} }] } })).findings).toEqual([]);
  });

  it("closes the answer's world: a field neither the spec nor a deviation lists is an invention", () => {
    const r = withDeviations().check(x("GET", "/servers/sv_x", 200, { responseBody: serverAnswer({ hostname: "n1", deleting_since: "now", plan: { slug: "c2-small-x86", price_hint: 1 } }) }));
    expect(r.findings.map((f) => f.pointer)).toEqual(["/data/attributes/deleting_since", "/data/attributes/plan/price_hint"]);
  });

  it("applies a deviation to its field and value only", () => {
    const o = withDeviations();
    const status = (value: string, field = "status") => o.check(x("GET", "/servers/sv_x", 200, { responseBody: serverAnswer({ [field]: value }) }));
    expect(status("starting_deploy")).toEqual({ findings: [], used: ["server-status-starting-deploy"] });
    expect(status("deleting").findings.map((f) => f.pointer)).toEqual(["/data/attributes/status"]);
    expect(status("starting_deploy", "ipmi_status").findings.map((f) => f.pointer)).toEqual(["/data/attributes/ipmi_status"]);
    // The same value on an operation the deviation does not name.
    const vlan = o.check(x("GET", "/virtual_networks/vlan_x", 200, { responseBody: { data: { id: "vlan_x", type: "virtual_networks", attributes: { price: 1 } }, meta: {} } }));
    expect(vlan.findings.map((f) => f.pointer)).toEqual(["/data/attributes/price"]);
  });

  it("judges undeclared error statuses by the recorded error document, and flags undeclared successes and bodies on 204", () => {
    const o = withDeviations();
    expect(o.check(x("DELETE", "/servers/sv_x", 423, { responseBody: { errors: [{ code: null, status: "locked", title: "Locked Server", detail: "Server is locked", meta: {} }] } })).findings).toEqual([]);
    expect(o.check(x("DELETE", "/servers/sv_x", 404, { responseBody: { error: "gone" } })).findings.map((f) => f.pointer).sort()).toEqual(["/error", "/errors"]);
    expect(o.check(x("DELETE", "/servers/sv_x", 200, { responseBody: { meta: {} } })).findings.map(describeFinding)).toEqual(["DELETE /servers/{server_id} (destroy-server) status: status 200 is not declared for this operation"]);
    expect(o.check(x("DELETE", "/servers/sv_x", 204, { responseBody: {} })).findings.map((f) => f.complaint)).toEqual(["status 204 is declared without a body, but one was sent"]);
  });

  it("prefers a literal path segment to a template", () => {
    expect(specIndex().findOperation("GET", "/plans/operating_systems")?.operationId).toBe("get-plans-operating-system");
    expect(specIndex().findOperation("GET", "/plans/plan_x")?.operationId).toBe("get-plan");
    expect(specIndex().findOperation("DELETE", "/virtual_networks/assignments/vnasg_x")?.operationId).toBe("delete-virtual-networks-assignments");
  });
});
