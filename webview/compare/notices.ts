import type { NoticeLevel } from "../../src/protocol/compare";
import { h } from "./dom";

const INFO_VISIBLE_MS = 10_000;

/** One line of feedback (an action's result, a run deleted elsewhere), announced to screen readers. */
export class Notices {
  readonly element = h("div", { class: "notice", role: "status", "aria-live": "polite", hidden: true });
  private timer: ReturnType<typeof setTimeout> | undefined;

  show(level: NoticeLevel, text: string): void {
    clearTimeout(this.timer);
    const dismiss = h("button", { class: "notice-dismiss", type: "button", title: "Dismiss", "aria-label": "Dismiss", onclick: () => this.clear() }, "×");
    this.element.className = `notice notice-${level}`;
    this.element.replaceChildren(h("span", { class: "notice-text" }, text), dismiss);
    this.element.hidden = false;
    // Errors and warnings stay until dismissed: they may say what to do next.
    if (level === "info") this.timer = setTimeout(() => this.clear(), INFO_VISIBLE_MS);
  }

  clear(): void {
    clearTimeout(this.timer);
    this.element.hidden = true;
    this.element.replaceChildren();
  }
}
