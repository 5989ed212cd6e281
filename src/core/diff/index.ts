/** What changed between two runs: code, data, parameters and environment. Pure library code: no `vscode`. */
export { diffRuns, type RunDiffSources } from "./runDiff";
export { diffCode } from "./code/codeDiff";
export { diffStoredData, type DataDiffOptions } from "./data/dataDiff";
export { summariseDataset, recordedSummary } from "./data/summarise";
export { captureEnvironment, environmentOf } from "./environment";
export { diffEnvironment } from "./environmentDiff";
export { diffParameters } from "./parameters";
export { summarise } from "./sentence";
export * from "./types";
