import { describe, expect, it } from "vitest";
import { DEFAULT_API_URL, resolveCredentials } from "../../providers/latitude/credentials";

const config = (values: Record<string, string>) => ({ get: (key: string) => values[key] });

describe("resolveCredentials", () => {
  it("prefers stack config over the environment", () => {
    const env = { LATITUDESH_AUTH_TOKEN: "env-key", LATITUDESH_API_URL: "http://127.0.0.1:9" };
    expect(resolveCredentials(config({ "latitudesh:authToken": "cfg-key", "latitudesh:apiUrl": "https://api.example.test/" }), env)).toEqual({
      apiKey: "cfg-key",
      apiUrl: "https://api.example.test",
    });
    expect(resolveCredentials(config({}), env)).toEqual({ apiKey: "env-key", apiUrl: "http://127.0.0.1:9" });
    expect(resolveCredentials(undefined, { LATITUDESH_AUTH_TOKEN: "k" })).toEqual({ apiKey: "k", apiUrl: DEFAULT_API_URL });
  });

  it("names both places to set a missing key", () => {
    expect(() => resolveCredentials(config({}), {})).toThrow(
      "Latitude API key missing: set it with `pulumi config set --secret latitudesh:authToken <key>` or the environment variable LATITUDESH_AUTH_TOKEN",
    );
  });

  it("refuses plain http except to this machine, and URLs that carry credentials", () => {
    const env = { LATITUDESH_AUTH_TOKEN: "k" };
    expect(() => resolveCredentials(config({ "latitudesh:apiUrl": "http://api.latitude.sh" }), env)).toThrow(
      "latitudesh:apiUrl: expected an https URL (plain http only for a local emulator), got http://api.latitude.sh",
    );
    expect(() => resolveCredentials(undefined, { ...env, LATITUDESH_API_URL: "not a url" })).toThrow('LATITUDESH_API_URL: expected an absolute URL such as https://api.latitude.sh, got "not a url"');
    expect(() => resolveCredentials(undefined, { ...env, LATITUDESH_API_URL: "https://user:pw@api.latitude.sh" })).toThrow("must not carry credentials");
    expect(resolveCredentials(undefined, { ...env, LATITUDESH_API_URL: "http://localhost:8080" }).apiUrl).toBe("http://localhost:8080");
  });
});
