import { describe, expect, it } from "vitest";
import { LatitudeApiError, parseErrorBody, redact } from "../../providers/latitude/errors";

// Every error body shape recorded in the reference (latitude-api.md §3).
describe("parseErrorBody", () => {
  it("parses the recorded 404 body", () => {
    const items = parseErrorBody('{"errors":[{"code":"not_found","status":"404","title":"Error","detail":"Specified Record Not Found","meta":{}}]}');
    expect(items).toEqual([{ code: "not_found", title: "Error", detail: "Specified Record Not Found", message: undefined, pointer: undefined, parameter: undefined, retryAfterSeconds: undefined }]);
    expect(new LatitudeApiError("GET", "/servers/sv_1", 404, items).message).toBe("Latitude GET /servers/sv_1 answered 404: not_found Specified Record Not Found");
  });

  it("parses the locked body whose status is a word and code is null", () => {
    const items = parseErrorBody('{"errors":[{"code":null,"status":"locked","title":"Locked Server","detail":"Server is locked and cannot be updated or deleted","meta":{}}]}');
    expect(items[0]?.code).toBeNull();
    expect(new LatitudeApiError("DELETE", "/servers/sv_1", 423, items).message).toBe(
      "Latitude DELETE /servers/sv_1 answered 423: Locked Server: Server is locked and cannot be updated or deleted",
    );
  });

  it("reads retry_after from a 429", () => {
    const items = parseErrorBody('{"errors":[{"code":"RATE_LIMIT_EXCEEDED","status":"429","title":"Rate Limit Exceeded","meta":{"retry_after":60}}]}');
    expect(items[0]?.retryAfterSeconds).toBe(60);
    expect(items[0]?.code).toBe("RATE_LIMIT_EXCEEDED");
  });

  it("keeps the pointer of a validation error and the parameter of a query error", () => {
    const tag = parseErrorBody('{"errors":[{"code":"NAME_ALREADY_TAKEN","status":"422","title":"Name taken","source":{"pointer":"/data/attributes/name"},"meta":{}}]}');
    expect(new LatitudeApiError("POST", "/tags", 422, tag).message).toBe("Latitude POST /tags answered 422: NAME_ALREADY_TAKEN Name taken (/data/attributes/name)");
    const query = parseErrorBody('{"errors":[{"code":"VALIDATION_ERROR","status":"400","title":"Invalid filter","source":{"parameter":"filter[color]"}}]}');
    expect(query[0]?.parameter).toBe("filter[color]");
  });

  it("accepts the `message` variant of newer endpoints", () => {
    const items = parseErrorBody('{"errors":[{"code":"UNAUTHORIZED","message":"Invalid token"}]}');
    expect(new LatitudeApiError("GET", "/projects", 401, items).message).toBe("Latitude GET /projects answered 401: UNAUTHORIZED Invalid token");
  });

  it("never throws on bodies that are not the documented shape", () => {
    expect(parseErrorBody("")).toEqual([]);
    expect(parseErrorBody("<html>Bad gateway</html>")).toEqual([{ detail: "<html>Bad gateway</html>" }]);
    expect(parseErrorBody("null")).toEqual([]);
    expect(parseErrorBody('{"errors":"oops"}')).toHaveLength(1);
    expect(parseErrorBody('{"errors":[null, 3]}')).toHaveLength(2);
    expect(parseErrorBody('{"errors":[{"meta":{"retry_after":"soon"}}]}')[0]?.retryAfterSeconds).toBeUndefined();
  });
});

describe("redact", () => {
  it("removes every occurrence of the secret", () => {
    expect(redact("key abcd1234 and abcd1234", "abcd1234")).toBe("key [redacted] and [redacted]");
    expect(redact("nothing", undefined)).toBe("nothing");
  });
});
