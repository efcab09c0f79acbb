// A Node.js language host for the Pulumi engine, for machines where the official
// `pulumi-language-nodejs` cannot be built: the Go module proxy we reach refuses its module
// (it is untagged, and pseudo-versions are not served). It does what the official host does for
// preview/up/refresh/destroy — serve the LanguageRuntime gRPC API and run the program through the
// SDK's own `@pulumi/pulumi/cmd/run` — and for policy packs (`RunPlugin`, through the SDK's
// `@pulumi/pulumi/cmd/run-policy-pack`), and leaves code generation, packing and dependency
// installation unimplemented. scripts/build-engine.sh compiles it into the engine cache and puts a
// `pulumi-language-nodejs` launcher next to the CLI.
//
// Everything it loads (grpc, the generated protos) comes from the program's own node_modules,
// as the official host loads `@pulumi/pulumi/cmd/run`.
import type * as Grpc from "@grpc/grpc-js";
import { spawn } from "node:child_process";

/** Exit code @pulumi/pulumi's runner uses after it already showed the user an actionable error. */
const EXIT_AFTER_USER_ACTIONABLE_MESSAGE = 32;
const HOST_VERSION = "3.259.0";

function fromProgram<T>(request: string, directory: string): T {
  return require(require.resolve(request, { paths: [directory, process.cwd()] })) as T;
}

type Callback = (error: Grpc.ServiceError | null, response?: unknown) => void;

// The parts of the generated messages this host reads and writes.
interface ProgramInfoMessage {
  getRootDirectory(): string;
  getProgramDirectory(): string;
  getEntryPoint(): string;
  getOptions(): { toJavaScript(): Record<string, unknown> } | undefined;
}
interface RunRequestMessage {
  getProject(): string;
  getStack(): string;
  getOrganization(): string;
  getPwd(): string;
  getProgram(): string;
  getArgsList(): string[];
  getConfigMap(): { toArray(): Array<[string, string]> };
  getConfigsecretkeysList(): string[];
  getDryrun(): boolean;
  getQuerymode(): boolean;
  getParallel(): number;
  getMonitorAddress(): string;
  getInfo(): ProgramInfoMessage | undefined;
}
interface RunPluginRequestMessage {
  getPwd(): string;
  getArgsList(): string[];
  getEnvList(): string[];
  getKind(): string;
  getName(): string;
  getInfo(): ProgramInfoMessage | undefined;
}
interface HandshakeRequestMessage {
  getProgramDirectory(): string;
}
interface ResponseMessage {
  setError(error: string): void;
  setBail(bail: boolean): void;
  setVersion(version: string): void;
}
interface PluginOutputMessage {
  setStdout(bytes: Uint8Array): void;
  setStderr(bytes: Uint8Array): void;
  setExitcode(code: number): void;
}
/** The server-streaming call grpc-js hands RunPlugin. */
interface PluginCall {
  request: RunPluginRequestMessage;
  write(message: unknown): boolean;
  end(): void;
  on(event: "cancelled", listener: () => void): unknown;
}
// `never`: each handler declares the call shape of its own RPC (unary or streaming).
type Handler = (call: never, callback: Callback) => void;

export interface RunArguments {
  nodeArgs: string[];
  env: Record<string, string>;
  cwd: string;
}

/** The command line and environment of `@pulumi/pulumi/cmd/run`, from a RunRequest (as plain values). */
export function runArguments(
  runPath: string,
  engineAddress: string | undefined,
  request: {
    project: string;
    stack: string;
    organization: string;
    pwd: string;
    program: string;
    args: string[];
    config: Array<[string, string]>;
    configSecretKeys: string[];
    dryRun: boolean;
    queryMode: boolean;
    parallel: number;
    monitorAddress: string;
    rootDirectory?: string;
    programDirectory?: string;
    entryPoint?: string;
    options?: Record<string, unknown>;
  },
): RunArguments {
  const args = [runPath];
  const add = (flag: string, value: string | undefined): void => {
    if (value) args.push(`--${flag}`, value);
  };
  add("monitor", request.monitorAddress);
  add("engine", engineAddress);
  add("organization", request.organization);
  add("project", request.project);
  add("stack", request.stack);
  const cwd = request.programDirectory || request.pwd || process.cwd();
  add("pwd", cwd);
  add("root-directory", request.rootDirectory);
  if (request.dryRun) args.push("--dry-run");
  add("query-mode", String(request.queryMode));
  add("parallel", String(request.parallel));
  args.push(request.entryPoint || request.program || ".", ...request.args);

  const options = request.options ?? {};
  const env: Record<string, string> = {
    PULUMI_CONFIG: JSON.stringify(Object.fromEntries(request.config)),
    PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(request.configSecretKeys),
    PULUMI_NODEJS_TYPESCRIPT: options["typescript"] === false ? "false" : "true",
  };
  if (typeof options["tsconfig"] === "string") env["PULUMI_NODEJS_TSCONFIG_PATH"] = options["tsconfig"];
  const nodeargs = typeof options["nodeargs"] === "string" ? options["nodeargs"].split(/\s+/).filter(Boolean) : [];
  return { nodeArgs: [...nodeargs, ...args], env, cwd };
}

