// Composition root: read the validated configuration once, build the layers in order, export the
// stack outputs. No decisions live here; they live in config/ and next to each component.
import { loadConfig } from "./config";

const config = loadConfig();

export const clusterSource = config.clusterSource;
export const site = config.latitude?.site;
export const nodeHostnames = config.latitude?.nodes.map((node) => node.hostname);
