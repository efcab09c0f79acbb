// The deploy key judged by OpenSSH itself: `ssh-keygen -y -f <key>` (Debian's openssh-client)
// must read the private key the SshKeyPair provider writes and derive exactly the public key the
// program registers on GitHub. Debian 12's OpenSSH 9.2 refuses PKCS#8 ed25519 keys ("invalid
// format"), so this also proves the format works for OpenSSH before 9.6.
import { spawnSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { GENERATORS_PROVIDER_VERSION } from "../../providers/generators";
import { sshKeyPairProvider, type SshKeyPairInputs, type SshKeyPairOutputs } from "../../providers/generators/sshKeyPairProvider";

/** The provider's create as the engine calls it: always present, always returning outs. */
const create = sshKeyPairProvider.create as (inputs: SshKeyPairInputs) => Promise<{ id: string; outs: SshKeyPairOutputs }>;

const sshKeygen = spawnSync("ssh-keygen", ["-?"], { encoding: "utf8" }).error === undefined;
if (!sshKeygen) {
  const message = "ssh-keygen (Debian package openssh-client) is not installed: the deploy key's OpenSSH check is SKIPPED";
  if (process.env.CTO_REQUIRE_SSH_KEYGEN === "1") throw new Error(message);
  console.warn(`\n*** ${message} ***\n`);
}

const dir = mkdtempSync(join(tmpdir(), "cto-deploy-key-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What `ssh-keygen -y` derives from a private key file (mode 0600, as ssh-keygen demands). */
function keygenPublicKey(privateKey: string, name: string): { ok: boolean; output: string } {
  const file = join(dir, name);
  writeFileSync(file, privateKey, { mode: 0o600 });
  const result = spawnSync("ssh-keygen", ["-y", "-f", file], { encoding: "utf8" });
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}`.trim() };
}

describe.skipIf(!sshKeygen)("the deploy key, read by OpenSSH's ssh-keygen", () => {
  it("derives the public key the program registers on GitHub, comment included", async () => {
    for (const comment of ["argocd@cto-metal", ""]) {
      const { outs } = await create({ providerVersion: GENERATORS_PROVIDER_VERSION, keyType: "ed25519", comment });
      const derived = keygenPublicKey(outs.privateKey, `key-${comment || "none"}`);
      expect(derived).toEqual({ ok: true, output: outs.publicKey });
    }
  });

  it("is a judge that can refuse: this OpenSSH reads no PKCS#8 ed25519 key, or a damaged one", async () => {
    const version = spawnSync("ssh", ["-V"], { encoding: "utf8" }).stderr; // "OpenSSH_9.2p1 Debian-2+deb12u6, ..."
    const { privateKey: pkcs8 } = generateKeyPairSync("ed25519", { privateKeyEncoding: { type: "pkcs8", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });
    const major = /OpenSSH_(\d+)\.(\d+)/.exec(version);
    const before96 = major !== null && Number(major[1]) * 100 + Number(major[2]) < 906;
    if (before96) expect(keygenPublicKey(pkcs8, "pkcs8").ok).toBe(false);
    const { outs } = await create({ providerVersion: GENERATORS_PROVIDER_VERSION, keyType: "ed25519", comment: "x" });
    const damaged = outs.privateKey.replace(/\n[A-Za-z0-9+/]{20}/, (line) => `\n${"A".repeat(line.length - 1)}`);
    expect(keygenPublicKey(damaged, "damaged").ok).toBe(false);
  });
});
