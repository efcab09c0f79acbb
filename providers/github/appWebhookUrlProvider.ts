// Points a GitHub App's webhook at this cluster and, on destroy, back where it was. The App
// authenticates as itself (a JWT signed with its private key), so the only credentials are the
// App id and the private key, which arrive as secret inputs: the key must be in state anyway
// for `delete` to restore the old URL after the program no longer runs.
// The private key and the JWT never appear in outputs other than `privateKey` (secret) or in errors.
// This object is serialized into state: dependencies are local modules or require()d inside.
import type * as pulumi from "@pulumi/pulumi";
import { APP_ID_PATTERN, appJwt } from "./appJwt";
import { githubMessage, githubRequest } from "./http";
import { githubApiUrl, rememberGitHubConfig } from "./runtime";

export interface AppWebhookUrlInputs {
  /** Bumped with the provider code, so the engine stores the new code in state. */
  providerVersion: string;
  /** For messages only: which App this is. */
  slug: string;
  appId: string;
  /** PEM; secret. */
  privateKey: string;
  /** Where the App's webhook should deliver. */
  url: string;
}

export interface AppWebhookUrlOutputs extends AppWebhookUrlInputs {
  /** The App's webhook URL before this resource changed it ("" when it had none); restored on delete. */
  previousUrl: string;
  previousContentType: string;
  /**
   * The URL GitHub had when last looked at (create, update or refresh). `url` stays the URL this
   * resource set, so that delete can tell our URL from one someone put there since. Absent in
   * state written before it existed.
   */
  currentUrl?: string;
}

/** Whether GitHub's URL differs from the wanted one: a changed input, or drift seen by a refresh. */
export function webhookUrlNeedsPatch(olds: Pick<AppWebhookUrlOutputs, "url" | "currentUrl">, wanted: string): boolean {
  return olds.url !== wanted || (olds.currentUrl !== undefined && olds.currentUrl !== wanted);
}

/** Delete puts the previous URL back only over our own URL: not over nothing, not over someone else's. */
export function shouldRestoreWebhookUrl(props: Pick<AppWebhookUrlOutputs, "url" | "previousUrl">, githubUrlNow: string): boolean {
  return props.previousUrl !== "" && githubUrlNow === props.url;
}

const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const known = (value: unknown): boolean => value !== undefined && value !== UNKNOWN;
const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;

/** Problems with a webhook URL, or undefined: https (plain http only to this machine), no credentials. */
export function webhookUrlProblem(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return `expected an absolute https URL for the App webhook, got ${JSON.stringify(String(raw).slice(0, 80))}`;
  }
  if (!(url.protocol === "https:" || (url.protocol === "http:" && LOOPBACK.test(url.hostname)))) return `the App webhook URL must use https, got ${url.protocol}//${url.host}`;
  if (url.username || url.password) return "the App webhook URL must not carry credentials";
  return undefined;
}

interface HookConfig {
  url: string;
  contentType: string;
}

function hookError(inputs: Pick<AppWebhookUrlInputs, "slug" | "appId">, action: string, status: number, body: unknown): Error {
  const said = githubMessage(body);
  const detail = said ? ` (${said})` : "";
  const app = `GitHub App ${inputs.slug} (id ${inputs.appId})`;
  if (status === 401) return new Error(`${app}: ${action} answered 401${detail}; the App id and private key do not match, or the key was revoked: generate a new key in the App's settings`);
  if (status === 404) return new Error(`${app}: ${action} answered 404${detail}; the App has no webhook configured or the App id is wrong`);
  return new Error(`${app}: ${action} answered ${status}${detail}; run \`pulumi up\` again`);
}

async function getHookConfig(inputs: AppWebhookUrlInputs): Promise<HookConfig> {
  const answer = await githubRequest({ apiUrl: githubApiUrl(), method: "GET", path: "/app/hook/config", authorization: `Bearer ${appJwt(inputs.appId, inputs.privateKey)}` });
  if (answer.status !== 200) throw hookError(inputs, "GET /app/hook/config", answer.status, answer.body);
  const body = (answer.body ?? {}) as { url?: unknown; content_type?: unknown };
  return { url: typeof body.url === "string" ? body.url : "", contentType: typeof body.content_type === "string" ? body.content_type : "json" };
}

