// Keys of our namespace that the program does not read. Pulumi hands every key of the stack to the
// program and declares nothing about keys Pulumi.yaml does not list, so a typo (`cto-metal:biling`)
// would silently fall back to a default: and a default can rent the wrong thing. Refused instead,
// with the closest known key.
import { editDistance } from "./editDistance";
import type { ConfigIssue } from "./issues";

/** Typos this close to a known key are suggested ("nodez" → "nodes"). */
const MAX_SUGGESTION_DISTANCE = 3;

/** The known key closest to `key`, when it is close enough to be the one meant. */
export function closestKey(key: string, known: readonly string[]): string | undefined {
  const ranked = known
    .map((candidate) => ({ candidate, distance: editDistance(key.toLowerCase(), candidate.toLowerCase()) }))
    .sort((a, b) => a.distance - b.distance || a.candidate.localeCompare(b.candidate));
  const best = ranked[0];
  return best && best.distance <= Math.max(1, Math.min(MAX_SUGGESTION_DISTANCE, Math.floor(key.length / 2))) ? best.candidate : undefined;
}

/**
 * One issue per key of `namespace` in `allConfig` (Pulumi's `namespace:key` map) that is not in
 * `known`; keys of other namespaces (latitudesh:, github:, pulumi:) are not ours to judge.
 */
export function unknownKeyIssues(allConfig: Readonly<Record<string, string>>, namespace: string, known: readonly string[]): ConfigIssue[] {
  const prefix = `${namespace}:`;
  return Object.keys(allConfig)
    .filter((full) => full.startsWith(prefix) && !known.includes(full.slice(prefix.length)))
    .sort()
    .map((full) => {
      const suggestion = closestKey(full.slice(prefix.length), known);
      const hint = suggestion ? `did you mean \`${prefix}${suggestion}\`?` : `known keys are listed in docs/configuration.md`;
      return { path: full, message: `unknown key, the program does not read it; ${hint} (remove it with \`pulumi config rm ${full}\`)` };
    });
}
