// One process-wide hook that sees every request the emulator answered and its answer, so a judge
// outside the emulator (the test suite's OpenAPI oracle) can check both. Nothing here depends on a
// test library: the offline trial runs the emulator too, with no observer set.

export interface Exchange {
  method: string;
  /** Path without the query string, as received. */
  path: string;
  query: Record<string, string>;
  requestHeaders: Record<string, string | string[] | undefined>;
  /** Parsed JSON; the raw text when it was not JSON; undefined when empty. */
  requestBody: unknown;
  /** The HTTP status the emulator produced (also for a create whose answer a fault then dropped). */
  status: number;
  /** Parsed JSON of the body as written on the wire; undefined when empty. */
  responseBody: unknown;
}

export type ExchangeObserver = (exchange: Exchange) => void;

/** A route an emulator serves, told to the observer when that emulator starts. */
export interface ServedRoute {
  method: string;
  pattern: RegExp;
}

/** Called as an emulator starts, before it listens: the time to do slow preparation. */
export type StartObserver = (routes: readonly ServedRoute[]) => void;

let observer: ExchangeObserver | undefined;
let onStart: StartObserver | undefined;

/**
 * Install (or with undefined, remove) the observer of every emulator in this process; returns a
 * function that puts the previous one back.
 */
export function setExchangeObserver(fn: ExchangeObserver | undefined, starting?: StartObserver): () => void {
  const previous = { observer, onStart };
  observer = fn;
  onStart = fn ? starting : undefined;
  return () => {
    observer = previous.observer;
    onStart = previous.onStart;
  };
}

/** Whether anyone listens (the emulator skips building exchanges otherwise). */
export function observed(): boolean {
  return observer !== undefined;
}

export function notifyStart(routes: readonly ServedRoute[]): string | undefined {
  if (!onStart) return undefined;
  try {
    onStart(routes);
    return undefined;
  } catch (err) {
    return `exchange observer failed to prepare: ${err instanceof Error ? err.message : String(err)}`;
  }
}

/** Never lets an observer's failure change what the emulator answers; returns it instead. */
export function notifyExchange(exchange: Exchange): string | undefined {
  if (!observer) return undefined;
  try {
    observer(exchange);
    return undefined;
  } catch (err) {
    return `exchange observer failed on ${exchange.method} ${exchange.path}: ${err instanceof Error ? err.message : String(err)}`;
  }
}
