// Everything the program deploys is pinned here: one place to bump each.

/** Talos release booted over iPXE and installed. The talos plugin 0.8.1 renders configs with 1.13 machinery. */
export const TALOS_VERSION = "v1.13.0";

/** Image Factory schematic with no customisation (the content hash of an empty schematic). */
export const VANILLA_SCHEMATIC_ID = "376567988ad370138ad8b2698212367b8edcb69b5fd68c80be1f2ec7d603b4ba";
