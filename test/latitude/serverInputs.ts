// One Server's inputs for provider tests against the emulator: a worker iPXE node on c2-small-x86
// in MIA2, with what each test file varies (project, hostname, stack, timing) given by the caller.
import type { ServerInputs } from "../../providers/latitude/serverTypes";

export const TEST_IPXE_URL = "https://pxe.factory.talos.dev/pxe/376567988ad370138ad8b2698212367b8edcb69b5fd68c80be1f2ec7d603b4ba/v1.11.5/metal-amd64";

type Varying = Pick<ServerInputs, "projectId" | "nodeName" | "hostname" | "stackTag" | "stackIdentity" | "talosPort" | "deployTimeoutSeconds">;

export function testServerInputs(varying: Varying & Partial<ServerInputs>): ServerInputs {
  return {
    providerVersion: "test",
    role: "worker",
    plan: "c2-small-x86",
    site: "MIA2",
    billing: "hourly",
    operatingSystem: "ipxe",
    ipxeUrl: TEST_IPXE_URL,
    sshKeyIds: [],
    tagIds: [],
    hourlyPrice: 0.5,
    allowReinstall: false,
    allowReplace: false,
    ...varying,
  };
}
