// The spec for the oracle's own tests: the same location and skip/require rule as the suite.
import { decide, locateSpec } from "./locate";
import { SpecIndex } from "./specIndex";

let index: SpecIndex | undefined;
const decision = decide(locateSpec());
if ("fail" in decision) throw new Error(decision.fail);
if ("skip" in decision) console.warn(`\n*** WARNING: ${decision.skip} ***\n`);

/** Whether the tests that need the document can run here. */
export const specAvailable = "use" in decision;

export function specIndex(): SpecIndex {
  if (!("use" in decision)) throw new Error("the Latitude spec is not available");
  index ??= SpecIndex.fromFile(decision.use);
  return index;
}
