// One JSON request to a pod through the Kubernetes API server's per-pod proxy
// (/api/v1/namespaces/<ns>/pods/<scheme>:<pod>:<port>/proxy/<path>): the caller needs only the
// kubeconfig's credential, not a route to the pod. Serialized into dynamic providers: builtins are
// require()d inside the function.
import type { KubeAccess } from "./kubeAccess";

export interface PodProxyRequest {
  namespace: string;
  pod: string;
  port: number;
  /** The pod's own scheme: "http" for Vault with tls_disable. */
  scheme?: "http" | "https";
  method: "GET" | "PUT" | "POST";
  /** Path on the pod, starting with "/": "/v1/sys/seal-status". */
  path: string;
  body?: unknown;
  timeoutMs: number;
}

export interface PodProxyResponse {
  status: number;
  /** Parsed JSON, or undefined when the body is empty or not JSON. */
  json: unknown;
  /** The raw body, cut to 500 characters: for error messages about non-JSON answers. */
  text: string;
}

/** A failure to reach or talk to the API server itself (not an HTTP status from it). */
export class ApiServerUnreachableError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = "ApiServerUnreachableError";
  }
}

/**
 * Whether the API server could not be reached at all (down, torn down, no route, no DNS name),
 * as opposed to answering in a way that needs a person: a certificate it cannot prove, a status.
 * A reset is here too: a server going down resets, and so does one refusing the client certificate
 * (TLS 1.3 says so only after the handshake); the next real call names the cause either way.
 */
export function isConnectionFailure(error: unknown): boolean {
  const codes = ["ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "EHOSTDOWN", "EPIPE", "ETIMEDOUT"];
  return error instanceof ApiServerUnreachableError && codes.includes(error.code);
}

/**
 * The RBAC verb the API server checks for a request with this method: for pods/proxy a GET needs
 * "get", a POST "create", a PUT "update" (Kubernetes' "Determine the request verb", kubernetes.io
 * docs/reference/access-authn-authz/authorization; staging/src/k8s.io/apiserver/pkg/endpoints/
 * request/requestinfo.go, NewRequestInfo).
 */
export function rbacVerb(method: string): string {
  const verbs: Record<string, string> = { GET: "get", HEAD: "get", POST: "create", PUT: "update", PATCH: "patch", DELETE: "delete" };
  return verbs[method.toUpperCase()] ?? method.toLowerCase();
}

export function podProxyPath(req: Pick<PodProxyRequest, "namespace" | "pod" | "port" | "scheme" | "path">): string {
  const target = `${req.scheme ?? "http"}:${req.pod}:${req.port}`;
  return `/api/v1/namespaces/${encodeURIComponent(req.namespace)}/pods/${encodeURIComponent(target)}/proxy${req.path}`;
}

export function requestThroughPodProxy(access: KubeAccess, req: PodProxyRequest): Promise<PodProxyResponse> {
  const url = new URL(access.server);
  const plain = url.protocol === "http:";
  // Plain HTTP only for a local test server: a real API server is always TLS.
  if (plain && url.hostname !== "127.0.0.1") return Promise.reject(new Error(`API server ${access.server}: plain http is only allowed for 127.0.0.1`));
  const transport = (plain ? require("node:http") : require("node:https")) as typeof import("node:https");
  const body = req.body === undefined ? undefined : JSON.stringify(req.body);
  const headers: Record<string, string> = { Accept: "application/json" };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    headers["Content-Length"] = String(Buffer.byteLength(body));
  }
  if (access.token && !access.clientCertificate) headers["Authorization"] = `Bearer ${access.token}`;
  const basePath = url.pathname.replace(/\/+$/, "");
  const options: import("node:https").RequestOptions = {
    method: req.method,
    hostname: url.hostname.replace(/^\[|\]$/g, ""),
    port: url.port || (plain ? 80 : 443),
    path: basePath + podProxyPath(req),
    headers,
    timeout: req.timeoutMs,
    ...(!plain && {
      ...(access.caCertificate && { ca: access.caCertificate }),
      ...(access.clientCertificate && { cert: access.clientCertificate }),
      ...(access.clientKey && { key: access.clientKey }),
      rejectUnauthorized: access.insecureSkipTlsVerify !== true,
    }),
  };
  return new Promise<PodProxyResponse>((resolve, reject) => {
    let settled = false;
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      reject(error);
    };
    const request = transport.request(options, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("error", (error) => fail(new ApiServerUnreachableError(`API server ${access.server}: response broken (${error.message})`, "ERESPONSE")));
      response.on("end", () => {
        if (settled) return;
        settled = true;
        const text = Buffer.concat(chunks).toString("utf8");
        let json: unknown;
        try {
          json = text === "" ? undefined : JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: response.statusCode ?? 0, json, text: text.slice(0, 500) });
      });
    });
    // One deadline for the whole exchange, not only for idle sockets. The socket's idle timeout
    // ends the same way: callers (probePod) keep waiting on ETIMEDOUT and give up on anything else.
    const timedOut = () => {
      fail(new ApiServerUnreachableError(`API server ${access.server}: no answer within ${req.timeoutMs} ms`, "ETIMEDOUT"));
      request.destroy();
    };
    const timer = setTimeout(timedOut, req.timeoutMs);
    timer.unref?.();
    request.on("timeout", timedOut);
    request.on("error", (error: Error & { code?: string }) => {
      clearTimeout(timer);
      fail(new ApiServerUnreachableError(`API server ${access.server}: ${error.code ?? "error"} (${error.message})`, error.code ?? "EREQUEST"));
    });
    request.on("close", () => clearTimeout(timer));
    request.end(body);
  });
}