async function patchHookConfig(inputs: AppWebhookUrlInputs, config: HookConfig): Promise<void> {
  const answer = await githubRequest({
    apiUrl: githubApiUrl(),
    method: "PATCH",
    path: "/app/hook/config",
    authorization: `Bearer ${appJwt(inputs.appId, inputs.privateKey)}`,
    // The App's secret and TLS setting are left as they are: only where it delivers changes.
    body: { url: config.url, content_type: config.contentType },
  });
  if (answer.status !== 200) throw hookError(inputs, "PATCH /app/hook/config", answer.status, answer.body);
}

export const appWebhookUrlProvider: pulumi.dynamic.ResourceProvider<AppWebhookUrlInputs, AppWebhookUrlOutputs> = {
  configure(request: pulumi.dynamic.ConfigureRequest): Promise<void> {
    rememberGitHubConfig(request.config);
    return Promise.resolve();
  },

  check(_olds: AppWebhookUrlInputs, news: AppWebhookUrlInputs): Promise<pulumi.dynamic.CheckResult<AppWebhookUrlInputs>> {
    const failures: pulumi.dynamic.CheckFailure[] = [];
    if (known(news.appId) && !APP_ID_PATTERN.test(String(news.appId)))
      failures.push({ property: "appId", reason: `GitHub App ${news.slug}: expected the numeric App id from the App's settings page, got ${JSON.stringify(String(news.appId).slice(0, 20))}` });
    // Never quote the key: say only that it is missing or malformed.
    if (known(news.privateKey) && !/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(String(news.privateKey)))
      failures.push({ property: "privateKey", reason: `GitHub App ${news.slug}: the private key is not a PEM private key; paste the whole .pem file GitHub generated` });
    if (known(news.url)) {
      const problem = webhookUrlProblem(String(news.url));
      if (problem) failures.push({ property: "url", reason: `GitHub App ${news.slug}: ${problem}` });
    }
    return Promise.resolve({ inputs: news, failures });
  },

  diff(_id: string, olds: AppWebhookUrlOutputs, news: AppWebhookUrlInputs): Promise<pulumi.dynamic.DiffResult> {
    // Another App is another resource: the old one gets its URL back, the new one is recorded.
    const replaces = olds.appId !== news.appId ? ["appId"] : [];
    const changes =
      replaces.length > 0 ||
      webhookUrlNeedsPatch(olds, news.url) ||
      olds.privateKey !== news.privateKey ||
      olds.slug !== news.slug ||
      olds.providerVersion !== news.providerVersion;
    return Promise.resolve({ changes, replaces, deleteBeforeReplace: false });
  },

  async create(inputs: AppWebhookUrlInputs): Promise<pulumi.dynamic.CreateResult<AppWebhookUrlOutputs>> {
    const previous = await getHookConfig(inputs);
    await patchHookConfig(inputs, { url: inputs.url, contentType: "json" });
    return { id: `app-${inputs.appId}-hook`, outs: { ...inputs, previousUrl: previous.url, previousContentType: previous.contentType, currentUrl: inputs.url } };
  },

  async read(id: string, props?: AppWebhookUrlOutputs): Promise<pulumi.dynamic.ReadResult<AppWebhookUrlOutputs>> {
    if (!props) throw new Error(`importing the webhook URL of GitHub App ${id} is not supported: dynamic resources cannot be imported`);
    // A URL changed in the App's settings shows as drift (currentUrl), and the next `up` points it
    // back. `url` keeps what we set: were it overwritten with GitHub's URL, delete would take
    // someone else's URL for ours and "restore" over it.
    const current = await getHookConfig(props);
    return { id, props: { ...props, currentUrl: current.url } };
  },

  async update(_id: string, olds: AppWebhookUrlOutputs, news: AppWebhookUrlInputs): Promise<pulumi.dynamic.UpdateResult<AppWebhookUrlOutputs>> {
    const patch = webhookUrlNeedsPatch(olds, news.url);
    if (patch) await patchHookConfig(news, { url: news.url, contentType: "json" });
    const currentUrl = patch ? news.url : (olds.currentUrl ?? news.url);
    return { outs: { ...news, previousUrl: olds.previousUrl, previousContentType: olds.previousContentType, currentUrl } };
  },

  async delete(_id: string, props: AppWebhookUrlOutputs): Promise<void> {
    // Nothing to restore when the App had no URL before; and a URL someone changed since is theirs.
    if (!props.previousUrl) return;
    const current = await getHookConfig(props);
    if (!shouldRestoreWebhookUrl(props, current.url)) return;
    await patchHookConfig(props, { url: props.previousUrl, contentType: props.previousContentType || "json" });
  },
};
