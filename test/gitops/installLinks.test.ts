// Install links and slug validation, no Pulumi.
import { describe, expect, it } from "vitest";
import { appInstallLink, appInstallLinks, validateApps, validateAppSlug } from "../../components/gitops/installLinks";

describe("appInstallLink", () => {
  it("links to the App's permission page for the organisation's numeric id", () => {
    expect(appInstallLink("morgan-5dlabs", "123456789")).toBe("https://github.com/apps/morgan-5dlabs/installations/new/permissions?target_id=123456789");
    expect(appInstallLink("rex", 42)).toBe("https://github.com/apps/rex/installations/new/permissions?target_id=42");
  });

  it("refuses an organisation name in place of its id", () => {
    expect(() => appInstallLink("rex", "acme")).toThrow(/not numeric.*getOrganization/);
    expect(() => appInstallLink("rex", "")).toThrow(/not numeric/);
  });

  it("keys one link per App by name", () => {
    expect(appInstallLinks([{ name: "Morgan", slug: "morgan" }, { name: "Cleo", slug: "cleo-app" }], "7")).toEqual({
      Morgan: "https://github.com/apps/morgan/installations/new/permissions?target_id=7",
      Cleo: "https://github.com/apps/cleo-app/installations/new/permissions?target_id=7",
    });
  });
});

describe("validateAppSlug", () => {
  it.each(["morgan", "rex-5dlabs", "a", "cipher2", "blaze--bot"])("accepts %s", (slug) => {
    expect(validateAppSlug(slug)).toBe(slug);
  });
  it.each(["", "Morgan", "rex_bot", "-rex", "rex-", "rex/../x", "rex?x=1", "re x", "x".repeat(101)])("refuses %j", (slug) => {
    expect(() => validateAppSlug(slug)).toThrow(/is not a slug.*github\.com\/apps/);
  });

  it("validateApps refuses duplicate names and slugs", () => {
    expect(() => validateApps([{ name: "Rex", slug: "rex" }, { name: "Rex", slug: "rex2" }])).toThrow(/name "Rex" appears twice/);
    expect(() => validateApps([{ name: "Rex", slug: "rex" }, { name: "Rex2", slug: "rex" }])).toThrow(/slug "rex" appears twice/);
    expect(() => validateApps([{ name: "", slug: "rex" }])).toThrow(/needs a name/);
  });
});
