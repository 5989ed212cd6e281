export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !ArrayBuffer.isView(value);
}

/**
 * A value as JSON for a message, cut to `max` characters: a hostile 100 KB input is not echoed back
 * whole, and one nested too deeply for JSON.stringify (thousands of levels) is named, not a crash.
 */
export function previewJson(value: unknown, max = 80): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    if (error instanceof RangeError) return "(a value nested too deeply to show)";
    throw error;
  }
  if (text === undefined) return String(value);
  return text.length > max ? `${text.slice(0, max)}… (${text.length} characters)` : text;
}
