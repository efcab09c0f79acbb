// The benchmarks' command line answers --help and a typo with the usage, not a stack trace.
import { afterEach, describe, expect, it, vi } from "vitest";
import { benchArgs } from "../bench/cli";

const USAGE = "Usage: bench <scenario> [--runs <n>]";
const OPTIONS = { runs: { type: "string" } } as const;

afterEach(() => {
  process.exitCode = undefined;
  vi.restoreAllMocks();
});

describe("bench command line", () => {
  it("prints the usage for --help and -h, and runs nothing", () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    expect(benchArgs(USAGE, OPTIONS, ["--help"])).toBeUndefined();
    expect(benchArgs(USAGE, OPTIONS, ["-h"])).toBeUndefined();
    expect(log.mock.calls).toEqual([[USAGE], [USAGE]]);
    expect(process.exitCode).toBeUndefined();
  });

  it("answers an unknown option with the problem and the usage, exit code 2", () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => undefined);
    expect(benchArgs(USAGE, OPTIONS, ["preview", "--rnus", "3"])).toBeUndefined();
    expect(String(error.mock.calls[0]?.[0])).toMatch(/Unknown option '--rnus'[\s\S]*Usage: bench/);
    expect(process.exitCode).toBe(2);
  });

  it("passes the scenario and the options through", () => {
    expect(benchArgs(USAGE, OPTIONS, ["preview", "--runs", "3"])).toEqual({ scenario: "preview", values: { runs: "3" } });
  });
});
