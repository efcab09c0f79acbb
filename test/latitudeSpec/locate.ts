// Where the official Latitude OpenAPI document is, and what to do when it is not there. It is read
// at test time from shared/ (never copied into the repository): a checkout without shared/ beside
// it skips the spec checks with one loud warning, unless CTO_REQUIRE_REFERENCES=1 (CI) says the
// references must be there.
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

export const SPEC_ENV = "CTO_LATITUDE_OPENAPI";
export const REQUIRE_ENV = "CTO_REQUIRE_REFERENCES";
const RELATIVE = join("shared", "reference", "latitude-openapi.json");

export type SpecLocation = { path: string } | { missing: string };

/** The repository root (this file is test/latitudeSpec/locate.ts). */
export const REPO_ROOT = resolve(__dirname, "..", "..");

/**
 * `$CTO_LATITUDE_OPENAPI` if set; else `<repo>/../shared/reference/latitude-openapi.json`; else the
 * first `shared/reference/latitude-openapi.json` found walking up from the repository's parents.
 */
export function locateSpec(env: NodeJS.ProcessEnv = process.env, repoRoot = REPO_ROOT, exists: (p: string) => boolean = existsSync): SpecLocation {
  const explicit = env[SPEC_ENV];
  if (explicit !== undefined && explicit !== "") {
    return exists(explicit) ? { path: explicit } : { missing: `${SPEC_ENV}=${explicit} does not exist` };
  }
  const beside = join(dirname(repoRoot), RELATIVE);
  if (exists(beside)) return { path: beside };
  for (let dir = dirname(dirname(repoRoot)); ; dir = dirname(dir)) {
    const candidate = join(dir, RELATIVE);
    if (exists(candidate)) return { path: candidate };
    if (dirname(dir) === dir) break;
  }
  return { missing: `no ${RELATIVE} beside ${repoRoot} or in any directory above it, and ${SPEC_ENV} is not set` };
}

export type SpecDecision = { use: string } | { skip: string } | { fail: string };

/** Found → use it; missing → skip with a reason, or fail when CTO_REQUIRE_REFERENCES=1. */
export function decide(location: SpecLocation, env: NodeJS.ProcessEnv = process.env): SpecDecision {
  if ("path" in location) return { use: location.path };
  const why = `the Latitude OpenAPI checks of the emulator cannot run: ${location.missing}`;
  return env[REQUIRE_ENV] === "1" ? { fail: `${why} (${REQUIRE_ENV}=1 requires it)` } : { skip: `${why}; they are SKIPPED (set ${REQUIRE_ENV}=1 to make this a failure)` };
}
