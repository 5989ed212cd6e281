/** Why training-like commands refuse in a restricted (untrusted) workspace, in one place. */
export const UNTRUSTED_MESSAGE =
  "mlexp does not train in a restricted workspace: training and reproducing run its code (mlexp.config.ts and the components it imports), and checking out a run runs git hooks. Trust the workspace to use them.";

export const MANAGE_TRUST_BUTTON = "Manage Workspace Trust";
