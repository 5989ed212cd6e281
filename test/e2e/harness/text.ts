// Text matching for the workbench helpers (workbench.ts): labels as users see them, made into patterns.

/** A string means the whole (whitespace-trimmed) text; a RegExp is used as given. */
export function toTextPattern(expected: string | RegExp): RegExp {
  return typeof expected === "string" ? exactText(expected) : expected;
}

export function exactText(text: string): RegExp {
  return new RegExp(`^\\s*${escapeRegExp(text)}\\s*$`);
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export function cssEscape(text: string): string {
  return text.replace(/["\\]/g, "\\$&");
}
