// Run by serialization.test.ts in a plain Node process (tsx: CommonJS, no vitest rewriting), the
// way the engine runs a dynamic provider: serialize the GitHub providers, rebuild them from the
// text, and drive them against the fake GitHub.
import { generateKeyPairSync } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { appWebhookUrlProvider } from "../../providers/github/appWebhookUrlProvider";
import { repositorySeedProvider } from "../../providers/github/repositorySeedProvider";
import { emptyRepo, startFakeGitHub } from "./fakeGitHub";

type Rebuilt<T> = { handler: () => T };

async function main(): Promise<void> {
  const requireFromString = require("require-from-string") as <T>(code: string) => Rebuilt<T>;
  const seedText = (await pulumi.runtime.serializeFunction(() => repositorySeedProvider)).text;
  const hookText = (await pulumi.runtime.serializeFunction(() => appWebhookUrlProvider)).text;
  const seed = requireFromString<typeof repositorySeedProvider>(seedText).handler();
  const hooks = requireFromString<typeof appWebhookUrlProvider>(hookText).handler();
  const fake = await startFakeGitHub();
  try {
    process.env["GITHUB_API_URL"] = fake.url;
    const token = "ghp_serialized_token";
    fake.tokens.add(token);
    fake.repos.set("acme/cto-apps", emptyRepo());
    await seed.configure?.({ config: { get: (k: string) => ({ "github:token": token })[k], require: () => "" } });
    const seeded = await seed.create({ providerVersion: "1", owner: "acme", repository: "cto-apps", branch: "main", commitMessage: "seed", files: [{ path: "README.md", content: "# hi\n" }] });

    const keys = generateKeyPairSync("rsa", { modulusLength: 2048, publicKeyEncoding: { type: "spki", format: "pem" }, privateKeyEncoding: { type: "pkcs1", format: "pem" } });
    fake.apps.set("42", { appId: "42", publicKey: keys.publicKey, hook: { url: "https://old.example.com/hook", content_type: "json", secret: "", insecure_ssl: "0" } });
    const inputs = { providerVersion: "1", slug: "rex", appId: "42", privateKey: keys.privateKey, url: "https://new.example.com/hook" };
    const created = await hooks.create(inputs);
    const during = fake.apps.get("42")!.hook.url;
    await hooks.delete!(created.id, created.outs!);
    const result = {
      seedWritten: seeded.outs?.written,
      hookDuring: during,
      hookAfter: fake.apps.get("42")!.hook.url,
      textsHoldToken: seedText.includes(token) || hookText.includes(token),
      judged: fake.judged,
      mismatches: fake.takeMismatches(),
    };
    console.log(JSON.stringify(result));
  } finally {
    await fake.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
