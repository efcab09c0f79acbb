// The platform, GitOps and kubeconfig-source keys: value schemas, wording and cross-key rules.
// Secrets (ngrok credentials, GitHub App private keys) are never read here: parseConfig only learns
// which secret keys are set, so it can say which one is missing.
import { z } from "zod";
import { type KeyChecker, type Result, FAILED, expecting, expectingList, show, strictObjectError } from "./issues";
import { PLATFORM_CHARTS, type GitHubAppConfig, type GitOpsConfig, type KubeconfigConfig, type PlatformChart, type PlatformConfig, type Profile } from "./types";

export type PlatformKey =
  | "skipStack"
  | "kubeconfigPath"
  | "kubeContext"
  | "argocdDomain"
  | "acme"
  | "vault"
  | "chartValues"
  | "gitopsRepo"
  | "githubApps"
  | "allowGitOpsRemoval";

/** Secret keys of the project namespace, read with getSecret (never declared in Pulumi.yaml). */
export const SECRET_KEYS = ["ngrokApiKey", "ngrokAuthtoken", "githubAppPrivateKeys"] as const;
export type SecretKey = (typeof SECRET_KEYS)[number];


/** Environment variables that stand in for a secret key that is not set (CI passes secrets this way). */
export const SECRET_ENV_FALLBACK: Readonly<Partial<Record<SecretKey, string>>> = { ngrokApiKey: "NGROK_API_KEY", ngrokAuthtoken: "NGROK_AUTHTOKEN" };

/** The platform's GitHub Apps; their slugs default to the lower-cased name. */
export const DEFAULT_GITHUB_APPS = ["Morgan", "Rex", "Cipher", "Blaze", "Cleo"] as const;

