// Route table plumbing: a handler gets the parsed request and the instance state, returns a Reply.
import type { Lifecycle } from "./lifecycle";
import type { Query, Reply } from "./http";
import type { Store } from "./store";
import type { Knobs } from "./types";

export interface Ctx {
  method: string;
  /** Path parameters, in template order. */
  params: string[];
  query: Query;
  body: unknown;
  store: Store;
  lifecycle: Lifecycle;
  knobs: Knobs;
}

export type Handler = (ctx: Ctx) => Reply | Promise<Reply>;

export interface Route {
  method: string;
  pattern: RegExp;
  handler: Handler;
  /** POST /servers: the "lost response" fault applies to it. */
  createsServer?: boolean;
}

/** `/servers/:id/lock` → a route matching one path segment per `:name`. */
export function route(method: string, template: string, handler: Handler, createsServer = false): Route {
  const source = template.replace(/:[a-z_]+/g, "([^/]+)");
  return { method, pattern: new RegExp(`^${source}/?$`), handler, createsServer };
}

export function match(routes: readonly Route[], method: string, path: string): { route: Route; params: string[] } | undefined {
  for (const r of routes) {
    if (r.method !== method) continue;
    const m = r.pattern.exec(path);
    if (m) return { route: r, params: m.slice(1).map((p) => decodeURIComponent(p)) };
  }
  return undefined;
}

export function param(ctx: Ctx, index: number): string {
  return ctx.params[index] ?? "";
}