/**
 * The command line, environment and directory of a plugin run through this host (RunPlugin), as
 * the official host builds them. A policy pack (kind "analyzer") runs the SDK's
 * `cmd/run-policy-pack` in the pack's directory with the engine's args (the analyzer's engine
 * address) and then the pack directory; other plugins run `cmd/run-plugin` in the engine's pwd with
 * the plugin directory first. run-policy-pack always registers ts-node (with the pack's
 * tsconfig.json from its cwd), so a TypeScript pack needs no build; the PULUMI_NODEJS_* variables
 * only matter to `cmd/run-plugin`.
 */
export function pluginArguments(
  resolve: (module: string) => string,
  request: { kind: string; pwd: string; args: string[]; env: string[]; programDirectory: string; options?: Record<string, unknown> },
  hostEnv: NodeJS.ProcessEnv = process.env,
): RunArguments {
  // The engine sends the complete environment (its own plus the plugin's), "K=V", later entries winning.
  const env: Record<string, string> = {};
  if (request.env.length === 0) Object.assign(env, hostEnv);
  for (const entry of request.env) {
    const at = entry.indexOf("=");
    if (at > 0) env[entry.slice(0, at)] = entry.slice(at + 1);
  }
  const options = request.options ?? {};
  if (options["typescript"] !== false) env["PULUMI_NODEJS_TYPESCRIPT"] = "true";
  if (typeof options["tsconfig"] === "string") env["PULUMI_NODEJS_TSCONFIG_PATH"] = options["tsconfig"];
  // Node options, before the script (the official host places them after it, as script arguments).
  const nodeargs = typeof options["nodeargs"] === "string" ? options["nodeargs"].split(/\s+/).filter(Boolean) : [];
  if (request.kind === "analyzer") {
    const runPath = resolve("@pulumi/pulumi/cmd/run-policy-pack");
    return { nodeArgs: [...nodeargs, runPath, ...request.args, request.programDirectory], env, cwd: request.programDirectory };
  }
  const runPath = resolve(hostEnv["PULUMI_LANGUAGE_NODEJS_RUN_PATH"] || "@pulumi/pulumi/cmd/run-plugin");
  return { nodeArgs: [...nodeargs, runPath, request.programDirectory, ...request.args], env, cwd: request.pwd || request.programDirectory };
}

