import type { FromRunPage, RunPageState } from "../../src/protocol/runPage";

/** VS Code's webview API as the run page uses it, typed with the page's own messages and state. */
export interface RunPageApi {
  postMessage(message: FromRunPage): void;
  getState(): unknown;
  setState(state: RunPageState): void;
}

export function runPageApi(): RunPageApi {
  // acquireVsCodeApi is declared by the comparison panel's vscodeApi.ts (the same global).
  return acquireVsCodeApi() as unknown as RunPageApi;
}
