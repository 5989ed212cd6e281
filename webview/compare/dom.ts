/** Attributes and properties for `h`: strings become attributes, `on*` functions listeners. */
export type Props = Record<string, string | number | boolean | null | undefined | EventListener>;

/**
 * Creates an element. Text is only ever set as text (never parsed as HTML), so run names, parameter
 * values and error messages cannot inject markup into the page.
 */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props?: Props, ...children: (Node | string | null | undefined)[]): HTMLElementTagNameMap[K];
export function h(tag: string, props?: Props, ...children: (Node | string | null | undefined)[]): HTMLElement;
export function h(tag: string, props: Props = {}, ...children: (Node | string | null | undefined)[]): HTMLElement {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (typeof value === "function") element.addEventListener(name.slice(2).toLowerCase(), value);
    else if (value === true) element.setAttribute(name, "");
    else if (value !== false && value !== null && value !== undefined) element.setAttribute(name, String(value));
  }
  for (const child of children) if (child !== null && child !== undefined) element.append(child);
  return element;
}

/** Replaces an element's children (text stays text). */
export function replaceChildren(element: Element, ...children: (Node | string)[]): void {
  element.replaceChildren(...children);
}

/** "1,000 runs" in the viewer's locale. */
export function countOf(count: number, noun: string): string {
  return `${count.toLocaleString()} ${noun}${count === 1 ? "" : "s"}`;
}
