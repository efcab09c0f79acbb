// A fake Vault cluster (init, seal-status, unseal with a threshold, Raft join, per-pod sealed state,
// restart = reseal) behind a fake Kubernetes API server's per-pod proxy path, over TLS that requires
// the client certificate (or, when a token is configured, a bearer token). 127.0.0.1 only.
import * as crypto from "node:crypto";
import * as https from "node:https";
import type { AddressInfo } from "node:net";
import type { TLSSocket } from "node:tls";
import type { TestPki } from "./tls";

export interface FakePod {
  name: string;
  running: boolean;
  initialized: boolean;
  sealed: boolean;
  provided: Set<string>;
}

export interface LoggedRequest {
  method: string;
  pod: string;
  path: string;
  status: number;
}

export interface FakeVaultOptions {
  namespace: string;
  pods: string[];
  port?: number;
  /** Accept `Authorization: Bearer <token>` when the caller shows no client certificate. */
  token?: string;
}

function send(res: import("node:http").ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}

const kubeStatus = (code: number, message: string) => ({ kind: "Status", apiVersion: "v1", status: "Failure", message, code });

/** The verb RBAC checks for a method, as the API server derives it (apiserver's endpoints/request/requestinfo.go). */
const VERBS: Record<string, string> = { GET: "get", HEAD: "get", POST: "create", PUT: "update", PATCH: "patch", DELETE: "delete" };

export class FakeVault {
  readonly pods = new Map<string, FakePod>();
  readonly requests: LoggedRequest[] = [];
  /** Vault path → ms to hold its answer back (the work is done at once, as a slow answer would be). */
  readonly answerDelays = new Map<string, number>();
  /** RBAC verbs on pods/proxy the caller lacks: those requests get the API server's 403. */
  readonly forbiddenVerbs = new Set<string>();
  /** Runs just before Vault handles a request: what happens to a pod between two of our calls. */
  beforeVault?: (pod: FakePod, method: string, path: string) => void;
  keys: string[] = [];
  rootToken = "";
  threshold = 0;
  url = "";
  private server?: https.Server;

  constructor(readonly options: FakeVaultOptions) {
    for (const name of options.pods) this.pods.set(name, { name, running: true, initialized: false, sealed: true, provided: new Set() });
  }

  get leaderAddress(): string {
    const first = this.options.pods[0]!;
    return `http://${first}.${first.replace(/-\d+$/, "")}-internal:${this.options.port ?? 8200}`;
  }

  pod(name: string): FakePod {
    const pod = this.pods.get(name);
    if (!pod) throw new Error(`no fake pod ${name}`);
    return pod;
  }

  /** A pod restart: Vault comes back sealed, with no unseal progress. */
  restart(name: string): void {
    const pod = this.pod(name);
    pod.sealed = true;
    pod.provided.clear();
  }

  /** Out of band, as a run that died after init (or another tool) would leave it. */
  initializeOutOfBand(shares = 5, threshold = 3): void {
    this.init(this.pod(this.options.pods[0]!), shares, threshold);
  }

  clearLog(): void {
    this.requests.length = 0;
  }

  unsealCalls(pod: string): number {
    return this.requests.filter((r) => r.pod === pod && r.path === "/v1/sys/unseal").length;
  }

  private init(pod: FakePod, shares: number, threshold: number) {
    this.keys = Array.from({ length: shares }, () => crypto.randomBytes(32).toString("base64"));
    this.rootToken = `hvs.${crypto.randomBytes(18).toString("base64url")}`;
    this.threshold = threshold;
    pod.initialized = true;
    pod.sealed = true;
    return { keys: this.keys.map((k) => Buffer.from(k, "base64").toString("hex")), keys_base64: this.keys, root_token: this.rootToken };
  }

  private sealStatus(pod: FakePod) {
    return { type: "shamir", initialized: pod.initialized, sealed: pod.sealed, t: pod.initialized ? this.threshold : 0, n: pod.initialized ? this.keys.length : 0, progress: pod.provided.size, version: "1.20.0", storage_type: "raft" };
  }

