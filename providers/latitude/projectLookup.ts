// Read-only lookup of an existing Latitude project for `cto-metal:project = {"slug": ...}`. Run by
// the program (dynamic providers cannot serve invokes); an adopted project is never a resource of
// the stack, so nothing ever deletes it.
import type { LatitudeClient } from "./client";
import { PROJECT_CONFIG_KEY } from "./projectProvider";
import type { Project } from "./schemas";

/** How many existing slugs an error lists: enough to spot a typo, short enough to read. */
const SHOWN_SLUGS = 10;

export async function findProjectBySlug(client: LatitudeClient, slug: string): Promise<Project> {
  const found = await client.findProject(slug);
  if (found) return found;
  const slugs = (await client.listProjects()).map((p) => p.slug).sort();
  const seen =
    slugs.length === 0
      ? "this API key sees no projects at all (check latitudesh:authToken)"
      : `projects this API key sees: ${slugs.slice(0, SHOWN_SLUGS).join(", ")}${slugs.length > SHOWN_SLUGS ? ` and ${slugs.length - SHOWN_SLUGS} more` : ""}`;
  throw new Error(`${PROJECT_CONFIG_KEY}: no Latitude project with slug "${slug}"; ${seen}. Set {"slug": "<one of them>"} to adopt it, or {"name": ...} to create a project this stack owns`);
}
