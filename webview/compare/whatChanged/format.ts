import type { ColumnShift, ComponentChange, ValueChange } from "../../../src/core/diff/types";

/** Short, readable text for the values the section shows. */
export function valueText(value: unknown): string {
  if (value === undefined) return "—";
  if (typeof value === "number") return numberText(value);
  return typeof value === "string" ? value : JSON.stringify(value);
}

export function numberText(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return "—";
  if (Number.isInteger(value)) return value.toLocaleString("en-US");
  return Math.abs(value) >= 1000 || Math.abs(value) < 0.001 ? value.toPrecision(4) : String(Number(value.toPrecision(4)));
}

export function pairText(pair: [unknown, unknown] | undefined): string {
  return pair ? `${valueText(pair[0])} → ${valueText(pair[1])}` : "";
}

export function lineCounts(added: number | null, removed: number | null): string {
  return added === null ? "binary" : `+${added} −${removed ?? 0}`;
}

const ROLE_LABEL: Record<ComponentChange["role"], string> = { model: "Model", featureGenerator: "Feature generator", dataAccessObject: "Data access object" };

export function componentText(change: ComponentChange): string {
  const label = ROLE_LABEL[change.role];
  switch (change.status) {
    case "replaced":
      return `${label}: ${change.a} → ${change.b}`;
    case "changed":
      return `${label} ${change.b}: source changed (${change.file ?? "?"})`;
    case "builtin":
      return `${label} ${change.b}: built into mlexp`;
    default:
      return `${label} ${change.b}: source unchanged`;
  }
}

export function shiftCells(shift: ColumnShift): string[] {
  return [shift.name, pairText(shift.mean), pairText(shift.std), pairText(shift.missing), pairText(shift.categories)];
}

export function changeCells(change: ValueChange): string[] {
  return [change.name, valueText(change.a), valueText(change.b)];
}
