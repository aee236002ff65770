/** The benchmark's one table: a row per figure, a column per board and output; as text and as markdown. */

export interface Table {
  columns: string[];
  /** Section title rows have no cells. */
  rows: Array<{ label: string; cells?: string[] }>;
}

export const kb = (bytes: number | undefined): string => (bytes === undefined ? "n/a" : `${(bytes / 1024).toFixed(1)} KB`);
export const bytes = (count: number): string => (count < 1024 ? `${count} B` : kb(count));
export const ratio = (a: number | undefined, b: number | undefined): string =>
  a === undefined || b === undefined || b === 0 ? "n/a" : `${(a / b).toFixed(2)}x`;
export const ms = (value: number): string => (value >= 100 ? `${Math.round(value)} ms` : `${value.toFixed(1)} ms`);

export function markdown(table: Table): string {
  const lines = [`| | ${table.columns.join(" | ")} |`, `| --- |${" --- |".repeat(table.columns.length)}`];
  for (const row of table.rows) {
    lines.push(row.cells ? `| ${row.label} | ${row.cells.join(" | ")} |` : `| **${row.label}** |${" |".repeat(table.columns.length)}`);
  }
  return lines.join("\n");
}

export function text(table: Table): string {
  const width = Math.max(...table.rows.map((row) => row.label.length));
  const widths = table.columns.map((column, i) => Math.max(column.length, ...table.rows.map((row) => row.cells?.[i]?.length ?? 0)));
  const line = (label: string, cells: string[]) => [label.padEnd(width), ...cells.map((cell, i) => cell.padStart(widths[i]!))].join("  ");
  const out = [line("", table.columns)];
  for (const row of table.rows) out.push(row.cells ? line(row.label, row.cells) : `-- ${row.label}`);
  return out.join("\n");
}
