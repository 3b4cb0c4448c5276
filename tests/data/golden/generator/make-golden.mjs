// Writes the input files of the golden import cases (tests/data/golden/README.md) from the
// cell descriptions next to this script (<case>.cells.json):
//   <out>/<case>.sheetjs.xlsx   SheetJS (npm "xlsx"), its default inline strings (t="str")
//   <out>/<case>.exceljs.xlsx   ExcelJS (npm "exceljs"), shared strings
//   <out>/<case>.csv            this script, with the case's delimiter, BOM and line ends
//   <fods>/<case>.fods          flat ODS for LibreOffice, which scripts/make-golden.sh converts
//                               to <case>.libreoffice.{xlsx,ods,xls}
// Usage: node make-golden.mjs <out> <fods-dir> [case...] (no case: every case). The npm packages are the ones pinned for the
// third-party fixtures (tests/data/third_party/generator/package.json), resolved from there.
import { createRequire } from "node:module";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, "../../third_party/generator/package.json"));
const XLSX = require("xlsx");
const ExcelJS = require("exceljs");

const [out, fodsDir, ...only] = process.argv.slice(2);
if (!out || !fodsDir) {
  console.error("usage: node make-golden.mjs <out> <fods-dir> [case...]");
  process.exit(2);
}

// A fixed date for every document property a writer stamps, so that regenerating an unchanged
// case gives (nearly) the same bytes.
const fixedDate = new Date(Date.UTC(2025, 0, 1));

function loadCase(name) {
  const spec = JSON.parse(readFileSync(join(here, `${name}.cells.json`), "utf8"));
  if (spec.same_cells_as) {
    const base = loadCase(spec.same_cells_as);
    return { ...base, about: spec.about };
  }
  return spec;
}

// --- SheetJS -----------------------------------------------------------------------------
function writeSheetJs(name, spec) {
  const workbook = XLSX.utils.book_new();
  for (const sheet of spec.sheets) {
    const rows = sheet.rows.map((row) => row.map((cell) => (cell === null ? undefined : cell)));
    XLSX.utils.book_append_sheet(workbook, XLSX.utils.aoa_to_sheet(rows), sheet.name);
  }
  workbook.Workbook = { Sheets: spec.sheets.map((sheet) => ({ Hidden: sheet.hidden ? 1 : 0 })) };
  workbook.Props = { CreatedDate: fixedDate, ModifiedDate: fixedDate };
  XLSX.writeFile(workbook, join(out, `${name}.sheetjs.xlsx`), { compression: true });
}

// --- ExcelJS -----------------------------------------------------------------------------
async function writeExcelJs(name, spec) {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "Roster golden files";
  workbook.created = fixedDate;
  workbook.modified = fixedDate;
  for (const sheet of spec.sheets) {
    const worksheet = workbook.addWorksheet(sheet.name, { state: sheet.hidden ? "hidden" : "visible" });
    sheet.rows.forEach((row, index) => {
      // Row by row number, so an empty row stays a gap rather than shifting the rest up.
      const target = worksheet.getRow(index + 1);
      row.forEach((cell, column) => {
        if (cell !== null) target.getCell(column + 1).value = cell;
      });
      target.commit();
    });
  }
  await workbook.xlsx.writeFile(join(out, `${name}.exceljs.xlsx`));
}

// --- CSV ---------------------------------------------------------------------------------
function writeCsv(name, spec) {
  const { delimiter, bom, eol } = spec.csv;
  const visible = spec.sheets.filter((sheet) => !sheet.hidden);
  if (visible.length !== 1) throw new Error(`${name}: a CSV variant needs exactly one sheet`);
  const rows = visible[0].rows;
  const width = Math.max(...rows.map((row) => row.length));
  const field = (cell) => {
    if (cell === null || cell === undefined) return "";
    const text = String(cell);
    const quote = text.includes(delimiter) || /["\r\n]/.test(text);
    return quote ? `"${text.replaceAll('"', '""')}"` : text;
  };
  // Every row as wide as the widest, the way spreadsheet programs export: an empty row is
  // a line of delimiters, not a blank line.
  const lines = rows.map((row) => Array.from({ length: width }, (_, i) => field(row[i])).join(delimiter));
  writeFileSync(join(out, `${name}.csv`), (bom ? "\uFEFF" : "") + lines.join(eol) + eol, "utf8");
}

// --- Flat ODS for LibreOffice ------------------------------------------------------------
function xmlEscape(text) {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");
}

// ODF collapses white space in text:p; leading, trailing and repeated spaces must be <text:s/>.
function odfText(text) {
  return text
    .split(/( +)/)
    .map((part, i, parts) => {
      if (!part.startsWith(" ")) return xmlEscape(part);
      const edge = i === 1 && parts[0] === "" || i === parts.length - 2 && parts[parts.length - 1] === "";
      if (part.length === 1 && !edge) return " ";
      return `<text:s text:c="${part.length}"/>`;
    })
    .join("");
}

function odfCell(cell) {
  if (cell === null || cell === undefined) return "<table:table-cell/>";
  if (typeof cell === "number") {
    return `<table:table-cell office:value-type="float" office:value="${cell}"><text:p>${cell}</text:p></table:table-cell>`;
  }
  return `<table:table-cell office:value-type="string"><text:p>${odfText(String(cell))}</text:p></table:table-cell>`;
}

function writeFods(name, spec) {
  const tables = spec.sheets.map((sheet) => {
    const rows = sheet.rows.length === 0
      ? ["<table:table-row><table:table-cell/></table:table-row>"]
      : sheet.rows.map((row) =>
          `<table:table-row>${row.length === 0 ? "<table:table-cell/>" : row.map(odfCell).join("")}</table:table-row>`);
    const style = sheet.hidden ? "ta_hidden" : "ta_visible";
    return `<table:table table:name="${xmlEscape(sheet.name)}" table:style-name="${style}">\n${rows.join("\n")}\n</table:table>`;
  });
  const document = `<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
    xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
    xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
    office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
<office:automatic-styles>
<style:style style:name="ta_visible" style:family="table"><style:table-properties table:display="true"/></style:style>
<style:style style:name="ta_hidden" style:family="table"><style:table-properties table:display="false"/></style:style>
</office:automatic-styles>
<office:body><office:spreadsheet>
${tables.join("\n")}
</office:spreadsheet></office:body>
</office:document>
`;
  writeFileSync(join(fodsDir, `${name}.fods`), document, "utf8");
}

const names = readdirSync(here)
  .filter((file) => file.endsWith(".cells.json"))
  .map((file) => file.slice(0, -".cells.json".length))
  .sort();
for (const name of only) {
  if (!names.includes(name)) throw new Error(`no case ${name} (cases: ${names.join(", ")})`);
}
for (const name of only.length > 0 ? only : names) {
  const spec = loadCase(name);
  writeSheetJs(name, spec);
  await writeExcelJs(name, spec);
  if (spec.csv) writeCsv(name, spec);
  writeFods(name, spec);
  console.log(`${name}: sheetjs, exceljs${spec.csv ? ", csv" : ""}, fods`);
}
