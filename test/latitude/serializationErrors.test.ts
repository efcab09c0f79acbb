// Regression (found by the engine tier's lost-POST scenario): serialized providers sharing one
// client must recognise its errors by name, and a serialized error class must keep its message.
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { isLatitudeApiError, isUnknownOutcome, LatitudeApiError, LatitudeUnknownOutcomeError } from "../../providers/latitude/errors";

describe("errors across serialized provider copies", () => {
  it("a Server provider adopts after a lost POST on a client the Tag provider made, errors keep their message, and a replace never adopts what a copy deleted", () => {
    const root = path.resolve(__dirname, "../..");
    const stdout = execFileSync(path.join(root, "node_modules", ".bin", "tsx"), [path.join(__dirname, "serializedSharedClient.script.ts")], { cwd: root, encoding: "utf8", timeout: 60_000 });
    const result = JSON.parse(stdout.trim().split("\n").pop() ?? "{}") as { adopted: string; servers: number; refused: string; replacedIds: string[]; fingerprint: string; keyIds: string[] };
    expect(result.adopted).toMatch(/^sv_/);
    expect(result.servers).toBe(1);
    expect(result.refused).toMatch(/^Latitude POST \/servers answered 422: .*project proj_missing does not exist/);
    expect(new Set(result.replacedIds).size).toBe(2);
    // ssh-keygen -l -E md5 of that key
    expect(result.fingerprint).toBe("65:da:88:f5:9a:15:45:15:64:7b:3a:fb:46:d9:69:e2");
    expect(new Set(result.keyIds).size).toBe(2);
  });

  it("recognises errors by name, whatever copy of the class made them", () => {
    const foreign = { name: "LatitudeApiError", status: 404, message: "x" };
    expect(isLatitudeApiError(foreign, 404)).toBe(true);
    expect(isLatitudeApiError(foreign, 422)).toBe(false);
    expect(isLatitudeApiError(new LatitudeApiError("GET", "/x", 423, []), 423)).toBe(true);
    expect(isUnknownOutcome(new LatitudeUnknownOutcomeError("POST", "/servers", "reset"))).toBe(true);
    expect(isUnknownOutcome(new Error("LatitudeUnknownOutcomeError"))).toBe(false);
    expect(isUnknownOutcome(undefined)).toBe(false);
  });
});
