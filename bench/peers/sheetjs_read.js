// Reads every cell of the first sheet with SheetJS (npm "xlsx") and prints the same figures as
// read_bench. usage: node sheetjs_read.js FILE
const XLSX = require("xlsx");

const start = process.hrtime.bigint();
const workbook = XLSX.readFile(process.argv[2], { dense: true, cellHTML: false, cellText: true });
const sheet = workbook.Sheets[workbook.SheetNames[0]];
const data = sheet["!data"] || sheet; // dense sheets: "!data" (0.19+) or the sheet itself (0.18)
const range = XLSX.utils.decode_range(sheet["!ref"]);
let rows = 0;
let cells = 0;
let textBytes = 0;
for (let r = range.s.r; r <= range.e.r; ++r) {
  const row = data[r];
  if (!row) continue;
  let any = false;
  for (const cell of row) {
    if (cell && cell.v !== undefined) {
      ++cells;
      textBytes += String(cell.w !== undefined ? cell.w : cell.v).length;
      any = true;
    }
  }
  if (any) ++rows;
}
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
const maxrss = process.resourceUsage().maxRSS;
console.log(`rows=${rows} cells=${cells} text_bytes=${textBytes} seconds=${seconds.toFixed(3)} maxrss_kb=${maxrss}`);