function main(): void {
  const argv = process.argv.slice(2);
  const engineAddress = argv.filter((arg) => !arg.startsWith("-")).pop();
  let programDirectory = process.cwd();
  const grpc = fromProgram<typeof Grpc>("@grpc/grpc-js", programDirectory);
  const proto = fromProgram<Record<string, new () => ResponseMessage>>("@pulumi/pulumi/proto/language_pb", programDirectory);
  const pluginProto = fromProgram<Record<string, new () => ResponseMessage>>("@pulumi/pulumi/proto/plugin_pb", programDirectory);
  const services = fromProgram<{ LanguageRuntimeService: Grpc.ServiceDefinition }>("@pulumi/pulumi/proto/language_grpc_pb", programDirectory);
  const unimplemented = (name: string) => (_call: unknown, callback: Callback) =>
    callback({ code: grpc.status.UNIMPLEMENTED, details: `${name} is not implemented by this language host`, message: name, name, metadata: new grpc.Metadata() });
  const message = (type: string): ResponseMessage => new proto[type]!();
  const pluginOutput = (set: (response: PluginOutputMessage) => void): unknown => {
    const response = new proto["RunPluginResponse"]!() as unknown as PluginOutputMessage;
    set(response);
    return response;
  };
  // Plugin processes (policy packs) live as long as their RunPlugin call; none outlives this host.
  const plugins = new Set<ReturnType<typeof spawn>>();
  process.on("exit", () => plugins.forEach((child) => child.kill("SIGKILL")));
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => process.exit(1));

  const handlers: Record<string, Handler> = {
    handshake(call: { request: HandshakeRequestMessage }, callback) {
      programDirectory = call.request.getProgramDirectory() || programDirectory;
      callback(null, message("LanguageHandshakeResponse"));
    },
    // Plugins load on first use instead: the offline engine has no plugin downloads to plan.
    getRequiredPlugins(_call, callback) {
      callback(null, message("GetRequiredPluginsResponse"));
    },
    getRequiredPackages(_call, callback) {
      callback(null, message("GetRequiredPackagesResponse"));
    },
    getPluginInfo(_call, callback) {
      const info = new pluginProto["PluginInfo"]!();
      info.setVersion(HOST_VERSION);
      callback(null, info);
    },
    run(call: { request: RunRequestMessage }, callback) {
      const request = call.request;
      const info = request.getInfo();
      const directory = info?.getProgramDirectory() || request.getPwd() || programDirectory;
      const runPath = require.resolve("@pulumi/pulumi/cmd/run", { paths: [directory] });
      const { nodeArgs, env, cwd } = runArguments(runPath, engineAddress, {
        project: request.getProject(),
        stack: request.getStack(),
        organization: request.getOrganization(),
        pwd: request.getPwd(),
        program: request.getProgram(),
        args: request.getArgsList(),
        config: request.getConfigMap().toArray(),
        configSecretKeys: request.getConfigsecretkeysList(),
        dryRun: request.getDryrun(),
        queryMode: request.getQuerymode(),
        parallel: request.getParallel(),
        monitorAddress: request.getMonitorAddress(),
        rootDirectory: info?.getRootDirectory(),
        programDirectory: info?.getProgramDirectory(),
        entryPoint: info?.getEntryPoint(),
        options: info?.getOptions()?.toJavaScript(),
      });
      const child = spawn(process.execPath, nodeArgs, { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "inherit", "inherit"] });
      child.on("error", (error) => {
        const response = message("RunResponse");
        response.setError(`could not start the Node.js program: ${error.message}`);
        callback(null, response);
      });
      child.on("exit", (code, signal) => {
        const response = message("RunResponse");
        if (code === EXIT_AFTER_USER_ACTIONABLE_MESSAGE) response.setBail(true);
        else if (code !== 0) response.setError(signal ? `Program was killed by ${signal}` : `Program exited with non-zero exit code: ${code}`);
        callback(null, response);
      });
    },
    // Server-streaming: the plugin's stdout (its first line is the port the engine dials) and
    // stderr as they come, then its exit code once both pipes closed.
    runPlugin(call: PluginCall) {
      const request = call.request;
      const info = request.getInfo();
      const directory = info?.getProgramDirectory() || request.getPwd();
      let run: RunArguments;
      try {
        run = pluginArguments((module) => require.resolve(module, { paths: [directory] }), {
          kind: request.getKind(),
          pwd: request.getPwd(),
          args: request.getArgsList(),
          env: request.getEnvList(),
          programDirectory: directory,
          options: info?.getOptions()?.toJavaScript(),
        });
      } catch (error) {
        // The pack's dependencies are missing: say so on its stderr, as a plugin would.
        const text = `${request.getName() || directory}: ${(error as Error).message}; run npm ci where the plugin resolves @pulumi/pulumi\n`;
        call.write(pluginOutput((r) => r.setStderr(Buffer.from(text))));
        call.write(pluginOutput((r) => r.setExitcode(1)));
        call.end();
        return;
      }
      const child = spawn(process.execPath, run.nodeArgs, { cwd: run.cwd, env: run.env, stdio: ["ignore", "pipe", "pipe"] });
      plugins.add(child);
      let open = true;
      const send = (set: (response: PluginOutputMessage) => void): void => void (open && call.write(pluginOutput(set)));
      // The engine cancels the call to stop the plugin (and when it exits).
      call.on("cancelled", () => {
        open = false;
        child.kill("SIGTERM");
      });
      child.stdout.on("data", (chunk: Buffer) => send((r) => r.setStdout(chunk)));
      child.stderr.on("data", (chunk: Buffer) => send((r) => r.setStderr(chunk)));
      child.on("error", (error) => send((r) => r.setStderr(Buffer.from(`could not start the plugin: ${error.message}\n`))));
      child.on("close", (code) => {
        plugins.delete(child);
        send((r) => r.setExitcode(code ?? 1));
        if (open) call.end();
      });
    },
  };

  const server = new grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024 });
  const implementation: Record<string, unknown> = {};
  for (const name of Object.keys(services.LanguageRuntimeService)) implementation[name] = handlers[name] ?? unimplemented(name);
  server.addService(services.LanguageRuntimeService, implementation as Grpc.UntypedServiceImplementation);
  server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, port) => {
    if (error) {
      console.error(`language host: ${error.message}`);
      process.exit(1);
    }
    // The engine reads the port from the first line of stdout.
    process.stdout.write(`${port}\n`);
  });
}

if (require.main === module) main();
