import { sharedValues } from "../../src/shared/compare/differences";
import { fieldGroup, type FieldGroup, type FieldValue } from "../../src/shared/compare/fields";
import type { CompareData } from "./dataset";
import { countOf, h } from "./dom";
import { cellText, cellTitle, columnLabel } from "./table/columns";

const GROUP_TITLES: Record<FieldGroup, string> = {
  model: "Model",
  features: "Features",
  dataset: "Dataset",
  code: "Code",
  run: "Run",
  metric: "Metrics",
};

const GROUP_ORDER: FieldGroup[] = ["model", "features", "dataset", "code", "run", "metric"];

/** Grouped for reading: model and its parameters, features, dataset, code, run settings. */
export function commonByGroup(common: Readonly<Record<string, FieldValue>>): { group: FieldGroup; keys: string[] }[] {
  const keys = Object.keys(common).filter((key) => key !== "dirty" || !("githash" in common));
  return GROUP_ORDER.map((group) => ({ group, keys: keys.filter((key) => fieldGroup(key) === group) })).filter((entry) => entry.keys.length > 0);
}

/** "What every compared run shares", stated once rather than repeated in every row. */
export class CommonalitiesView {
  readonly element = h("vscode-collapsible", { class: "commonalities", heading: "In common", open: true });

  update(data: CompareData): void {
    const common = sharedValues(data.comparison);
    const groups = commonByGroup(common);
    const fieldCount = groups.reduce((sum, entry) => sum + entry.keys.length, 0);
    this.element.setAttribute("description", data.runs.length < 2 ? "compare two or more runs" : `${countOf(fieldCount, "field")} shared by all ${countOf(data.runs.length, "run")}`);
    if (!groups.length) {
      this.element.replaceChildren(h("p", { class: "empty-note" }, data.runs.length < 2 ? "Add runs to see what they share." : "The runs share nothing beyond being runs: every field differs somewhere."));
      return;
    }
    this.element.replaceChildren(h("div", { class: "common-groups" }, ...groups.map(({ group, keys }) => this.group(group, keys, common))));
  }

  private group(group: FieldGroup, keys: string[], common: Readonly<Record<string, FieldValue>>): HTMLElement {
    const items = keys.flatMap((key) => {
      const { label } = columnLabel(key);
      const text = cellText(key, common) || "—";
      const title = cellTitle(key, common);
      return [h("dt", { title: key }, label), h("dd", { title: title && title !== text ? title : undefined, class: key.endsWith("hash") ? "mono" : undefined }, text)];
    });
    return h("section", { class: "common-group", "aria-label": GROUP_TITLES[group] }, h("h3", {}, GROUP_TITLES[group]), h("dl", {}, ...items));
  }
}
