// Tier 1: which kubeconfig the dev stack reads, and the error when it is missing.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { readKubeconfig, resolveKubeconfigPath } from "../components/cluster/kubeconfigFile";

describe("resolveKubeconfigPath", () => {
  it("prefers the config key, then $KUBECONFIG's first entry, then ~/.kube/config", () => {
    expect(resolveKubeconfigPath("/etc/kind.yaml", { KUBECONFIG: "/a:/b" }, "/home/u")).toBe("/etc/kind.yaml");
    expect(resolveKubeconfigPath(undefined, { KUBECONFIG: `${path.delimiter}/a${path.delimiter}/b` }, "/home/u")).toBe("/a");
    expect(resolveKubeconfigPath(undefined, {}, "/home/u")).toBe("/home/u/.kube/config");
    expect(resolveKubeconfigPath("~/kind/config", {}, "/home/u")).toBe("/home/u/kind/config");
  });
});

describe("readKubeconfig", () => {
  it("reads the file, and names the key when it cannot", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kubeconfig-"));
    const file = path.join(dir, "config");
    fs.writeFileSync(file, "apiVersion: v1\nkind: Config\n");
    expect(readKubeconfig(file)).toBe("apiVersion: v1\nkind: Config\n");
    expect(() => readKubeconfig(path.join(dir, "missing"))).toThrow(`cto-metal:kubeconfigPath: cannot read the kubeconfig ${path.join(dir, "missing")} (ENOENT)`);
  });
});
