// Test-time PKI made with the openssl CLI: a CA, a server certificate for 127.0.0.1 and a client
// certificate, so the fake API server runs real TLS and requires the client certificate.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export interface TestPki {
  dir: string;
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  /** A client certificate from another CA: the server must refuse it. */
  strangerCert: string;
  strangerKey: string;
}

function openssl(dir: string, args: string[]): void {
  execFileSync("openssl", args, { cwd: dir, stdio: "pipe", timeout: 30_000 });
}

function issue(dir: string, name: string, subject: string, caName: string, ext?: string): void {
  openssl(dir, ["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", subject]);
  const args = ["x509", "-req", "-in", `${name}.csr`, "-CA", `${caName}.crt`, "-CAkey", `${caName}.key`, "-CAcreateserial", "-days", "2", "-out", `${name}.crt`];
  if (ext) {
    fs.writeFileSync(path.join(dir, `${name}.ext`), ext);
    args.push("-extfile", `${name}.ext`);
  }
  openssl(dir, args);
}

function ca(dir: string, name: string): void {
  openssl(dir, ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", `${name}.key`, "-out", `${name}.crt`, "-days", "2", "-subj", `/CN=${name}`]);
}

export function makePki(): TestPki {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cto-vault-pki-"));
  ca(dir, "ca");
  ca(dir, "stranger-ca");
  issue(dir, "server", "/CN=kube-apiserver", "ca", "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
  issue(dir, "client", "/O=system:masters/CN=admin", "ca", "extendedKeyUsage=clientAuth\n");
  issue(dir, "stranger", "/CN=stranger", "stranger-ca", "extendedKeyUsage=clientAuth\n");
  const read = (file: string) => fs.readFileSync(path.join(dir, file), "utf8");
  return {
    dir,
    ca: read("ca.crt"),
    serverCert: read("server.crt"),
    serverKey: read("server.key"),
    clientCert: read("client.crt"),
    clientKey: read("client.key"),
    strangerCert: read("stranger.crt"),
    strangerKey: read("stranger.key"),
  };
}

export function removePki(pki: TestPki): void {
  fs.rmSync(pki.dir, { recursive: true, force: true });
}
