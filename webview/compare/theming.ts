import { readChartTheme, type ChartTheme } from "./charts/theme";

export function currentChartTheme(): ChartTheme {
  const style = getComputedStyle(document.documentElement);
  return readChartTheme((name) => style.getPropertyValue(name), [...document.body.classList]);
}

/**
 * Calls `onChange` when VS Code changes the theme: it swaps the body's theme class and rewrites the
 * CSS variables on <html>. Coalesced to one call per frame (a theme change touches both).
 */
export function watchTheme(onChange: (theme: ChartTheme) => void): () => void {
  let frame = 0;
  const changed = () => {
    if (frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      onChange(currentChartTheme());
    });
  };
  const observer = new MutationObserver(changed);
  observer.observe(document.body, { attributes: true, attributeFilter: ["class"] });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ["style", "class"] });
  return () => observer.disconnect();
}
