/** Identifiers shared by package.json's `contributes` and the code; a test checks they match. */
export const COMMANDS = {
  trainModel: "mlexp.trainModel",
  trainThisModel: "mlexp.trainThisModel",
  trainThisModelWithParameters: "mlexp.trainThisModelWithParameters",
  reproduceRun: "mlexp.reproduceRun",
  compareRuns: "mlexp.compareRuns",
  compareWith: "mlexp.compareWith",
  openRunArtifacts: "mlexp.openRunArtifacts",
  checkoutRun: "mlexp.checkoutRun",
  openRunInWorktree: "mlexp.openRunInWorktree",
  deleteRun: "mlexp.deleteRun",
  copyRunId: "mlexp.copyRunId",
  refresh: "mlexp.refresh",
  showOutput: "mlexp.showOutput",
  createExample: "mlexp.createExample",
  cancelTraining: "mlexp.cancelTraining",
  chooseRunsMetric: "mlexp.chooseRunsMetric",
  groupRunsByModel: "mlexp.groupRunsByModel",
  ungroupRuns: "mlexp.ungroupRuns",
  goToComponentDefinition: "mlexp.goToComponentDefinition",
  showRunDetails: "mlexp.showRunDetails",
  setStorePassword: "mlexp.setStorePassword",
  startLocalWorkers: "mlexp.startLocalWorkers",
  stopLocalWorkers: "mlexp.stopLocalWorkers",
  showWorkersOutput: "mlexp.showWorkersOutput",
} as const;

export const VIEWS = {
  container: "mlexp",
  components: "mlexp.components",
  runs: "mlexp.runs",
} as const;

export const CONTEXT_KEYS = {
  /** True when the workspace has an mlexp.config.* (welcome content shows when it is false). */
  hasConfig: "mlexp.hasConfig",
  /** Set once the extension has looked, so the welcome view does not flash before it knows. */
  ready: "mlexp.ready",
  runsGroupedByModel: "mlexp.runsGroupedByModel",
} as const;

export const SETTINGS = {
  section: "mlexp",
  nodePath: "nodePath",
  maxConcurrentTrainings: "maxConcurrentTrainings",
  cancelTimeoutSeconds: "cancelTimeoutSeconds",
  pollIntervalSeconds: "runs.pollIntervalSeconds",
  store: "store",
  queue: "queue",
} as const;

/** workspaceState keys. */
export const STATE_KEYS = {
  lastTrainChoices: "mlexp.lastTrainChoices",
  groupRunsByModel: "mlexp.groupRunsByModel",
  runsMetric: "mlexp.runsMetric",
} as const;

export const OUTPUT_CHANNEL_NAME = "mlexp";
