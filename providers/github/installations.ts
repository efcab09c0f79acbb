// Which of the configured GitHub Apps are installed on the organisation: a read-only look-up the
// program runs (dynamic providers cannot serve invokes). It answers for every App and never
// throws: "unknown: <reason>" when there is no token or GitHub cannot be asked, so a GitHub outage
// never fails a preview. With no token it dials nothing (the program refuses a GitHub organisation
// without a token before it gets here: components/gitops/githubToken.ts). The token never
// reaches the result.
import * as pulumi from "@pulumi/pulumi";
import { githubMessage, githubRequest } from "./http";
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
}

const PER_PAGE = 100;
const MAX_PAGES = 10;

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

/** The App slugs installed on `org`, or the reason they could not be listed. */
async function installedSlugs(org: string, token: string, apiUrl: string, timeoutMs: number | undefined): Promise<Set<string> | { reason: string }> {
  const slugs = new Set<string>();
  for (let page = 1; page <= MAX_PAGES; page++) {
    const answer = await githubRequest({
      apiUrl,
      method: "GET",
      path: `/orgs/${encodeURIComponent(org)}/installations?per_page=${PER_PAGE}&page=${page}`,
      authorization: `Bearer ${token}`,
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    });
    if (answer.status !== 200) return { reason: failureReason(answer.status, answer.body) };
    const installations = (answer.body as { installations?: Array<{ app_slug?: unknown }> } | undefined)?.installations;
    if (!Array.isArray(installations)) return { reason: "GitHub's answer had no installations list" };
    for (const installation of installations) if (typeof installation.app_slug === "string") slugs.add(installation.app_slug);
    if (installations.length < PER_PAGE) break;
  }
  return slugs;
}

export async function checkInstallations(args: InstallationCheckArgs): Promise<Record<string, InstallationState>> {
  const env = args.env ?? process.env;
  if (args.apps.length === 0) return {};
  const token = args.token?.trim() || env["GITHUB_TOKEN"]?.trim();
  if (!token) return allUnknown(args.apps, "no GitHub token (set github:token or GITHUB_TOKEN)");
  try {
    const slugs = await installedSlugs(args.org, token, githubApiUrl(env), args.timeoutMs);
    if (!(slugs instanceof Set)) return allUnknown(args.apps, slugs.reason);
    return Object.fromEntries(args.apps.map((app) => [app.name, slugs.has(app.slug) ? "installed" : "not installed"]));
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