  private vault(pod: FakePod, method: string, path: string, body: Record<string, unknown>): [number, unknown] {
    if (method === "GET" && path === "/v1/sys/seal-status") return [200, this.sealStatus(pod)];
    if (method === "PUT" && path === "/v1/sys/init") {
      if ([...this.pods.values()].some((p) => p.initialized)) return [400, { errors: ["Vault is already initialized"] }];
      return [200, this.init(pod, Number(body["secret_shares"]), Number(body["secret_threshold"]))];
    }
    if (method === "PUT" && path === "/v1/sys/unseal") {
      if (body["reset"] === true) {
        // OpenBao/Vault http/sys_seal.go, handleSysUnseal: a reset to an unsealed core is refused.
        if (!pod.sealed) return [400, { errors: ["vault is unsealed"] }];
        pod.provided.clear();
        return [200, this.sealStatus(pod)];
      }
      if (!pod.initialized) return [400, { errors: ["Vault is not initialized"] }];
      const key = typeof body["key"] === "string" ? body["key"] : "";
      const asBase64 = /^[0-9a-f]{64}$/.test(key) ? Buffer.from(key, "hex").toString("base64") : key;
      if (!this.keys.includes(asBase64)) return [400, { errors: ["invalid key: cipher: message authentication failed"] }];
      if (!pod.sealed) return [200, this.sealStatus(pod)];
      const leader = this.pod(this.options.pods[0]!);
      if (pod !== leader && leader.sealed) return [500, { errors: ["error unsealing: no raft leader to fetch the keyring from"] }];
      pod.provided.add(asBase64);
      if (pod.provided.size >= this.threshold) {
        pod.sealed = false;
        pod.provided.clear();
      }
      return [200, this.sealStatus(pod)];
    }
    if (method === "POST" && path === "/v1/sys/storage/raft/join") {
      if (pod.initialized) return [400, { errors: ["raft storage is already initialized"] }];
      const leader = this.pod(this.options.pods[0]!);
      if (body["leader_api_addr"] !== this.leaderAddress || !leader.initialized) return [500, { errors: ["failed to join raft cluster"] }];
      pod.initialized = true;
      pod.sealed = true;
      return [200, { joined: true }];
    }
    return [404, { errors: [] }];
  }

  private handle(req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse, raw: string): void {
    const socket = req.socket as TLSSocket;
    const certOk = socket.authorized === true;
    const tokenOk = this.options.token !== undefined && req.headers.authorization === `Bearer ${this.options.token}`;
    if (!certOk && !tokenOk) return send(res, 401, kubeStatus(401, "Unauthorized"));
    const match = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/proxy(\/.*)$/.exec(req.url ?? "");
    if (!match) return send(res, 404, kubeStatus(404, "the server could not find the requested resource"));
    const [, ns, target, path] = match as unknown as [string, string, string, string];
    const [scheme, name, port] = decodeURIComponent(target).split(":");
    const pod = this.pods.get(name ?? "");
    const log = (status: number) => this.requests.push({ method: req.method ?? "", pod: name ?? "", path: path.split("?")[0]!, status });
    if (ns !== this.options.namespace || !pod) {
      log(404);
      return send(res, 404, kubeStatus(404, `pods "${name}" not found`));
    }
    const verb = VERBS[req.method ?? "GET"] ?? "";
    if (this.forbiddenVerbs.has(verb)) {
      log(403);
      return send(res, 403, kubeStatus(403, `pods "${name}" is forbidden: User "cto-test" cannot ${verb} resource "pods/proxy" in API group "" in the namespace "${ns}"`));
    }
    if (!pod.running || scheme !== "http" || Number(port) !== (this.options.port ?? 8200)) {
      log(503);
      return send(res, 503, kubeStatus(503, `error trying to reach service: dial tcp 10.244.0.9:${port}: connect: connection refused`));
    }
    let body: Record<string, unknown> = {};
    try {
      body = raw === "" ? {} : (JSON.parse(raw) as Record<string, unknown>);
    } catch {
      log(400);
      return send(res, 400, { errors: ["failed to parse JSON input"] });
    }
    this.beforeVault?.(pod, req.method ?? "GET", path.split("?")[0]!);
    const [status, answer] = this.vault(pod, req.method ?? "GET", path.split("?")[0]!, body);
    log(status);
    const delay = this.answerDelays.get(path.split("?")[0]!) ?? 0;
    if (delay > 0) setTimeout(() => res.destroyed || send(res, status, answer), delay);
    else send(res, status, answer);
  }

  async start(pki: TestPki): Promise<this> {
    this.server = https.createServer(
      { key: pki.serverKey, cert: pki.serverCert, ca: pki.ca, requestCert: true, rejectUnauthorized: this.options.token === undefined },
      (req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => this.handle(req, res, Buffer.concat(chunks).toString("utf8")));
      },
    );
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.url = `https://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }
}
