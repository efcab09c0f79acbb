// The benchmarks' command line: `--help` prints the usage, an unknown option or scenario prints
// the usage with the problem instead of a stack trace from node:util's parseArgs.
import { parseArgs, type ParseArgsConfig } from "node:util";

type Options = NonNullable<ParseArgsConfig["options"]>;

export interface BenchArgs {
  values: Record<string, string | undefined>;
  scenario: string | undefined;
}

/** The parsed arguments, or undefined after printing the usage (`--help`) or a usage error. */
export function benchArgs(usage: string, options: Options, argv: readonly string[] = process.argv.slice(2)): BenchArgs | undefined {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...argv], allowPositionals: true, options: { ...options, help: { type: "boolean", short: "h" } } });
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${usage}`);
    process.exitCode = 2;
    return undefined;
  }
  if (parsed.values.help === true) {
    console.log(usage);
    return undefined;
  }
  const values = Object.fromEntries(Object.entries(parsed.values).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
  return { values, scenario: parsed.positionals[0] };
}

/** Prints a usage error (exit code 2). */
export function usageError(message: string, usage: string): void {
  console.error(`${message}\n\n${usage}`);
  process.exitCode = 2;
}
