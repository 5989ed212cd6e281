import * as vscode from "vscode";
import type { ComponentDescription } from "../../core/workspace/describe";
import type { TrainRequestMessage } from "../../protocol/training";
import { STATE_KEYS } from "../constants";
import { checkParamsText, KIND_TITLES, TrainFlow, type FlowOptions, type FlowStep, type RememberedChoices, type TrainPreset } from "./trainFlow";

export interface AskedTraining {
  request: TrainRequestMessage;
  /** Remembers the parameters for next time: called once the training finished, so a bad value is never remembered. */
  rememberParams(): Thenable<void>;
}

/**
 * Asks for what TrainFlow still needs — model, feature generator, data access object, then (unless
 * the parameters come from the last run) the parameters of each as JSON — and returns the request,
 * or undefined when the user gave up. The chosen names are remembered in the workspace state at
 * once, the parameters only when `rememberParams` is called.
 */
export async function askTrainRequest(
  components: readonly ComponentDescription[],
  state: vscode.Memento,
  preset: TrainPreset,
  options: FlowOptions = {},
): Promise<AskedTraining | undefined> {
  const remembered = state.get<RememberedChoices>(STATE_KEYS.lastTrainChoices, {});
  const flow = new TrainFlow(components, remembered, preset, options);
  for (let step = flow.nextStep(); step; step = flow.nextStep()) {
    const answered = await ask(flow, step);
    if (!answered) return undefined;
  }
  const choices = flow.remember();
  await state.update(STATE_KEYS.lastTrainChoices, { ...choices, params: remembered.params ?? {} });
  return {
    request: flow.request(),
    rememberParams: () => state.update(STATE_KEYS.lastTrainChoices, { ...state.get<RememberedChoices>(STATE_KEYS.lastTrainChoices, {}), params: choices.params }),
  };
}

async function ask(flow: TrainFlow, step: FlowStep): Promise<boolean> {
  if (step.kind === "pick") {
    const items = flow.pickItems(step.componentKind);
    const picked = await vscode.window.showQuickPick(items, {
      title: `${flow.title()}: ${KIND_TITLES[step.componentKind]}`,
      placeHolder: `Choose a ${KIND_TITLES[step.componentKind].toLowerCase()}`,
      matchOnDescription: true,
      matchOnDetail: true,
      ignoreFocusOut: true,
    });
    if (!picked) return false;
    flow.choose(step.componentKind, picked.label);
    return true;
  }
  const text = await vscode.window.showInputBox({
    title: `${flow.title()}: ${step.component.name} parameters`,
    prompt: flow.paramsPrompt(step.component),
    value: flow.paramsPrefill(step.component),
    ignoreFocusOut: true,
    validateInput: (value) => {
      const check = checkParamsText(value, step.component);
      return check.ok ? undefined : check.problem;
    },
  });
  if (text === undefined) return false;
  const check = checkParamsText(text, step.component);
  if (!check.ok) return false;
  flow.setParams(step.componentKind, check.params);
  return true;
}
