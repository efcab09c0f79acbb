// kubeAccessFromKubeconfig: Talos/kind-style *-data fields, file paths, tokens, and errors that name
// the context or field without echoing key material.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { kubeAccessFromKubeconfig } from "../../providers/kubernetes/kubeAccess";

const CA = "-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n";
const CERT = "-----BEGIN CERTIFICATE-----\nCLIENT\n-----END CERTIFICATE-----\n";
const KEY = "-----BEGIN EC PRIVATE KEY-----\nSECRETKEYMATERIAL\n-----END EC PRIVATE KEY-----\n";
const b64 = (text: string) => Buffer.from(text).toString("base64");

function kubeconfig(user: Record<string, unknown>, cluster: Record<string, unknown> = { server: "https://10.0.0.1:6443", "certificate-authority-data": b64(CA) }, current = "admin@cto"): string {
  return JSON.stringify({
    apiVersion: "v1",
    kind: "Config",
    "current-context": current,
    clusters: [{ name: "cto", cluster }],
    contexts: [
      { name: "admin@cto", context: { cluster: "cto", user: "admin@cto", namespace: "default" } },
      { name: "other", context: { cluster: "missing", user: "admin@cto" } },
    ],
    users: [{ name: "admin@cto", user }],
  });
}

describe("kubeAccessFromKubeconfig", () => {
  it("reads a Talos/kind kubeconfig: server, CA and client certificate from the *-data fields", () => {
    const access = kubeAccessFromKubeconfig(kubeconfig({ "client-certificate-data": b64(CERT), "client-key-data": b64(KEY) }));
    expect(access).toEqual({ server: "https://10.0.0.1:6443", caCertificate: CA, clientCertificate: CERT, clientKey: KEY });
  });

  it("reads a real YAML kubeconfig as kind writes it", () => {
    const yamlText = [
      "apiVersion: v1",
      "clusters:",
      "- cluster:",
      `    certificate-authority-data: ${b64(CA)}`,
      "    server: https://127.0.0.1:38211/",
      "  name: kind-kind",
      "contexts:",
      "- context:",
      "    cluster: kind-kind",
      "    user: kind-kind",
      "  name: kind-kind",
      "current-context: kind-kind",
      "kind: Config",
      "users:",
      "- name: kind-kind",
      "  user:",
      `    client-certificate-data: ${b64(CERT)}`,
      `    client-key-data: ${b64(KEY)}`,
    ].join("\n");
    expect(kubeAccessFromKubeconfig(yamlText)).toMatchObject({ server: "https://127.0.0.1:38211", clientKey: KEY });
  });

  it("reads file-path fields and a bearer token", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kubeaccess-"));
    try {
      fs.writeFileSync(path.join(dir, "ca.crt"), CA);
      fs.writeFileSync(path.join(dir, "token"), "tok-123\n");
      const access = kubeAccessFromKubeconfig(kubeconfig({ tokenFile: path.join(dir, "token") }, { server: "https://k8s.example:6443", "certificate-authority": path.join(dir, "ca.crt") }));
      expect(access).toEqual({ server: "https://k8s.example:6443", caCertificate: CA, token: "tok-123" });
      expect(kubeAccessFromKubeconfig(kubeconfig({ token: "abc" }, { server: "https://x:6443", "insecure-skip-tls-verify": true }))).toEqual({ server: "https://x:6443", token: "abc", insecureSkipTlsVerify: true });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("uses the named context over current-context, and names what is missing", () => {
    expect(() => kubeAccessFromKubeconfig(kubeconfig({ token: "t" }), "other")).toThrow(/context "other" refers to cluster "missing"/);
    expect(() => kubeAccessFromKubeconfig(kubeconfig({ token: "t" }), "nope")).toThrow(/context "nope" refers to context "nope"/);
    expect(() => kubeAccessFromKubeconfig(kubeconfig({ token: "t" }, { server: "https://x" }, ""))).toThrow(/no current-context/);
    expect(() => kubeAccessFromKubeconfig(kubeconfig({}))).toThrow(/context "admin@cto": no client certificate or token/);
    expect(() => kubeAccessFromKubeconfig(kubeconfig({ token: "t" }, { server: "10.0.0.1:6443" }))).toThrow(/cluster "cto": server must be an http\(s\) URL/);
    expect(() => kubeAccessFromKubeconfig(kubeconfig({ exec: { command: "aws" } }))).toThrow(/exec and auth-provider credentials are not supported/);
  });

  it("never echoes key material in an error", () => {
    const errors: string[] = [];
    const attempt = (text: string) => {
      try {
        kubeAccessFromKubeconfig(text);
      } catch (error) {
        errors.push((error as Error).message);
      }
    };
    attempt(kubeconfig({ "client-key-data": b64(KEY) }));
    attempt(kubeconfig({ "client-certificate-data": b64(CERT), "client-key-data": "bm90IHBlbQ==" }));
    attempt(`users: [\n  client-key-data: ${b64(KEY)}\n  : : bad`);
    attempt(`key: "${KEY}"\n\tbroken: [`);
    expect(errors).toHaveLength(4);
    for (const message of errors) {
      expect(message).not.toContain("SECRETKEYMATERIAL");
      expect(message).not.toContain(b64(KEY));
    }
    expect(errors[0]).toMatch(/user "admin@cto": has a client key but no client-certificate-data/);
    expect(errors[1]).toMatch(/client-key-data is not base64-encoded PEM/);
  });
});
