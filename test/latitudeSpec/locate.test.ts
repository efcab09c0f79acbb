// Where the spec is looked for, and the skip / require rule when it is missing.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { decide, locateSpec, REQUIRE_ENV, SPEC_ENV } from "./locate";

const REPO = join("/", "work", "main");
const SPEC = join("shared", "reference", "latitude-openapi.json");
const only = (...present: string[]) => (p: string) => present.includes(p);

describe("locateSpec", () => {
  it("takes CTO_LATITUDE_OPENAPI first, and says so when that file is missing", () => {
    const env = { [SPEC_ENV]: "/elsewhere/spec.json" };
    expect(locateSpec(env, REPO, only("/elsewhere/spec.json", join("/", "work", SPEC)))).toEqual({ path: "/elsewhere/spec.json" });
    expect(locateSpec(env, REPO, only(join("/", "work", SPEC)))).toEqual({ missing: `${SPEC_ENV}=/elsewhere/spec.json does not exist` });
  });

  it("then looks beside the repository, then walks up its parents", () => {
    expect(locateSpec({}, REPO, only(join("/", "work", SPEC)))).toEqual({ path: join("/", "work", SPEC) });
    const deep = join("/", "a", "b", "c", "repo");
    expect(locateSpec({}, deep, only(join("/", "a", SPEC), join("/", SPEC)))).toEqual({ path: join("/", "a", SPEC) });
    expect(locateSpec({}, deep, only(join("/", SPEC)))).toEqual({ path: join("/", SPEC) });
    const missing = locateSpec({}, deep, only(join(deep, SPEC)));
    expect("missing" in missing && missing.missing).toContain("no shared/reference/latitude-openapi.json");
  });
});

describe("decide", () => {
  it("uses a found spec", () => {
    expect(decide({ path: "/x.json" }, { [REQUIRE_ENV]: "1" })).toEqual({ use: "/x.json" });
  });

  it("skips loudly when the spec is missing, and fails instead when CTO_REQUIRE_REFERENCES=1", () => {
    const skipped = decide({ missing: "nothing here" }, {});
    expect("skip" in skipped && skipped.skip).toMatch(/nothing here.*SKIPPED.*CTO_REQUIRE_REFERENCES=1/);
    expect(decide({ missing: "nothing here" }, { [REQUIRE_ENV]: "0" })).toHaveProperty("skip");
    const failed = decide({ missing: "nothing here" }, { [REQUIRE_ENV]: "1" });
    expect("fail" in failed && failed.fail).toMatch(/nothing here.*CTO_REQUIRE_REFERENCES=1 requires it/);
  });
});
