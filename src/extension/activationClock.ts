/**
 * Imported first by extension.ts, so this runs before the rest of the bundle is evaluated: the
 * activation time reported in the output includes loading the extension's code, not just activate().
 */
export const bundleLoadStarted = performance.now();
