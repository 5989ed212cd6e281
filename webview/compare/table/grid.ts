import type { SortState } from "../../../src/protocol/compare";
import { h } from "../dom";
import { sortOf, type TableModel, type TableRow } from "../tableModel";
import { cellText, cellTitle, MONO_COLUMNS, RANK_COLUMN, type Column } from "./columns";
import { scrollToReveal, visibleRows } from "./virtualWindow";

export interface GridCallbacks {
  onSort(column: string): void;
  onSelect(runId: string): void;
  onRemove(runId: string): void;
}

/** Fixed row height: what makes virtualisation a matter of arithmetic. Matches --row-height in style.css. */
export const ROW_HEIGHT = 26;
const HEADER_HEIGHT = 40;
/** The rank and run columns stay in view when scrolling sideways. */
const STICKY_COLUMNS = 2;

/**
 * The runs table: a scroll container with a sticky header whose body holds only the rows in view
 * (plus a few), recycled as it scrolls — 10 or 10,000 runs cost the same to render. One tab stop;
 * the arrow keys, Page Up/Down, Home and End move through the runs, Enter selects one, Delete
 * removes it from the comparison; the row in focus is announced through aria-activedescendant.
 */
export class VirtualGrid {
  readonly element: HTMLDivElement;
  private readonly header: HTMLDivElement;
  private readonly body: HTMLDivElement;
  private readonly pool: HTMLDivElement[] = [];
  private model: TableModel | undefined;
  private sort: SortState = null;
  private selectedRunId: string | null = null;
  private activeRunId: string | null = null;
  private columnsKey = "";
  private frame = 0;

  constructor(private readonly callbacks: GridCallbacks) {
    this.header = h("div", { class: "grid-row grid-header", role: "row", "aria-rowindex": 1 });
    this.body = h("div", { class: "grid-body", role: "rowgroup" });
    this.element = h("div", { class: "grid", role: "grid", tabindex: 0, "aria-label": "Compared runs", "aria-readonly": "true" }, this.header, this.body);
    this.element.addEventListener("scroll", () => this.scheduleRows());
    this.element.addEventListener("keydown", (event) => this.onKey(event));
    this.body.addEventListener("click", (event) => this.onClick(event));
    new ResizeObserver(() => this.scheduleRows()).observe(this.element);
  }

  setModel(model: TableModel, sort: SortState, selectedRunId: string | null): void {
    this.model = model;
    this.sort = sort;
    this.selectedRunId = selectedRunId;
    if (this.activeRunId && !model.rows.some((row) => row.runId === this.activeRunId)) this.activeRunId = null;
    this.layoutColumns(model.columns);
    this.renderHeader(model.columns);
    this.body.style.height = `${model.rows.length * ROW_HEIGHT}px`;
    this.element.setAttribute("aria-rowcount", String(model.rows.length + 1));
    this.element.setAttribute("aria-colcount", String(model.columns.length));
    this.renderRows();
  }

  /** Column widths go into CSS variables (through the CSSOM, which the CSP allows) that every row's grid uses. */
  private layoutColumns(columns: readonly Column[]): void {
    const key = columns.map((column) => `${column.key}:${column.width}`).join("|");
    if (key === this.columnsKey) return;
    this.columnsKey = key;
    const style = this.element.style;
    style.setProperty("--grid-columns", columns.map((column) => `${column.width}px`).join(" "));
    style.setProperty("--grid-width", `${columns.reduce((sum, column) => sum + column.width, 0)}px`);
    style.setProperty("--sticky-left-1", `${columns[0]?.width ?? 0}px`);
    for (const row of this.pool) row.replaceChildren();
  }

  private renderHeader(columns: readonly Column[]): void {
    const cells = columns.map((column, i) => {
      const sorted = sortOf(this.sort, column.key);
      const arrow = sorted === "ascending" ? "▲" : sorted === "descending" ? "▼" : "";
      const button = h(
        "button",
        { class: "sort-button", type: "button", title: `Sort by ${column.key === RANK_COLUMN ? "rank" : column.key}`, onclick: () => this.callbacks.onSort(column.key) },
        column.kind ? h("span", { class: "column-kind" }, column.kind) : null,
        h("span", { class: "column-label" }, column.label, h("span", { class: "sort-arrow", "aria-hidden": "true" }, arrow)),
      );
      return h("div", { class: cellClass(column, i, ["header-cell"]), role: "columnheader", "aria-colindex": i + 1, "aria-sort": sorted }, button);
    });
    this.header.replaceChildren(...cells);
  }

