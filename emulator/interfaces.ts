// The `interfaces` attribute of a server, in each shape Latitude is known to answer with
// (../shared/reference/latitude-api.md, "Network cards"; latitude-openapi.json, server_data):
// - "absent": no attribute at all, as in every recorded real answer (2024–2025);
// - "empty": `[]`, as in the spec's PATCH /servers/{id} example;
// - "specExample": the spec's GET/POST examples: an IPMI card, the PXE card (role `internal`) and a
//   link aggregate with role `unknown` and a null MAC.
// The schema's role `external` appears in no example and no recording, so no shape serves it.
import { createHash } from "node:crypto";

export const INTERFACE_SHAPES = ["absent", "empty", "specExample"] as const;
export type InterfaceShape = (typeof INTERFACE_SHAPES)[number];

/** Chosen when a server is created, per server or per plan; fixed for the server's life. */
export type InterfaceShapeChoice = InterfaceShape | ((server: { hostname: string; plan: string }) => InterfaceShape);

export function chooseInterfaceShape(choice: InterfaceShapeChoice, server: { hostname: string; plan: string }): InterfaceShape {
  return typeof choice === "function" ? choice(server) : choice;
}

/** A stable MAC per server and card (Supermicro's OUI, as on recorded c2-small servers), so repeated reads agree. */
export function emulatedMac(serverId: string, card: number): string {
  const h = createHash("sha256").update(`${serverId}/${card}`).digest("hex");
  return `0c:c4:7a:${h.slice(0, 2)}:${h.slice(2, 4)}:${h.slice(4, 6)}`;
}

/** The attribute to spread into a server's attributes: nothing for "absent". */
export function interfacesAttribute(shape: InterfaceShape, serverId: string): { interfaces?: Array<Record<string, string | null>> } {
  switch (shape) {
    case "absent":
      return {};
    case "empty":
      return { interfaces: [] };
    case "specExample":
      return {
        interfaces: [
          { role: "ipmi", name: "IPMI", mac_address: emulatedMac(serverId, 9), description: "IPMI Interface" },
          { role: "internal", name: "PXE", mac_address: emulatedMac(serverId, 1), description: "PXE Interface" },
          { role: "unknown", name: "PO1", mac_address: null, description: "LAG interface (no associated MAC record)" },
        ],
      };
  }
}
