// Writes the SheetJS and ExcelJS fixtures of tests/data/third_party. Run by
// scripts/make-fixtures.sh (with TZ=UTC, so dates do not move with the machine's zone).
import ExcelJS from "exceljs";
import XLSX from "xlsx";

const out = process.argv[2] ?? "..";

const header = ["Email", "First name", "Last name", "Employee ID", "Start date", "Salary", "Active", "Full name"];

// SheetJS: shared strings (bookSST) in one file, its default inline form in the other.
function sheetJsWorkbook() {
  const staff = {
    "!ref": "A1:H5",
  };
  const put = (ref, cell) => { staff[ref] = cell; };
  header.forEach((text, i) => put(XLSX.utils.encode_cell({ r: 0, c: i }), { t: "s", v: text }));
  put("A2", { t: "s", v: "jürgen.müller@example.com" });
  put("B2", { t: "s", v: "Jürgen" });
  put("C2", { t: "s", v: "Müller" });
  put("D2", { t: "s", v: "00123" });
  put("E2", { t: "n", v: 45352, z: "yyyy-mm-dd" });  // 2024-03-01
  put("F2", { t: "n", v: 4250.5 });
  put("G2", { t: "b", v: true });
  put("H2", { t: "s", f: 'B2&" "&C2', v: "Jürgen Müller" });  // a formula with a string result
  // Row 3 left empty on purpose.
  put("A4", { t: "s", v: "élodie.durand@example.com" });
  put("B4", { t: "s", v: "Élodie" });
  put("D4", { t: "s", v: "00456" });
  put("E4", { t: "n", v: 45245.5, z: "yyyy-mm-dd hh:mm:ss" });  // 2023-11-15T12:00:00
  put("F4", { t: "n", v: -0.25 });
  put("G4", { t: "b", v: false });
  put("H4", { t: "n", f: "F2*2", v: 8501 });
  put("A5", { t: "s", v: "  spaces kept  " });
  const archive = XLSX.utils.aoa_to_sheet([["old@example.com"]]);
  const workbook = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(workbook, staff, "Staff");
  XLSX.utils.book_append_sheet(workbook, archive, "Archive");
  workbook.Workbook = { Sheets: [{ Hidden: 0 }, { Hidden: 1 }] };
  return workbook;
}

XLSX.writeFile(sheetJsWorkbook(), `${out}/sheetjs_shared_strings.xlsx`, { bookSST: true, compression: true });
XLSX.writeFile(sheetJsWorkbook(), `${out}/sheetjs_inline.xlsx`, { bookSST: false, compression: true });

// ExcelJS: Date objects with a number format, booleans, a formula with a cached string.
const workbook = new ExcelJS.Workbook();
workbook.creator = "Roster fixtures";
workbook.created = new Date(Date.UTC(2024, 0, 1));
workbook.modified = workbook.created;
const staff = workbook.addWorksheet("Staff");
staff.addRow(header);
staff.addRow(["jürgen.müller@example.com", "Jürgen", "Müller", "00123", new Date(Date.UTC(2024, 2, 1)), 4250.5, true,
  { formula: 'B2&" "&C2', result: "Jürgen Müller" }]);
staff.addRow([]);
staff.addRow(["élodie.durand@example.com", "Élodie", null, "00456", new Date(Date.UTC(2023, 10, 15, 12)), -0.25, false,
  { formula: "F2*2", result: 8501 }]);
staff.addRow(["  spaces kept  "]);
staff.getColumn(5).numFmt = "yyyy-mm-dd";
staff.getCell("E4").numFmt = "yyyy-mm-dd hh:mm:ss";
const second = workbook.addWorksheet("Zweite Tabelle");
second.addRow(["Straße", 1]);
const hidden = workbook.addWorksheet("Archive", { state: "hidden" });
hidden.addRow(["old@example.com"]);
await workbook.xlsx.writeFile(`${out}/exceljs_staff.xlsx`);

// xlsx-populate: a workbook encrypted with a password (ECMA-376 agile encryption, the OLE2
// container with EncryptionInfo and EncryptedPackage streams that Excel writes).
const { default: XlsxPopulate } = await import("xlsx-populate");
const encrypted = await XlsxPopulate.fromBlankAsync();
encrypted.sheet(0).cell("A1").value("Email");
encrypted.sheet(0).cell("A2").value("anna@example.com");
await encrypted.toFileAsync(`${out}/xlsx_populate_encrypted.xlsx`, { password: "secret" });
