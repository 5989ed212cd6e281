/** A run's field as tables, filters, charts and CSV see it (flattened by the library's `flattenRun`). */
export type FieldValue = string | number | boolean | null;
export type FieldGroup = "run" | "model" | "features" | "dataset" | "code" | "metric";
export interface FieldInfo {
    key: string;
    label: string;
    group: FieldGroup;
}
export declare function fieldGroup(key: string): FieldGroup;
/** Every field any of the runs has, in a stable, readable order. */
export declare function allFieldKeys(rows: readonly Record<string, FieldValue>[]): string[];
