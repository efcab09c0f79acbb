// Errors from the Latitude API, parsed tolerantly: the recorded bodies vary (status may be
// "locked", code may be null or lower-case, newer endpoints use `message`), so the HTTP status
// line is the source of truth and the body only adds detail.

export interface ApiErrorItem {
  code?: string | null;
  title?: string;
  detail?: string;
  message?: string;
  pointer?: string;
  parameter?: string;
  retryAfterSeconds?: number;
}

export class LatitudeApiError extends Error {
  override readonly name = "LatitudeApiError";
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly items: ApiErrorItem[],
  ) {
    super(describeApiError(method, path, status, items));
    // Set again: Pulumi's closure serializer rebuilds this class as a function whose super call
    // (Error.call) leaves `message` unset, and the engine then reports "error: undefined".
    this.message = describeApiError(method, path, status, items);
  }
  get code(): string | undefined {
    return this.items[0]?.code ?? undefined;
  }
}

/** The request may or may not have been carried out (timeout or reset after sending a write). */
export class LatitudeUnknownOutcomeError extends Error {
  override readonly name = "LatitudeUnknownOutcomeError";
  constructor(
    readonly method: string,
    readonly path: string,
    cause: string,
  ) {
    super(`Latitude ${method} ${path}: no response (${cause}); the request may have been applied, so it is not retried`);
    this.message = `Latitude ${method} ${path}: no response (${cause}); the request may have been applied, so it is not retried`;
  }
}

/** The request never got an HTTP answer we could use, after every retry allowed. */
export class LatitudeTransportError extends Error {
  override readonly name = "LatitudeTransportError";
  constructor(
    readonly method: string,
    readonly path: string,
    cause: string,
  ) {
    super(`Latitude ${method} ${path}: ${cause}`);
    this.message = `Latitude ${method} ${path}: ${cause}`;
  }
}

// Errors are recognised by name, never with instanceof: every dynamic provider is serialized with
// its own copy of these classes, and the client (with the errors it throws) is shared between
// providers in one process (sharedState.ts), so an error may come from another copy's class.

/** A LatitudeApiError from any serialized copy of this module, optionally with this HTTP status. */
export function isLatitudeApiError(error: unknown, status?: number): error is LatitudeApiError {
  const candidate = error as { name?: unknown; status?: unknown } | null;
  return typeof candidate === "object" && candidate !== null && candidate.name === "LatitudeApiError" && (status === undefined || candidate.status === status);
}

/** A LatitudeUnknownOutcomeError from any serialized copy of this module. */
export function isUnknownOutcome(error: unknown): error is LatitudeUnknownOutcomeError {
  return typeof error === "object" && error !== null && (error as { name?: unknown }).name === "LatitudeUnknownOutcomeError";
}

function describeApiError(method: string, path: string, status: number, items: ApiErrorItem[]): string {
  const parts = items.map((item) => {
    const text = [item.title, item.detail ?? item.message].filter((t) => t && t !== "Error").join(": ");
    const where = item.pointer ?? (item.parameter ? `parameter ${item.parameter}` : undefined);
    return [item.code, text, where ? `(${where})` : undefined].filter(Boolean).join(" ");
  });
  const detail = parts.filter(Boolean).join("; ");
  return `Latitude ${method} ${path} answered ${status}${detail ? `: ${detail}` : ""}`;
}

function asString(value: unknown): string | undefined {
  return typeof value === "string" && value.length > 0 ? value : undefined;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** Parses any error body the reference records; never throws. Text bodies become one item. */
export function parseErrorBody(text: string): ApiErrorItem[] {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    const snippet = text.trim().slice(0, 200);
    return snippet ? [{ detail: snippet }] : [];
  }
  const root = asRecord(body);
  const errors = root?.["errors"];
  const list: unknown[] = Array.isArray(errors) ? errors : root ? [root] : [];
  return list.map((raw) => {
    const item = asRecord(raw) ?? {};
    const source = asRecord(item["source"]);
    const meta = asRecord(item["meta"]);
    const retryAfter = Number(meta?.["retry_after"]);
    const code = item["code"];
    return {
      code: typeof code === "string" ? code : null,
      title: asString(item["title"]),
      detail: asString(item["detail"]),
      message: asString(item["message"]),
      pointer: asString(source?.["pointer"]),
      parameter: asString(source?.["parameter"]),
      retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter : undefined,
    };
  });
}

/** Removes a credential from text that is about to be logged or thrown. */
export function redact(text: string, secret: string | undefined): string {
  if (!secret || secret.length < 4) return text;
  return text.split(secret).join("[redacted]");
}
