// What a program needs to reach a Kubernetes API server on its own (no kubectl, no k8s provider):
// the server URL, the CA to trust and the client credential, read from a kubeconfig. Talos and kind
// write client-certificate-data/client-key-data; other tools write file paths or a bearer token.
// Pure except for reading the file-path fields; never puts key material in an error message.

/** A Kubernetes API server and the credential to call it with; PEM text, not base64. */
export interface KubeAccess {
  server: string;
  caCertificate?: string;
  clientCertificate?: string;
  clientKey?: string;
  token?: string;
  insecureSkipTlsVerify?: boolean;
}

interface NamedEntry {
  name?: unknown;
  [section: string]: unknown;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function entry(list: unknown, name: string, kind: string, contextName: string): Record<string, unknown> {
  const found = Array.isArray(list) ? (list as NamedEntry[]).find((item) => isRecord(item) && item.name === name) : undefined;
  const body = found?.[kind];
  if (!isRecord(body)) throw new Error(`kubeconfig context "${contextName}" refers to ${kind} "${name}", which the kubeconfig does not define`);
  return body;
}

/** PEM from a `*-data` field (base64) or from the file a path field names. */
function pemField(section: Record<string, unknown>, dataKey: string, fileKey: string, where: string): string | undefined {
  const data = section[dataKey];
  if (typeof data === "string" && data.trim() !== "") {
    const text = Buffer.from(data.trim(), "base64").toString("utf8");
    if (!text.includes("-----BEGIN ")) throw new Error(`kubeconfig ${where}: ${dataKey} is not base64-encoded PEM`);
    return text;
  }
  const file = section[fileKey];
  if (typeof file === "string" && file.trim() !== "") {
    const fs = require("node:fs") as typeof import("node:fs");
    try {
      return fs.readFileSync(file, "utf8");
    } catch (error) {
      const code = (error as { code?: string }).code ?? "unreadable";
      throw new Error(`kubeconfig ${where}: cannot read ${fileKey} ${JSON.stringify(file)} (${code})`);
    }
  }
  return undefined;
}

/**
 * The API server and credential of `context` (default: the kubeconfig's current-context).
 * Throws an error naming the context or field when something is missing.
 */
export function kubeAccessFromKubeconfig(yamlText: string, context?: string): KubeAccess {
  const yaml = require("js-yaml") as typeof import("js-yaml");
  let doc: unknown;
  try {
    doc = yaml.load(yamlText);
  } catch {
    // The parser's message quotes the offending line, which may be key material.
    throw new Error("the kubeconfig is not valid YAML");
  }
  if (!isRecord(doc)) throw new Error("the kubeconfig is empty or not a YAML mapping");
  const contextName = context ?? (typeof doc["current-context"] === "string" ? doc["current-context"] : undefined);
  if (!contextName) throw new Error("the kubeconfig has no current-context: name the context to use");
  const ctx = entry(doc["contexts"], contextName, "context", contextName);
  const clusterName = ctx["cluster"];
  const userName = ctx["user"];
  if (typeof clusterName !== "string" || clusterName === "") throw new Error(`kubeconfig context "${contextName}" names no cluster`);
  const cluster = entry(doc["clusters"], clusterName, "cluster", contextName);
  const server = cluster["server"];
  if (typeof server !== "string" || !/^https?:\/\//.test(server)) throw new Error(`kubeconfig cluster "${clusterName}": server must be an http(s) URL`);

  const access: KubeAccess = { server: server.replace(/\/+$/, "") };
  const ca = pemField(cluster, "certificate-authority-data", "certificate-authority", `cluster "${clusterName}"`);
  if (ca) access.caCertificate = ca;
  if (cluster["insecure-skip-tls-verify"] === true) access.insecureSkipTlsVerify = true;

  if (typeof userName === "string" && userName !== "") {
    const user = entry(doc["users"], userName, "user", contextName);
    const where = `user "${userName}"`;
    const cert = pemField(user, "client-certificate-data", "client-certificate", where);
    const key = pemField(user, "client-key-data", "client-key", where);
    if (cert && !key) throw new Error(`kubeconfig ${where}: has a client certificate but no client-key-data or client-key`);
    if (key && !cert) throw new Error(`kubeconfig ${where}: has a client key but no client-certificate-data or client-certificate`);
    if (cert && key) {
      access.clientCertificate = cert;
      access.clientKey = key;
    }
    if (typeof user["token"] === "string" && user["token"] !== "") access.token = user["token"];
    else if (typeof user["tokenFile"] === "string" && user["tokenFile"] !== "") {
      const fs = require("node:fs") as typeof import("node:fs");
      try {
        access.token = fs.readFileSync(user["tokenFile"], "utf8").trim();
      } catch {
        throw new Error(`kubeconfig ${where}: cannot read tokenFile ${JSON.stringify(user["tokenFile"])}`);
      }
    }
    if (isRecord(user["exec"]) || isRecord(user["auth-provider"])) {
      if (!access.clientCertificate && !access.token) throw new Error(`kubeconfig ${where}: exec and auth-provider credentials are not supported; use a client certificate or token`);
    }
  }
  if (!access.clientCertificate && !access.token) throw new Error(`kubeconfig context "${contextName}": no client certificate or token to authenticate with`);
  return access;
}