  private scheduleRows(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.renderRows();
    });
  }

  private renderRows(): void {
    const model = this.model;
    if (!model) return;
    const { start, end } = visibleRows(this.element.scrollTop, this.element.clientHeight - HEADER_HEIGHT, ROW_HEIGHT, model.rows.length);
    while (this.pool.length < end - start) this.pool.push(this.body.appendChild(h("div", { class: "grid-row", role: "row", id: `grid-row-${this.pool.length}` })));
    this.pool.forEach((element, slot) => {
      const index = start + slot;
      element.hidden = index >= end;
      if (index < end) this.fillRow(element, model.rows[index], index, model);
    });
    const activeSlot = this.pool.findIndex((element) => !element.hidden && element.dataset.runId === this.activeRunId);
    if (activeSlot >= 0) this.element.setAttribute("aria-activedescendant", this.pool[activeSlot].id);
    else this.element.removeAttribute("aria-activedescendant");
  }

  private fillRow(element: HTMLDivElement, row: TableRow, index: number, model: TableModel): void {
    const columns = model.columns;
    element.dataset.runId = row.runId;
    element.dataset.index = String(index);
    element.style.transform = `translateY(${index * ROW_HEIGHT}px)`;
    element.setAttribute("aria-rowindex", String(index + 2));
    element.setAttribute("aria-selected", String(row.runId === this.selectedRunId));
    element.className = rowClass(row, this.selectedRunId, this.activeRunId, model.referenceRunId);
    while (element.childElementCount < columns.length) element.append(h("div", { role: "gridcell" }));
    while (element.childElementCount > columns.length) element.lastElementChild?.remove();
    columns.forEach((column, i) => {
      const cell = element.children[i] as HTMLElement;
      const text = cellText(column.key, row.fields, row.rank);
      const extra = [text === "" ? "missing" : "", row.differs.has(column.key) ? "differs" : "", column.key === `metrics.${model.metric}` ? "chosen-metric" : "", column.key === "status" ? "status" : ""];
      cell.className = cellClass(column, i, extra);
      cell.textContent = text;
      const title = column.key === RANK_COLUMN ? "" : cellTitle(column.key, row.fields);
      if (title && title !== text) cell.title = title;
      else cell.removeAttribute("title");
    });
  }

  private onClick(event: MouseEvent): void {
    const row = (event.target as Element).closest<HTMLElement>(".grid-row");
    const runId = row?.dataset.runId;
    if (!runId) return;
    this.activeRunId = runId;
    this.callbacks.onSelect(runId);
  }

  private onKey(event: KeyboardEvent): void {
    const model = this.model;
    if (!model?.rows.length || event.target !== this.element) return;
    const current = model.rows.findIndex((row) => row.runId === this.activeRunId);
    const page = Math.max(1, Math.floor((this.element.clientHeight - HEADER_HEIGHT) / ROW_HEIGHT) - 1);
    const moves: Record<string, number> = { ArrowDown: current + 1, ArrowUp: current - 1, PageDown: current + page, PageUp: current - page, Home: 0, End: model.rows.length - 1 };
    if (event.key in moves) {
      event.preventDefault();
      this.activate(Math.max(0, Math.min(model.rows.length - 1, current < 0 ? 0 : moves[event.key])));
    } else if ((event.key === "Enter" || event.key === " ") && current >= 0) {
      event.preventDefault();
      this.callbacks.onSelect(model.rows[current].runId);
    } else if (event.key === "Delete" && current >= 0) {
      event.preventDefault();
      this.callbacks.onRemove(model.rows[current].runId);
    }
  }

  private activate(index: number): void {
    const model = this.model as TableModel;
    this.activeRunId = model.rows[index].runId;
    const top = scrollToReveal(index, this.element.scrollTop, this.element.clientHeight, ROW_HEIGHT, HEADER_HEIGHT);
    if (top !== undefined) this.element.scrollTop = top;
    this.renderRows();
  }

  /** Scrolls the selected run into view (after a chart click selected it). */
  reveal(runId: string): void {
    const index = this.model?.rows.findIndex((row) => row.runId === runId) ?? -1;
    if (index < 0) return;
    const top = scrollToReveal(index, this.element.scrollTop, this.element.clientHeight, ROW_HEIGHT, HEADER_HEIGHT);
    if (top !== undefined) this.element.scrollTop = top;
  }
}

function cellClass(column: Column, index: number, extra: string[]): string {
  const classes = ["cell", ...extra];
  if (column.numeric) classes.push("numeric");
  if (index < STICKY_COLUMNS) classes.push(`sticky sticky-${index}`);
  if (MONO_COLUMNS.has(column.key)) classes.push("mono");
  return classes.filter(Boolean).join(" ");
}

function rowClass(row: TableRow, selected: string | null, active: string | null, reference: string | null): string {
  const classes = ["grid-row", `status-${String(row.fields.status ?? "unknown")}`];
  if (row.rank.best) classes.push("best");
  if (row.runId === selected) classes.push("selected");
  if (row.runId === active) classes.push("active");
  if (row.runId === reference) classes.push("reference");
  return classes.join(" ");
}
