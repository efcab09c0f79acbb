// The dev stack's cluster: a kubeconfig file that already exists (kind, k3d, any). Which file, as
// kubectl picks it: the configured path, else the first entry of $KUBECONFIG, else ~/.kube/config.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export function resolveKubeconfigPath(configured: string | undefined, env: NodeJS.ProcessEnv = process.env, home: string = os.homedir()): string {
  const fromEnv = env["KUBECONFIG"]?.split(path.delimiter).find((entry) => entry.trim() !== "");
  const chosen = configured ?? fromEnv ?? path.join(home, ".kube", "config");
  return chosen.startsWith("~/") ? path.join(home, chosen.slice(2)) : chosen;
}

/** Reads the file or throws an error naming the config key; never echoes the file's contents. */
export function readKubeconfig(file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
    throw new Error(
      `cto-metal:kubeconfigPath: cannot read the kubeconfig ${file} (${code}); point cto-metal:kubeconfigPath (or $KUBECONFIG) at the existing cluster's kubeconfig`,
    );
  }
}