const DOMAIN = 'a DNS name such as "argocd.example.ngrok.app" (no scheme, port or path)';
const domainSchema = z
  .string(expecting(DOMAIN))
  .max(253, expecting(DOMAIN))
  .regex(/^(?=.*[A-Za-z])([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/, expecting(DOMAIN))
  .transform((host) => host.toLowerCase());

const EMAIL = 'an e-mail address for Let\'s Encrypt, e.g. "ops@example.com"';
const acmeSchema = z.strictObject(
  {
    email: z.string(expecting(EMAIL)).regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, expecting(EMAIL)),
    environment: z.enum(["staging", "production"]).default("staging"),
  },
  strictObjectError(["email", "environment"]),
);

const vaultSchema = z.strictObject(
  { flavor: z.enum(["vault", "openbao"]).default("vault"), ha: z.boolean(expecting("true or false")).optional() },
  strictObjectError(["flavor", "ha"]),
);

const valuesObject = z.record(z.string(), z.unknown(), expecting("a JSON object of Helm values"));
const chartValuesSchema = z.strictObject(
  Object.fromEntries(PLATFORM_CHARTS.map((chart) => [chart, valuesObject.optional()])) as Record<PlatformChart, z.ZodOptional<typeof valuesObject>>,
  strictObjectError(PLATFORM_CHARTS),
);

const REPO = 'a repository name of 1 to 100 letters, digits, ".", "-" and "_"';
const APPS_PATH = 'a relative directory such as "apps" (no "..", no leading "/")';
const BRANCH = 'a branch name such as "main"';
const gitopsRepoSchema = z.strictObject(
  {
    name: z.string(expecting(REPO)).regex(/^[A-Za-z0-9_.-]{1,100}$/, expecting(REPO)).default("cto-apps"),
    visibility: z.enum(["private", "public", "internal"]).default("private"),
    onDestroy: z.enum(["keep", "archive", "delete"]).default("keep"),
    appsPath: z
      .string(expecting(APPS_PATH))
      .regex(/^(?!\/)(?!.*(^|\/)\.\.(\/|$))[A-Za-z0-9_./-]{1,200}$/, expecting(APPS_PATH))
      .default("apps"),
    branch: z.string(expecting(BRANCH)).regex(/^(?!\/)(?!.*\.\.)[A-Za-z0-9_./-]{1,100}(?<!\/)$/, expecting(BRANCH)).default("main"),
  },
  strictObjectError(["name", "visibility", "onDestroy", "appsPath", "branch"]),
);

const APP_NAME = "an App name of 1 to 40 letters, digits, spaces and \"-\"";
const SLUG = 'a GitHub App slug (lower-case letters, digits and "-", e.g. "5dlabs-morgan")';
const APP_ID = "a GitHub App id (digits)";
const githubAppsSchema = z.array(
  z.strictObject(
    {
      name: z.string(expecting(APP_NAME)).regex(/^[A-Za-z0-9][A-Za-z0-9 -]{0,39}$/, expecting(APP_NAME)),
      slug: z.string(expecting(SLUG)).regex(/^[a-z0-9]([a-z0-9-]{0,98}[a-z0-9])?$/, expecting(SLUG)).optional(),
      appId: z.union([z.string(), z.number()], expecting(APP_ID)).transform(String).refine((id) => /^[1-9]\d{0,15}$/.test(id), expecting(APP_ID)).optional(),
      webhookUrl: z.url({ protocol: /^https$/, error: (iss) => `expected an https:// URL on this cluster for the App's webhook, got ${show(iss.input)}` }).optional(),
    },
    strictObjectError(["name", "slug", "appId", "webhookUrl"]),
  ),
  expectingList('a list of GitHub Apps such as [{"name": "Morgan", "slug": "5dlabs-morgan"}]'),
);

function defaultSlug(name: string): string {
  return name.toLowerCase().replace(/ /g, "-");
}

const PATH = "a file path without surrounding spaces";
const CONTEXT = "a kubeconfig context name";

export interface PlatformContext {
  readonly profile: Profile;
  readonly githubOrg: string | undefined;
  /** Which secret keys are set (their values stay with Pulumi). */
  readonly secrets: ReadonlySet<SecretKey>;
}

export interface PlatformSection {
  readonly platform: PlatformConfig;
  readonly gitops?: GitOpsConfig;
}

/** The platform and GitOps keys, for both cluster sources. */
export function checkPlatform(checker: KeyChecker<PlatformKey | "githubOrg">, ctx: PlatformContext): Result<PlatformSection> {
  const skip = checker.check("skipStack", z.boolean(expecting("true or false")));
  const domain = checker.check("argocdDomain", domainSchema.optional());
  const acme = checker.check("acme", acmeSchema.optional());
  const vault = checker.check("vault", vaultSchema.optional());
  const chartValues = checker.check("chartValues", chartValuesSchema.optional());
  const repo = checker.check("gitopsRepo", gitopsRepoSchema.optional());
  const apps = checker.check("githubApps", githubAppsSchema.optional());
  const allowGitOpsRemoval = checker.check("allowGitOpsRemoval", z.boolean(expecting("true or false")));

  // Argo CD is served, and ACME's HTTP-01 challenges answered, through the ngrok operator.
  const needNgrok = (key: "argocdDomain" | "acme", reason: string): void => {
    const missing = (["ngrokApiKey", "ngrokAuthtoken"] as const).filter((secret) => !ctx.secrets.has(secret));
    if (missing.length === 0) return;
    checker.report(
      key,
      [],
      `expected the ngrok credentials because ${reason}, got no ` +
        `${missing.map((secret) => `${checker.namespace}:${secret}`).join(" and ")}; set ${missing.length === 1 ? "it" : "them"} with ` +
        `\`pulumi config set --secret ${checker.namespace}:${missing[0]} <value>\``,
    );
  };
  if (domain.ok && domain.value !== undefined) needNgrok("argocdDomain", "Argo CD's domain is served through the ngrok operator");
  if (acme.ok && acme.value !== undefined) needNgrok("acme", "the ACME issuer answers its HTTP-01 challenges through the ngrok operator");
  if (apps.ok && apps.value) {
    const seen = new Map<string, number>();
    apps.value.forEach((app, i) => {
      const slug = app.slug ?? defaultSlug(app.name);
      const first = seen.get(slug);
      if (first !== undefined) checker.report("githubApps", [i, "slug"], `expected a unique App slug, got ${show(slug)} again (first at index ${first})`);
      else seen.set(slug, i);
    });
    apps.value.forEach((app, i) => {
      if ((app.appId === undefined) !== (app.webhookUrl === undefined)) {
        checker.report("githubApps", [i], `expected "appId" and "webhookUrl" together (the App's webhook is pointed at webhookUrl), got ${app.appId === undefined ? "only webhookUrl" : "only appId"}`);
      }
    });
    if (apps.value.some((app) => app.appId !== undefined) && !ctx.secrets.has("githubAppPrivateKeys")) {
      checker.report(
        "githubApps",
        [],
        `expected ${checker.namespace}:githubAppPrivateKeys (secret JSON {"<slug>": "<PEM>"}) for the Apps with an appId, got nothing`,
      );
    }
  }
  if (!ctx.githubOrg && repo.ok && repo.value !== undefined) {
    checker.report("gitopsRepo", [], `expected ${checker.namespace}:githubOrg to be set for a GitOps repository, got no organization`);
  }

  if (!(skip.ok && domain.ok && acme.ok && vault.ok && chartValues.ok && repo.ok && apps.ok && allowGitOpsRemoval.ok)) return FAILED;
  const platform: PlatformConfig = {
    skip: skip.value,
    ...(domain.value !== undefined && { argocdDomain: domain.value }),
    ...(acme.value !== undefined && { acme: acme.value }),
    ngrok: ctx.secrets.has("ngrokApiKey") && ctx.secrets.has("ngrokAuthtoken"),
    vault: { flavor: vault.value?.flavor ?? "vault", ha: vault.value?.ha ?? ctx.profile === "production" },
    chartValues: chartValues.value ?? {},
    ...(allowGitOpsRemoval.value && { allowGitOpsRemoval: true }),
  };
  if (!ctx.githubOrg) return { ok: true, value: { platform } };
  const repository = repo.value ?? gitopsRepoSchema.parse({});
  const configured: { name: string; slug?: string; appId?: string; webhookUrl?: string }[] = apps.value ?? DEFAULT_GITHUB_APPS.map((name) => ({ name }));
  const githubApps: GitHubAppConfig[] = configured.map((app) => ({
    name: app.name,
    slug: app.slug ?? defaultSlug(app.name),
    ...(app.appId !== undefined && app.webhookUrl !== undefined && { webhook: { appId: app.appId, url: app.webhookUrl } }),
  }));
  const { name: repositoryName, ...repositorySettings } = repository;
  return { ok: true, value: { platform, gitops: { org: ctx.githubOrg, repositoryName, ...repositorySettings, apps: githubApps } } };
}

/** The kubeconfig source: which file and context (both optional: $KUBECONFIG or ~/.kube/config, current context). */
export function checkKubeconfigSource(checker: KeyChecker<PlatformKey>): Result<KubeconfigConfig> {
  const path = checker.check("kubeconfigPath", z.string(expecting(PATH)).regex(/^\S(.*\S)?$/, expecting(PATH)).optional());
  const context = checker.check("kubeContext", z.string(expecting(CONTEXT)).regex(/^\S(.*\S)?$/, expecting(CONTEXT)).optional());
  if (!(path.ok && context.ok)) return FAILED;
  return { ok: true, value: { ...(path.value !== undefined && { path: path.value }), ...(context.value !== undefined && { context: context.value }) } };
}
