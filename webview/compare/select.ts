import { h } from "./dom";

export interface SelectOption {
  value: string;
  label: string;
}

/**
 * Sets a vscode-single-select's options and value, rebuilding the options only when they changed
 * (rebuilding on every render would close an open dropdown and lose the keyboard position).
 */
export function syncSelect(select: HTMLElement & { value: string }, options: readonly SelectOption[], value: string | null): void {
  const key = JSON.stringify(options);
  if (select.dataset.options !== key) {
    select.dataset.options = key;
    select.replaceChildren(...options.map((option) => h("vscode-option", { value: option.value }, option.label)));
  }
  if (value !== null && select.value !== value) select.value = value;
}

/** A labelled group for a toolbar: the label is tied to its control for screen readers. */
export function labelled(id: string, text: string, control: HTMLElement): HTMLElement {
  control.id = id;
  control.setAttribute("aria-label", text);
  return h("div", { class: "control" }, h("label", { for: id, class: "control-label" }, text), control);
}
