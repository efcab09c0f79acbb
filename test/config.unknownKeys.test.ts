// A typo in a cto-metal key is refused with the key that was meant, not silently defaulted.
import { describe, expect, it } from "vitest";
import { CONFIG_KEYS } from "../config/keys";
import { SECRET_KEYS } from "../config/platform";
import { reportedError } from "../config/reportedError";
import { ConfigError } from "../config/issues";
import { closestKey, unknownKeyIssues } from "../config/unknownKeys";

const KNOWN = [...CONFIG_KEYS, ...SECRET_KEYS];

describe("unknown cto-metal keys", () => {
  it("names each unknown key with the closest known one", () => {
    const issues = unknownKeyIssues({ "cto-metal:biling": "monthly", "cto-metal:nodez": "[]", "cto-metal:site": "MIA2" }, "cto-metal", KNOWN);
    expect(issues.map((i) => i.path)).toEqual(["cto-metal:biling", "cto-metal:nodez"]);
    expect(issues[0]?.message).toContain("did you mean `cto-metal:billing`?");
    expect(issues[1]?.message).toContain("did you mean `cto-metal:nodes`?");
    expect(issues[0]?.message).toContain("pulumi config rm cto-metal:biling");
  });

  it("leaves other namespaces and every known key alone, and suggests nothing for a far-off name", () => {
    const all: Record<string, string> = { ...Object.fromEntries(KNOWN.map((k) => [`cto-metal:${k}`, "x"])), "latitudesh:authToken": "t", "github:token": "t", "pulumi:tags": "{}" };
    expect(unknownKeyIssues(all, "cto-metal", KNOWN)).toEqual([]);
    expect(closestKey("kubernetesVersoin", KNOWN)).toBe("kubernetesVersion");
    expect(closestKey("zzzzzzzzzz", KNOWN)).toBeUndefined();
    expect(unknownKeyIssues({ "cto-metal:zzzzzzzzzz": "1" }, "cto-metal", KNOWN)[0]?.message).toContain("docs/configuration.md");
  });
});

describe("reported errors", () => {
  const runError = (message: string): Error => Object.assign(new Error(message), { name: "RunError" });

  it("turns a user-facing error into a RunError whose stack is its message alone", () => {
    const error = new ConfigError("dev", [{ path: "cto-metal:biling", message: "unknown key" }]);
    const reported = reportedError(error, runError) as Error;
    expect(reported.name).toBe("RunError");
    expect(reported.message).toBe(error.message);
    expect(reported.stack).toBe(error.message);
  });

  it("keeps a bug's error, stack and all", () => {
    const bug = new TypeError("x is undefined");
    expect(reportedError(bug, runError)).toBe(bug);
  });
});
