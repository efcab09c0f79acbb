// The cto-metal policy pack: `pulumi preview --policy-pack policy [--policy-pack-config <file>]`.
// Constructing the PolicyPack starts the analyzer server the engine talks to, so this file only
// wires; the policies live in policies.ts and their decisions in decisions.ts.
import { PolicyPack } from "@pulumi/policy";
import { policies } from "./policies";

new PolicyPack("cto-metal", {
  description: "Guards for the Latitude.sh servers cto-metal rents: cost ceiling, hourly billing of test stacks, plan/site allowlists, stack tags.",
  // Each policy's level can be changed in the pack config ({"latitude-cost-ceiling": "advisory"} or {"all": "advisory"}).
  enforcementLevel: "mandatory",
  policies,
});
