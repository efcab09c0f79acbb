// CLI: `npx tsx emulator/main.ts --port 8080 --deploy-seconds 2` (npm run emulator).
// Prints exactly "Latitude emulator listening on http://127.0.0.1:<port>" and runs until SIGINT/SIGTERM.
import { parseArgs } from "node:util";
import { startEmulator } from "./index";
import { REAL_RATE_LIMIT, type EmulatorOptions, type RateLimitConfig } from "./types";

const USAGE = `Usage: tsx emulator/main.ts [options]
  --port <p>              HTTP port on 127.0.0.1 (default 0 = any free port)
  --deploy-seconds <s>    simulated deploy time (default 1.5)
  --talos-port <p>        Talos API port opened on iPXE servers' addresses (default 50000)
  --api-key <key>         accepted API key (repeatable; default: any non-empty key)
  --rate-limit [r,w,ms]   enable rate limiting: bare flag = real limits (60 reads, 20 writes per 60000 ms)
  --retry-after           also send a Retry-After header on 429
  --ipxe-stays-deploying  iPXE servers keep reporting "deploying" once Talos is up
  --seed <n>              RNG seed for ids and random faults
  --read-error-rate <p>   probability of a random 502/503 on GET (default 0)`;

function number(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} expects a non-negative number, got "${value}"`);
  return n;
}

function rateLimit(value: string | undefined): RateLimitConfig | false {
  if (value === undefined) return false;
  if (value === "" || value === "true") return REAL_RATE_LIMIT;
  const [reads, writes, windowMs] = value.split(",").map(Number);
  if (reads === undefined || writes === undefined || windowMs === undefined || [reads, writes, windowMs].some((n) => !Number.isInteger(n) || n < 1)) {
    throw new Error(`--rate-limit expects "reads,writes,windowMs" (e.g. 60,20,60000), got "${value}"`);
  }
  return { reads, writes, windowMs };
}

async function main(): Promise<void> {
  // `--rate-limit` may be given bare; normalise to `--rate-limit=` so parseArgs sees a value.
  const argv = process.argv.slice(2).map((a, i, all) => (a === "--rate-limit" && (all[i + 1] ?? "--").startsWith("--") ? "--rate-limit=" : a));
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: "string" },
      "deploy-seconds": { type: "string" },
      "talos-port": { type: "string" },
      "api-key": { type: "string", multiple: true },
      "rate-limit": { type: "string" },
      "retry-after": { type: "boolean" },
      "ipxe-stays-deploying": { type: "boolean" },
      seed: { type: "string" },
      "read-error-rate": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const deploySeconds = number("deploy-seconds", values["deploy-seconds"]);
  const opts: EmulatorOptions = {
    port: number("port", values.port) ?? 0,
    talosPort: number("talos-port", values["talos-port"]) ?? 50000,
    rateLimit: rateLimit(values["rate-limit"]),
    knobs: {
      retryAfterHeader: values["retry-after"] ?? false,
      ipxeStaysDeploying: values["ipxe-stays-deploying"] ?? false,
      readErrorRate: number("read-error-rate", values["read-error-rate"]) ?? 0,
    },
    ...(deploySeconds !== undefined ? { deployMs: deploySeconds * 1000 } : {}),
    ...(values["api-key"] ? { apiKeys: values["api-key"] } : {}),
    ...(values.seed !== undefined ? { seed: number("seed", values.seed) ?? 0 } : {}),
  };
  const emulator = await startEmulator(opts);
  console.log(`Latitude emulator listening on ${emulator.url}`);
  const stop = (): void => {
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  console.error(USAGE);
  process.exit(2);
});
