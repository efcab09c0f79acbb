// Errors that say what to change are reported as one block, fast, with no stack trace.
//
// Why fast: the Pulumi SDK reports an uncaught error with util.inspect (cmd/run/run.js,
// defaultErrorMessage), and reading `stack` makes V8 format the trace through ts-node's
// source-map support, which parses the source map of every frame's file, the SDK's own
// included. Measured on the trial stack against the emulator (2 cores, bench/README.md): a
// refused plan took 36.5 s against 9.4 s for a good preview; the same error with its stack
// preset took 3.8 s. A RunError is printed by its message alone ("error: ..."), without the
// "unhandled exception" line and the object dump; its stack is preset too, because the SDK
// still inspects it once for its tracing span.

/** Error classes whose message names the key or resource to change; a bug keeps its stack. */
const USER_FACING = new Set(["ConfigError", "CatalogueError", "CredentialsError", "LatitudeApiError", "LatitudeTransportError", "GitHubTokenError"]);

export function isUserFacing(error: unknown): error is Error {
  return error instanceof Error && USER_FACING.has(error.name);
}

/**
 * What the program throws for `error`: a user-facing one becomes `makeRunError(message)` with its
 * stack preset to the message (so nothing formats a trace); anything else is thrown as it is.
 */
export function reportedError(error: unknown, makeRunError: (message: string) => Error): unknown {
  if (!isUserFacing(error)) return error;
  const reported = makeRunError(error.message);
  reported.stack = error.message;
  return reported;
}
