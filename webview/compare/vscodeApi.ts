import type { ComparePanelState, FromWebview } from "../../src/protocol/compare";

/** The part of VS Code's webview API the panel uses, typed with the panel's own messages and state. */
export interface VsCodeApi {
  postMessage(message: FromWebview): void;
  getState(): unknown;
  setState(state: ComparePanelState): void;
}

declare global {
  /** Provided by VS Code inside webviews (and by a stand-in in the browser tests); callable once. */
  function acquireVsCodeApi(): VsCodeApi;
}

export function vscodeApi(): VsCodeApi {
  return acquireVsCodeApi();
}
