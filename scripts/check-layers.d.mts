// Types for scripts/check-layers.mjs, for the test that drives it.
export type Edges = Map<string, Map<string, string[]>>;
export const LAYERS: string[];
export const FORBIDDEN: [from: string, to: string, why: string][];
export const KNOWN: Map<string, string>;
export function folderGraph(root: string): Edges;
export function cycles(edges: Edges): string[][];
export function violations(edges: Edges): { key: string; text: string }[];
export function describe(edges: Edges): string[];
