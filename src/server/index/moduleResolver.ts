import * as path from "node:path";

export type ModuleTarget = { readonly kind: "file"; readonly path: string } | { readonly kind: "mlexp" } | { readonly kind: "external" };

const EXTENSIONS = [".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs"];

/** TypeScript's ESM style imports `./a.js` meaning `./a.ts`. */
const TS_FOR_JS: Readonly<Record<string, readonly string[]>> = {
  ".js": [".ts", ".tsx"],
  ".jsx": [".tsx"],
  ".mjs": [".mts"],
  ".cjs": [".cts"],
};

/**
 * Where an import specifier leads: a workspace file (looked up among the indexed files, so ignored
 * files stay out), mlexp itself, or another package. Path aliases from tsconfig are not followed.
 */
export function resolveModule(from: string, specifier: string, exists: (file: string) => boolean): ModuleTarget {
  if (specifier === "mlexp" || specifier.startsWith("mlexp/")) return { kind: "mlexp" };
  if (!specifier.startsWith(".") && !path.isAbsolute(specifier)) return { kind: "external" };
  const base = path.resolve(path.dirname(from), specifier);
  const found = candidates(base).find(exists);
  return found ? { kind: "file", path: found } : { kind: "external" };
}

function candidates(base: string): string[] {
  const extension = path.extname(base);
  const stem = base.slice(0, base.length - extension.length);
  const swapped = (TS_FOR_JS[extension] ?? []).map((ts) => stem + ts);
  const exact = EXTENSIONS.includes(extension) ? [base] : [];
  return [...swapped, ...exact, ...EXTENSIONS.map((e) => base + e), ...EXTENSIONS.map((e) => path.join(base, `index${e}`))];
}
