import type { CodeDiff, DataDiff, EnvironmentDiff, ParametersDiff, ValueChange } from "../../../src/core/diff/types";
import { countOf, h } from "../dom";
import { changeCells, componentText, lineCounts, numberText, shiftCells } from "./format";

/** What a part's view can ask of the section: open a changed file, or the sample of changed rows. */
export interface PartActions {
  openFile(path: string): void;
  openRows(): void;
}

/** A small table of text cells (everything set as text, never as markup). */
export function table(headers: string[], rows: string[][], className: string): HTMLElement {
  return h(
    "table",
    { class: `diff-table ${className}` },
    h("thead", {}, h("tr", {}, ...headers.map((header) => h("th", { scope: "col" }, header)))),
    h("tbody", {}, ...rows.map((cells) => h("tr", {}, ...cells.map((cell) => h("td", {}, cell))))),
  );
}

function part(name: string, status: string, ...body: (Node | null)[]): HTMLElement {
  return h("section", { class: `diff-part diff-${name.toLowerCase()}`, "data-part": name.toLowerCase() }, h("h4", {}, name, h("span", { class: "diff-status" }, status)), ...body);
}

export function codePart(code: CodeDiff, actions: PartActions): HTMLElement {
  if (code.status === "unknown") return part("Code", "not compared", h("p", { class: "diff-note" }, code.reason));
  const components = code.components.filter((c) => c.status !== "builtin" || code.status === "changed");
  const componentList = components.length ? h("ul", { class: "diff-components" }, ...components.map((c) => h("li", { class: `component-${c.status}` }, componentText(c)))) : null;
  if (code.status === "identical") return part("Code", `identical (${code.commit.slice(0, 12)})`, componentList);
  const files = h(
    "ul",
    { class: "diff-files" },
    ...code.files.map((file) =>
      h(
        "li",
        {},
        h("button", { type: "button", class: "diff-file link-button", title: `Open ${file.path} in the diff editor`, "data-path": file.path, onclick: () => actions.openFile(file.path) }, file.oldPath ? `${file.oldPath} → ${file.path}` : file.path),
        h("span", { class: `file-status file-${file.status}` }, file.status),
        h("span", { class: "file-lines mono" }, lineCounts(file.added, file.removed)),
      ),
    ),
  );
  return part("Code", `${countOf(code.files.length, "file")}, ${lineCounts(code.added, code.removed)} (${code.commitA.slice(0, 8)} → ${code.commitB.slice(0, 8)})`, files, componentList);
}

export function dataPart(data: DataDiff, actions: PartActions): HTMLElement {
  if (data.status === "unknown") return part("Data", "not compared", h("p", { class: "diff-note" }, data.reason));
  if (data.status === "identical") return part("Data", `identical (${data.hash.slice(0, 12)}${data.rows === null ? "" : `, ${countOf(data.rows, "row")}`})`);
  const facts = [
    `${numberText(data.rowsA)} → ${numberText(data.rowsB)} rows: ${numberText(data.rowsAdded)} added, ${numberText(data.rowsRemoved)} removed, ${numberText(data.rowsChanged)} changed${data.approximate ? " (matched by content)" : ""}`,
    data.columnsAdded.length ? `Columns added: ${data.columnsAdded.join(", ")}` : "",
    data.columnsRemoved.length ? `Columns removed: ${data.columnsRemoved.join(", ")}` : "",
    ...data.columnsRetyped.map((c) => `Column ${c.name}: ${c.a} → ${c.b}`),
    data.targetA !== data.targetB ? `Target: ${data.targetA} → ${data.targetB}` : "",
    `Read ${data.chunks.readA} + ${data.chunks.readB} chunks; ${data.chunks.sharedChunks} shared chunks were not read`,
  ].filter(Boolean);
  const shifts = data.shifts.length ? shiftTable(data.shifts.map(shiftCells)) : null;
  const rows = data.sample.length
    ? h("vscode-button", { class: "open-rows", icon: "table", secondary: true, onclick: () => actions.openRows() }, `Open ${countOf(data.sample.length, "sample row")}`)
    : null;
  return part("Data", "changed", h("ul", { class: "diff-facts" }, ...facts.map((fact) => h("li", {}, fact))), shifts, rows);
}

/** Column, mean, std, missing, categories: only the figures some column has. */
function shiftTable(rows: string[][]): HTMLElement {
  const headers = ["Column", "Mean", "Std", "Missing", "Categories"];
  const kept = headers.map((_, c) => c === 0 || rows.some((row) => row[c] !== ""));
  const pick = (cells: string[]) => cells.filter((_, c) => kept[c]);
  return table(pick(headers), rows.map(pick), "diff-shifts");
}

export function parametersPart(parameters: ParametersDiff): HTMLElement {
  if (parameters.status === "identical") return part("Parameters", "identical");
  const groups: [string, ValueChange[]][] = [
    ["component", parameters.components],
    ["model (used)", parameters.model],
    ["model (given)", parameters.modelGiven],
    ["feature generator", parameters.featureGenerator],
    ["dataset", parameters.dataset],
    ["setting", parameters.settings],
  ];
  const rows = groups.flatMap(([group, changes]) => changes.map((change) => [group, ...changeCells(change)]));
  const trial = parameters.chosenTrial;
  if (trial) {
    const text = (t: typeof trial.a) => (t ? `trial ${t.trial + 1} of ${t.of} (${numberText(t.score)})` : "no search");
    rows.push(["search", "chosen trial", text(trial.a), text(trial.b)]);
  }
  return part("Parameters", countOf(rows.length, "difference"), table(["", "Name", "Base", "This run"], rows, "diff-values"));
}

export function environmentPart(environment: EnvironmentDiff): HTMLElement {
  const note = environment.partial ? h("p", { class: "diff-note" }, environment.partial) : null;
  if (environment.status === "identical") return part("Environment", "identical", note);
  const rows = [...environment.fields.map(changeCells), ...environment.dependencies.map(changeCells)];
  return part("Environment", countOf(rows.length, "difference"), table(["Name", "Base", "This run"], rows, "diff-values"), note);
}
