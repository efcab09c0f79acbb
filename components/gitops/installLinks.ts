// Install links for the GitHub Apps the platform works with (Morgan, Rex, Cipher, Blaze, Cleo…):
// a person opens the link and GitHub asks an organisation owner to approve the App's permissions
// for exactly this organisation. Installing needs a human's consent, so the program only links.

export interface GitHubApp {
  /** How the stack names the App (the key of installLinks and installationStatus). */
  name: string;
  /** The App's URL slug: github.com/apps/<slug>. */
  slug: string;
}

// GitHub derives a slug from the App name: lowercase letters, digits and hyphens.
const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,98}[a-z0-9])?$/;
const ORG_ID = /^[1-9][0-9]{0,15}$/;

/** The slug itself, or an error that says what a slug looks like. */
export function validateAppSlug(slug: string): string {
  if (typeof slug !== "string" || !SLUG.test(slug)) {
    throw new Error(
      `GitHub App slug ${JSON.stringify(slug)} is not a slug: use the part after github.com/apps/ (lowercase letters, digits and hyphens, e.g. "morgan-5dlabs")`,
    );
  }
  return slug;
}

/** https://github.com/apps/<slug>/installations/new/permissions?target_id=<numeric org id> */
export function appInstallLink(slug: string, orgId: string | number): string {
  validateAppSlug(slug);
  const id = String(orgId);
  if (!ORG_ID.test(id)) throw new Error(`GitHub organisation id ${JSON.stringify(id)} is not numeric: pass the id of github.getOrganization, not its name`);
  return `https://github.com/apps/${slug}/installations/new/permissions?target_id=${id}`;
}

/** Checks that names and slugs are valid and unique; returns the list unchanged. */
export function validateApps(apps: GitHubApp[]): GitHubApp[] {
  const names = new Set<string>();
  const slugs = new Set<string>();
  for (const app of apps) {
    if (!app.name || typeof app.name !== "string") throw new Error(`GitHub App with slug ${JSON.stringify(app.slug)} needs a name`);
    validateAppSlug(app.slug);
    if (names.has(app.name)) throw new Error(`GitHub App name "${app.name}" appears twice; each App needs its own name`);
    if (slugs.has(app.slug)) throw new Error(`GitHub App slug "${app.slug}" appears twice; each App is listed once`);
    names.add(app.name);
    slugs.add(app.slug);
  }
  return apps;
}

/** One install link per App, keyed by App name. */
export function appInstallLinks(apps: GitHubApp[], orgId: string | number): Record<string, string> {
  return Object.fromEntries(validateApps(apps).map((app) => [app.name, appInstallLink(app.slug, orgId)]));
}
