// A Node.js language host for the Pulumi engine, for machines where the official
// `pulumi-language-nodejs` cannot be built: the Go module proxy we reach refuses its module
// (it is untagged, and pseudo-versions are not served). It does what the official host does for
// preview/up/refresh/destroy — serve the LanguageRuntime gRPC API and run the program through the
// SDK's own `@pulumi/pulumi/cmd/run` — and leaves code generation, packing and dependency
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
interface HandshakeRequestMessage {
  getProgramDirectory(): string;
}
interface ResponseMessage {
  setError(error: string): void;
  setBail(bail: boolean): void;
  setVersion(version: string): void;
}
type Handler = (call: { request: never }, callback: Callback) => void;

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
