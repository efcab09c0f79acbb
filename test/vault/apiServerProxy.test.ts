// requestThroughPodProxy over real TLS: the kubeconfig's CA and client certificate, a bearer token,
// a CA that does not match, a refused client certificate, and the deadline.
import * as https from "node:https";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ApiServerUnreachableError, isConnectionFailure, podProxyPath, rbacVerb, requestThroughPodProxy } from "../../providers/kubernetes/apiServerProxy";
import { probePod } from "../../providers/vault/vaultApi";
import { FakeVault } from "./fakeVault";
import { makePki, removePki, type TestPki } from "./tls";

let pki: TestPki;
let certOnly: FakeVault;
let withToken: FakeVault;
const req = { namespace: "vault", pod: "vault-0", port: 8200, method: "GET" as const, path: "/v1/sys/seal-status", timeoutMs: 5_000 };

beforeAll(async () => {
  pki = makePki();
  certOnly = await new FakeVault({ namespace: "vault", pods: ["vault-0"] }).start(pki);
  withToken = await new FakeVault({ namespace: "vault", pods: ["vault-0"], token: "bearer-123" }).start(pki);
});
afterAll(async () => {
  await certOnly.close();
  await withToken.close();
  removePki(pki);
});

describe("requestThroughPodProxy", () => {
  it("builds the per-pod proxy path", () => {
    expect(podProxyPath({ namespace: "vault", pod: "vault-1", port: 8200, path: "/v1/sys/unseal" })).toBe("/api/v1/namespaces/vault/pods/http%3Avault-1%3A8200/proxy/v1/sys/unseal");
    expect(podProxyPath({ namespace: "v", pod: "p", port: 1, scheme: "https", path: "/x" })).toBe("/api/v1/namespaces/v/pods/https%3Ap%3A1/proxy/x");
  });

  it("names the RBAC verb the API server checks for each method (requestinfo.go)", () => {
    expect(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"].map(rbacVerb)).toEqual(["get", "get", "create", "update", "patch", "delete"]);
  });

  it("talks TLS with the kubeconfig's CA and client certificate, and parses JSON", async () => {
    const response = await requestThroughPodProxy({ server: certOnly.url, caCertificate: pki.ca, clientCertificate: pki.clientCert, clientKey: pki.clientKey }, req);
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ initialized: false, sealed: true });
  });

  it("sends a JSON body", async () => {
    const response = await requestThroughPodProxy({ server: certOnly.url, caCertificate: pki.ca, clientCertificate: pki.clientCert, clientKey: pki.clientKey }, { ...req, method: "PUT", path: "/v1/sys/unseal", body: { key: "nope" } });
    expect(response).toMatchObject({ status: 400, json: { errors: ["Vault is not initialized"] } });
  });

  it("uses a bearer token when there is no client certificate", async () => {
    const ok = await requestThroughPodProxy({ server: withToken.url, caCertificate: pki.ca, token: "bearer-123" }, req);
    expect(ok.status).toBe(200);
    const refused = await requestThroughPodProxy({ server: withToken.url, caCertificate: pki.ca, token: "wrong" }, req);
    expect(refused).toMatchObject({ status: 401, json: { kind: "Status", code: 401 } });
  });

  it("refuses a server whose certificate the kubeconfig's CA did not sign", async () => {
    const error = await requestThroughPodProxy({ server: certOnly.url, caCertificate: pki.strangerCert, clientCertificate: pki.clientCert, clientKey: pki.clientKey }, req).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiServerUnreachableError);
    expect((error as Error).message).not.toContain("PRIVATE KEY");
  });

  it("is refused by a server that requires a client certificate it trusts", async () => {
    const error = await requestThroughPodProxy({ server: certOnly.url, caCertificate: pki.ca, clientCertificate: pki.strangerCert, clientKey: pki.strangerKey }, req).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiServerUnreachableError);
  });

  it("gives up at its deadline", async () => {
    const silent = https.createServer({ key: pki.serverKey, cert: pki.serverCert }, () => undefined);
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    try {
      const started = Date.now();
      const error = await requestThroughPodProxy({ server: `https://127.0.0.1:${(silent.address() as AddressInfo).port}`, caCertificate: pki.ca, token: "t" }, { ...req, timeoutMs: 300 }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "ETIMEDOUT" });
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });

  it("an idle-socket timeout is a timeout too (ETIMEDOUT), so probePod reports the pod and keeps waiting", async () => {
    const silent = https.createServer({ key: pki.serverKey, cert: pki.serverCert }, () => undefined);
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    // The module object the proxy require()s: make the socket's idle timeout fire before the deadline.
    const nodeHttps = createRequire(__filename)("node:https") as typeof https;
    const original = nodeHttps.request.bind(nodeHttps) as (...args: unknown[]) => import("node:http").ClientRequest;
    const spy = vi.spyOn(nodeHttps, "request").mockImplementation((...args: unknown[]) => {
      const request = original(...args);
      setTimeout(() => request.emit("timeout"), 50);
      return request;
    });
    try {
      const access = { server: `https://127.0.0.1:${(silent.address() as AddressInfo).port}`, caCertificate: pki.ca, token: "t" };
      const error = await requestThroughPodProxy(access, { ...req, timeoutMs: 5_000 }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "ETIMEDOUT" });
      const status = await probePod({ access, namespace: "vault", port: 8200 }, "vault-0", Date.now() + 5_000);
      expect(status).toMatchObject({ pod: "vault-0", reachable: false });
      expect(spy).toHaveBeenCalledTimes(2);
    } finally {
      spy.mockRestore();
      silent.closeAllConnections();
      silent.close();
    }
  });

  it("tells a server that is not there from one that answers badly", () => {
    expect(isConnectionFailure(new ApiServerUnreachableError("x", "ECONNREFUSED"))).toBe(true);
    expect(isConnectionFailure(new ApiServerUnreachableError("x", "ENOTFOUND"))).toBe(true);
    expect(isConnectionFailure(new ApiServerUnreachableError("x", "SELF_SIGNED_CERT_IN_CHAIN"))).toBe(false);
    expect(isConnectionFailure(new Error("ECONNREFUSED"))).toBe(false);
  });

  it("allows plain http only for 127.0.0.1", async () => {
    await expect(requestThroughPodProxy({ server: "http://10.0.0.1:6443", token: "t" }, req)).rejects.toThrow(/plain http is only allowed for 127.0.0.1/);
  });
});
