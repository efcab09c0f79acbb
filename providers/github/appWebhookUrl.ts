// A GitHub App's webhook URL as the program uses it (type pulumi-nodejs:dynamic/github:AppWebhookUrl).
import * as pulumi from "@pulumi/pulumi";
import { appWebhookUrlProvider, type AppWebhookUrlInputs } from "./appWebhookUrlProvider";
import { GITHUB_PROVIDER_VERSION } from "./version";

export interface AppWebhookUrlArgs {
  slug: pulumi.Input<string>;
  appId: pulumi.Input<string>;
  /** PEM; always stored as a secret. */
  privateKey: pulumi.Input<string>;
  url: pulumi.Input<string>;
}

/** Outputs computed from the App's credentials: kept secret in state whatever the inputs were. */
export const APP_WEBHOOK_URL_SECRET_OUTPUTS = ["privateKey", "previousUrl", "currentUrl"];

export class AppWebhookUrl extends pulumi.dynamic.Resource {
  declare readonly slug: pulumi.Output<string>;
  declare readonly appId: pulumi.Output<string>;
  declare readonly url: pulumi.Output<string>;
  declare readonly previousUrl: pulumi.Output<string>;
  /** GitHub's URL when last looked at; differs from `url` after someone changed it in the App's settings. */
  declare readonly currentUrl: pulumi.Output<string | undefined>;

  constructor(name: string, args: AppWebhookUrlArgs, opts?: pulumi.CustomResourceOptions) {
    const props: { [K in keyof AppWebhookUrlInputs]: pulumi.Input<AppWebhookUrlInputs[K]> } & { previousUrl: undefined; previousContentType: undefined; currentUrl: undefined } = {
      providerVersion: GITHUB_PROVIDER_VERSION,
      slug: args.slug,
      appId: args.appId,
      privateKey: pulumi.secret(args.privateKey),
      url: args.url,
      previousUrl: undefined,
      previousContentType: undefined,
      currentUrl: undefined,
    };
    super(appWebhookUrlProvider, name, props, pulumi.mergeOptions(opts, { additionalSecretOutputs: APP_WEBHOOK_URL_SECRET_OUTPUTS }), "github", "AppWebhookUrl");
  }
}
