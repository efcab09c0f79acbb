// `npm run talos:render -- <stack file> [--out <dir>] [facts...]`: what the talos plugin will be
// asked to render for a stack, before `pulumi up`: the cluster inputs and each node's patches, as
// JSON (the format tools/talos-validate reads). Server facts that only exist once servers are
// bought come from flags, else from the stand-ins documented in docs/talos.md.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { ConfigError, parseConfig } from "../config/schema";
import { stackFileValues } from "../config/stackFile";
import { renderStack, type ServerFacts } from "../components/talos/stackRender";
import type { TalosRender } from "../components/talos/talosRender";
import { TALOS_VERSION, VANILLA_SCHEMATIC_ID } from "../versions";

const USAGE = `usage: npm run talos:render -- <Pulumi.<stack>.yaml> [--out <dir>]
  [--public-ip <node>=<IPv4>]... [--server-id <node>=<id>]... [--drives [<node>=]<TYPE,TYPE>]...
  [--interfaces absent|empty|specExample] [--internal-mac <node>=<MAC>]... [--vid <1-4094>] [--schematic-id <id>]`;

/** Latitude's answer shapes (emulator/interfaces.ts); only specExample lists an `internal` card. */
const INTERFACE_SHAPES = ["absent", "empty", "specExample"] as const;
type InterfaceShape = (typeof INTERFACE_SHAPES)[number];

export interface RenderOptions {
  readonly publicIps?: Readonly<Record<string, string>>;
  readonly serverIds?: Readonly<Record<string, string>>;
  /** Per node, or "*" for every node: drive types such as ["NVME", "NVME"]. */
  readonly drives?: Readonly<Record<string, readonly string[]>>;
  readonly interfaces?: InterfaceShape;
  readonly internalMacs?: Readonly<Record<string, string>>;
  readonly vid?: number;
  readonly schematicId?: string;
}

/** The stand-in MAC of a node's `internal` card under --interfaces specExample: Supermicro's OUI, then the node's index. */
export function standInMac(index: number): string {
  return `0c:c4:7a:00:01:${(index + 1).toString(16).padStart(2, "0")}`;
}

/** The render of a stack file, or a reason there is none (a stack without Talos). */
export function renderStackFile(stackFile: string, options: RenderOptions = {}): { render: TalosRender; notes: string[] } | { skipped: string } {
  const path = resolve(stackFile);
  const values = stackFileValues(readFileSync(join(dirname(path), "Pulumi.yaml"), "utf8"), path, readFileSync(path, "utf8"));
  const config = parseConfig(values.raw, { stack: values.stack, project: values.project, secrets: values.secrets });
  if (config.clusterSource !== "latitude") return { skipped: `stack ${values.stack} takes its cluster from a kubeconfig: the program renders no Talos config for it` };
  const notes: string[] = [];
  if (config.stopAfter === "servers") notes.push(`stack ${values.stack} stops after the servers (stopAfter: servers): pulumi up renders none of this yet`);
  let schematicId = options.schematicId ?? config.talos.schematicId ?? VANILLA_SCHEMATIC_ID;
  if (options.schematicId === undefined && config.talos.schematicId === undefined && config.talos.extensions.length > 0) {
    // The Image Factory names a schematic when it is created; only `pulumi up` learns the id.
    schematicId = "0".repeat(64);
    notes.push("the installer image carries a stand-in schematic id (the Image Factory assigns the real one at pulumi up); pass --schematic-id to use yours");
  }
  const shape = options.interfaces ?? "absent";
  const facts = (node: string, index: number): ServerFacts => ({
    publicIp: options.publicIps?.[node] ?? `203.0.113.${10 + index}`,
    serverId: options.serverIds?.[node] ?? `sv_${node}`,
    internalMac: options.internalMacs?.[node] ?? (shape === "specExample" ? standInMac(index) : null),
    driveTypes: options.drives?.[node] ?? options.drives?.["*"] ?? [],
  });
  const render = renderStack(config, { talosVersion: TALOS_VERSION, schematicId, vid: options.vid ?? 2000, facts });
  return { render, notes };
}

function pairs(list: readonly string[] | undefined, flag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of list ?? []) {
    const at = item.indexOf("=");
    if (at <= 0) throw new Error(`--${flag}: expected <node>=<value>, got ${JSON.stringify(item)}`);
    out[item.slice(0, at)] = item.slice(at + 1);
  }
  return out;
}

function optionsFrom(values: Record<string, string | string[] | boolean | undefined>): RenderOptions {
  const list = (name: string) => values[name] as string[] | undefined;
  const drives: Record<string, string[]> = {};
  for (const item of list("drives") ?? []) {
    const [node, types] = item.includes("=") ? (item.split("=", 2) as [string, string]) : ["*", item];
    drives[node] = types.split(",").map((type) => type.trim().toUpperCase());
  }
  const shape = values["interfaces"] as string | undefined;
  if (shape !== undefined && !INTERFACE_SHAPES.some((known) => known === shape)) {
    throw new Error(`--interfaces: expected one of ${INTERFACE_SHAPES.join(", ")}, got ${JSON.stringify(shape)}`);
  }
  const vid = values["vid"] === undefined ? undefined : Number(values["vid"]);
  if (vid !== undefined && !(Number.isInteger(vid) && vid >= 1 && vid <= 4094)) throw new Error(`--vid: expected a VLAN id from 1 to 4094, got ${JSON.stringify(values["vid"])}`);
  return {
    publicIps: pairs(list("public-ip"), "public-ip"),
    serverIds: pairs(list("server-id"), "server-id"),
    internalMacs: pairs(list("internal-mac"), "internal-mac"),
    drives,
    ...(shape !== undefined && { interfaces: shape as InterfaceShape }),
    ...(vid !== undefined && { vid }),
    ...(typeof values["schematic-id"] === "string" && { schematicId: values["schematic-id"] }),
  };
}

function main(argv: readonly string[]): number {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      out: { type: "string" },
      "public-ip": { type: "string", multiple: true },
      "server-id": { type: "string", multiple: true },
      drives: { type: "string", multiple: true },
      interfaces: { type: "string" },
      "internal-mac": { type: "string", multiple: true },
      vid: { type: "string" },
      "schematic-id": { type: "string" },
      help: { type: "boolean" },
    },
  });
  if (values.help || positionals.length !== 1) {
    console.error(USAGE);
    return values.help ? 0 : 2;
  }
  const result = renderStackFile(positionals[0]!, optionsFrom(values));
  if ("skipped" in result) {
    console.error(`talos:render: ${result.skipped}`);
    return 0;
  }
  for (const note of result.notes) console.error(`talos:render: note: ${note}`);
  const { render } = result;
  if (values.out === undefined) {
    process.stdout.write(`${JSON.stringify(render, null, 2)}\n`);
    return 0;
  }
  mkdirSync(values.out, { recursive: true });
  for (const node of render.nodes) {
    const file = join(values.out, `${node.name}.json`);
    writeFileSync(file, `${JSON.stringify({ ...render, nodes: [node] }, null, 2)}\n`);
    console.error(`talos:render: ${node.name} (${node.role}) → ${file}`);
  }
  return 0;
}

if (require.main === module) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (error) {
    // A config problem is the user's to fix: its text names the key; no stack trace.
    console.error(error instanceof ConfigError || error instanceof Error ? `talos:render: ${error.message}` : error);
    process.exitCode = 1;
  }
}
