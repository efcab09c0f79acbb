// Inputs and outputs of the Latitude Server dynamic resource. Inputs carry what a reviewer or a
// policy must see at preview (plan, site, billing, hourly price, the stack tag).

export type Billing = "hourly" | "monthly" | "yearly";
export type ServerRole = "controlplane" | "worker";

export interface ServerInputs {
  /** Bumped with the provider code, so the engine stores the new code in state. */
  providerVersion: string;
  projectId: string;
  nodeName: string;
  hostname: string;
  role: ServerRole;
  plan: string;
  site: string;
  billing: Billing;
  operatingSystem: string;
  /** iPXE script URL; create-only for iPXE servers (it only matters at first boot). */
  ipxeUrl?: string;
  /** Latitude SSH key ids; applied by Latitude only at deploy, never to iPXE servers. */
  sshKeyIds: string[];
  tagIds: string[];
  /** The stack's tag name, for policies and reviewers. */
  stackTag: string;
  /** The stack's identity (stackIdentityProvider.ts): only a server carrying it is ever adopted. */
  stackIdentity: string;
  /** Price per hour in USD at the time of planning. */
  hourlyPrice: number;
  /** Allow a reinstall of an OS server (OS or SSH key change). */
  allowReinstall: boolean;
  /** Named explicitly in config: this control plane may be replaced or reinstalled. */
  allowReplace: boolean;
  /** TCP port of the Talos API, the readiness signal of iPXE servers. */
  talosPort: number;
  deployTimeoutSeconds: number;
}

export interface ServerOutputs extends ServerInputs {
  serverId: string;
  primaryIpv4: string;
  primaryIpv6: string | null;
  status: string;
  /** MAC of the public NIC (Latitude role "external"), for the Talos network config. */
  publicMac: string | null;
  /** MAC of the private NIC (role "internal") that carries VLANs. */
  privateMac: string | null;
  /**
   * Set when the deploy failed or timed out, or a refresh saw a `failed_*` status: no update can
   * repair it, so the next diff replaces it (a control plane only with `allowReplace`). A refresh
   * clears it once the server is healthy again.
   */
  deployFailure: string | null;
  /**
   * False when the last create, reinstall or update ended before the server was seen ready (status
   * `on`, or the Talos API answering): the next update waits for it. Absent in state written
   * before this field: ready.
   */
  ready?: boolean;
}

/**
 * Inputs as state may hold them: a refresh that finds a failed deploy records it here too, since
 * check() sees only stored inputs (serverDecisions.ts refusedAfterRefresh).
 */
export type StoredServerInputs = ServerInputs & { deployFailure?: string | null };

export const IPXE = "ipxe";
