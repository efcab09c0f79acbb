// Which of the configured GitHub Apps are installed on the organisation: a read-only look-up the
// program runs (dynamic providers cannot serve invokes). It answers for every App and never
// throws: "unknown: <reason>" when there is no token or GitHub cannot be asked, so a GitHub outage
// never fails a preview. With no token it dials nothing (the program refuses a GitHub organisation
// without a token before it gets here: components/gitops/githubToken.ts). The token never
// reaches the result.
import * as pulumi from "@pulumi/pulumi";
import { githubMessage, githubRequest, linkTarget } from "./http";
import { githubApiUrl } from "./runtime";

export type InstallationState = "installed" | "not installed" | `unknown: ${string}`;

export interface InstallationApp {
  name: string;
  slug: string;
}

export interface InstallationCheckArgs {
  org: string;
  apps: InstallationApp[];
  /** Falls back to GITHUB_TOKEN; neither set → every App "unknown", no request. */
  token?: string | undefined;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  /** Safety bound on the pages followed; MAX_INSTALLATION_PAGES unless a test says otherwise. */
  maxPages?: number;
}

/** The most GitHub serves per page (the description of per_page: "max 100"). */
const PER_PAGE = 100;
/** 10,000 installations: far beyond any organisation we serve, low enough to end a Link loop. */
export const MAX_INSTALLATION_PAGES = 100;

const allUnknown = (apps: InstallationApp[], reason: string): Record<string, InstallationState> =>
  Object.fromEntries(apps.map((app) => [app.name, `unknown: ${reason}` as InstallationState]));

function failureReason(status: number, body: unknown): string {
  const said = githubMessage(body);
  const detail = said ? ` (${said})` : "";
  if (status === 401) return `GitHub answered 401${detail}: the token was rejected`;
  if (status === 403) return `GitHub answered 403${detail}: listing installations needs an organisation owner's token with admin:read (or "Administration: read")`;
  if (status === 404) return `GitHub answered 404${detail}: no organisation of that name visible to the token`;
  return `GitHub answered ${status}${detail}`;
}

/** The request path of a Link URL, which must lie under the API we were given: the token goes nowhere else. */
function pathUnder(apiUrl: string, next: string): string | undefined {
  return next.startsWith(`${apiUrl}/`) ? next.slice(apiUrl.length) : undefined;
}

/**
 * The App slugs installed on `org`, page after page by the Link header's rel="next" (GitHub names
 * the organisation by id in those URLs: /organizations/{id}/installations), and, when the list
 * could not be read to its end, why. Slugs seen before that are still installed.
 */
async function installedSlugs(org: string, token: string, apiUrl: string, timeoutMs: number | undefined, maxPages: number): Promise<{ slugs: Set<string>; incomplete?: string }> {
  const slugs = new Set<string>();
  const visited = new Set<string>();
  let path: string | undefined = `/orgs/${encodeURIComponent(org)}/installations?per_page=${PER_PAGE}`;
  while (path !== undefined) {
    if (visited.size >= maxPages)
      return { slugs, incomplete: `GitHub still linked a next page after ${maxPages} pages (${maxPages * PER_PAGE} installations); stopped there, so an App not seen yet may be installed` };
    visited.add(path);
    const answer = await githubRequest({ apiUrl, method: "GET", path, authorization: `Bearer ${token}`, ...(timeoutMs !== undefined ? { timeoutMs } : {}) });
    if (answer.status !== 200) return { slugs, incomplete: failureReason(answer.status, answer.body) };
    const installations = (answer.body as { installations?: Array<{ app_slug?: unknown }> } | undefined)?.installations;
    if (!Array.isArray(installations)) return { slugs, incomplete: "GitHub's answer had no installations list" };
    for (const installation of installations) if (typeof installation.app_slug === "string") slugs.add(installation.app_slug);
    const next = linkTarget(answer.link, "next");
    if (next === undefined) return { slugs };
    path = pathUnder(apiUrl, next);
    if (path === undefined) return { slugs, incomplete: `GitHub's next-page link leads outside ${apiUrl}; not sending the token there` };
    if (visited.has(path)) return { slugs, incomplete: `GitHub's next-page link leads back to a page already read (${path.split("?")[0]}); stopped` };
  }
  return { slugs };
}

export async function checkInstallations(args: InstallationCheckArgs): Promise<Record<string, InstallationState>> {
  const env = args.env ?? process.env;
  if (args.apps.length === 0) return {};
  const token = args.token?.trim() || env["GITHUB_TOKEN"]?.trim();
  if (!token) return allUnknown(args.apps, "no GitHub token (set github:token or GITHUB_TOKEN)");
  try {
    const { slugs, incomplete } = await installedSlugs(args.org, token, githubApiUrl(env), args.timeoutMs, args.maxPages ?? MAX_INSTALLATION_PAGES);
    // An App missing from an incomplete list is unknown, not "not installed".
    const absent: InstallationState = incomplete === undefined ? "not installed" : `unknown: ${incomplete}`;
    return Object.fromEntries(args.apps.map((app) => [app.name, slugs.has(app.slug) ? "installed" : absent]));
  } catch (error) {
    // The messages of githubRequest name the method and path, never the Authorization header;
    // scrub anyway in case a lower layer ever quotes it.
    const message = error instanceof Error ? error.message : String(error);
    return allUnknown(args.apps, message.split(token).join("***"));
  }
}

/**
 * The check as an Output for the component's `installationStatus`. The result holds no secret,
 * so it is unwrapped from the token's secrecy and can be shown in stack outputs.
 */
export function installationStatusOutput(args: { org: string; apps: InstallationApp[]; token?: pulumi.Input<string | undefined> }): pulumi.Output<Record<string, InstallationState>> {
  const status = pulumi.output(args.token).apply((token) => checkInstallations({ org: args.org, apps: args.apps, token }));
  return pulumi.unsecret(status);
}
