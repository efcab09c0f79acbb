// Server actions: reinstall, lock/unlock, power actions, rescue mode.
import { findOs, findPlan } from "./catalog";
import { ApiError, errorObject, invalid, locked, optString, optStringArray, attributesOf, single, unprocessable } from "./http";
import { param, route, type Ctx, type Route } from "./router";
import { checkOs, checkSshKeys, serverData, serverOr404 } from "./servers";
import type { ServerRec } from "./store";

const IN_PROGRESS = new Set(["starting_deploy", "deploying", "disk_erasing", "ready"]);

function refuseWhileProvisioning(server: ServerRec): void {
  // Exact condition inferred by the reference: any deploy still running.
  if (IN_PROGRESS.has(server.status)) {
    throw unprocessable("SERVER_BEING_PROVISIONED", "Server Being Provisioned", "The server is still being provisioned; try again when it has finished");
  }
}

function reinstall(ctx: Ctx): { status: number; body: unknown } {
  const store = ctx.store;
  const server = store.servers.get(param(ctx, 0));
  if (!server) throw new ApiError(404, [errorObject(404, "REINSTALL_SERVER_NOT_FOUND", "Not Found", "Server not found")]);
  if (server.locked) throw locked();
  if (server.status === "rescue_mode") {
    throw unprocessable("SERVER_IN_RESCUE_MODE", "Server In Rescue Mode", "Exit rescue mode before reinstalling the server");
  }
  refuseWhileProvisioning(server);
  // Every attribute is optional (§8.3), but the spec requires the body and its `data`.
  const attrs = attributesOf(ctx.body);
  const plan = findPlan(server.plan);
  if (!plan) throw new Error(`server ${server.id} has unknown plan`);
  const os = optString(attrs, "operating_system") ?? server.os;
  const ipxe = optString(attrs, "ipxe") ?? (os === server.os ? server.ipxe : undefined);
  checkOs(os, plan, ipxe);
  const hostname = optString(attrs, "hostname");
  if (hostname !== undefined && hostname.trim() === "") throw invalid("hostname", "must be filled");
  const sshKeys = optStringArray(attrs, "ssh_keys");
  if (sshKeys !== undefined) server.sshKeys = checkSshKeys(store, sshKeys);
  if (hostname !== undefined) server.hostname = hostname;
  server.os = os;
  if (os === "ipxe" && ipxe !== undefined) server.ipxe = ipxe;
  else delete server.ipxe;
  ctx.lifecycle.startReinstall(server);
  return { status: 201, body: {} };
}

function setLock(value: boolean) {
  return (ctx: Ctx) => {
    const server = serverOr404(ctx.store, param(ctx, 0));
    server.locked = value;
    return single(serverData(ctx.store, server, ctx.lifecycle.observe(server)));
  };
}

const ACTIONS: Record<string, { status: string; text: string }> = {
  power_on: { status: "on", text: "Powering on device" },
  power_off: { status: "off", text: "Powering off device" },
  reboot: { status: "on", text: "Rebooting device" },
};

async function powerAction(ctx: Ctx): Promise<{ status: number; body: unknown }> {
  const server = serverOr404(ctx.store, param(ctx, 0));
  const attrs = attributesOf(ctx.body);
  const name = optString(attrs, "action");
  const action = name !== undefined ? ACTIONS[name] : undefined;
  if (!action) throw invalid("action", "must be one of: power_on, power_off, reboot");
  refuseWhileProvisioning(server);
  // Latitude applies power actions to the API state immediately.
  await ctx.lifecycle.setStatus(server, action.status);
  const id = ctx.store.rng.id("act_");
  return { status: 201, body: { data: { id, type: "actions", attributes: { status: action.text } }, meta: {} } };
}

async function enterRescue(ctx: Ctx): Promise<{ status: number; body: unknown }> {
  const server = serverOr404(ctx.store, param(ctx, 0));
  refuseWhileProvisioning(server);
  // Presumed: only servers whose OS supports rescue (rescue_allowed) can enter it.
  if (!findOs(server.os)?.features.rescue) {
    throw unprocessable("RESCUE_MODE_NOT_ALLOWED", "Rescue Mode Not Allowed", `Rescue mode is not available for ${server.os} servers`);
  }
  await ctx.lifecycle.setStatus(server, "rescue_mode");
  return { status: 201, body: { meta: {} } };
}

async function exitRescue(ctx: Ctx): Promise<{ status: number; body: unknown }> {
  const server = serverOr404(ctx.store, param(ctx, 0));
  if (server.status !== "rescue_mode") {
    throw unprocessable("SERVER_NOT_IN_RESCUE_MODE", "Server Not In Rescue Mode", "The server is not in rescue mode");
  }
  await ctx.lifecycle.setStatus(server, "on");
  return { status: 200, body: { meta: {} } };
}

export const serverActionRoutes: Route[] = [
  route("POST", "/servers/:id/reinstall", reinstall),
  route("POST", "/servers/:id/lock", setLock(true)),
  route("POST", "/servers/:id/unlock", setLock(false)),
  route("POST", "/servers/:id/actions", powerAction),
  route("POST", "/servers/:id/rescue_mode", enterRescue),
  route("POST", "/servers/:id/exit_rescue_mode", exitRescue),
];
