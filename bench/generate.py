#!/usr/bin/python3
"""Writes the read benchmark's input: a 1,000,000-row staff list as Excel writes it (every
text in the shared-strings table, rows with spans) and the same rows as CSV; and, for the
wizard benchmark, the same list with one address misspelled (staff-1m-typo.xlsx, row 500,001:
one error to fix).

Deterministic: a fixed seed, names from fixed lists, unique e-mail addresses.
usage: generate.py OUT_DIR [ROWS]
"""
import os
import random
import sys
import zipfile

FIRST = ("Anna Ben Clara David Emma Felix Greta Hugo Ida Jonas Klara Leon Mia Noah Olivia Paul "
         "Quentin Rosa Simon Tara Ugo Vera Willi Xenia Yusuf Zoe Amelie Bruno Chloe Dario Elena "
         "Fabian Gloria Henrik Irene Jakob Karin Lukas Marta Niklas").split()
LAST = ("Schmidt Müller Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Koch Richter "
        "Klein Wolf Schröder Neumann Schwarz Zimmermann Braun Krüger Hofmann Hartmann Lange Schmitt "
        "Werner Krause Meier Lehmann Dubois Martin Bernard Moreau Laurent Lefèvre García Rossi "
        "O'Brien Nowak Kowalski Jansen").split()
LANGUAGES = "de en fr it es nl pl".split()
DEPARTMENTS = ("Sales Marketing Finance HR IT Legal Operations Support Research Logistics "
               "Purchasing Facilities").split()
LOCATIONS = ("Berlin Hamburg München Köln Frankfurt Zürich Wien Paris Lyon Amsterdam Warschau "
             "Mailand").split()
HEADER = ["Email", "First name", "Last name", "Language", "Department", "Location"]


def xml_escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def column(i):
    return "ABCDEF"[i]


def main():
    out_dir = sys.argv[1]
    rows = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    os.makedirs(out_dir, exist_ok=True)
    rng = random.Random(20240301)
    records = [HEADER]
    for n in range(1, rows + 1):
        first = rng.choice(FIRST)
        last = rng.choice(LAST)
        email = f"{first}.{last}.{n}@example.com".lower().replace("'", "")
        records.append([email, first, last, rng.choice(LANGUAGES), rng.choice(DEPARTMENTS),
                        rng.choice(LOCATIONS)])
    write(out_dir, "staff-1m", records, with_csv=True)
    typo_row = min(500_001, rows + 1)
    records[typo_row - 1] = list(records[typo_row - 1])
    records[typo_row - 1][0] = records[typo_row - 1][0].replace("@example.com", "@exmaple.com")
    write(out_dir, "staff-1m-typo", records, with_csv=False)


def write(out_dir, stem, records, with_csv):
    rows = len(records) - 1
    strings = {}
    order = []

    def index(text):
        found = strings.get(text)
        if found is None:
            found = strings[text] = len(order)
            order.append(text)
        return found

    sheet_parts = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        'mc:Ignorable="x14ac xr xr2 xr3" '
        'xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac">'
        f'<dimension ref="A1:F{rows + 1}"/><sheetViews><sheetView tabSelected="1" '
        'workbookViewId="0"/></sheetViews><sheetFormatPr defaultRowHeight="15" '
        'x14ac:dyDescent="0.25"/><sheetData>']
    csv_lines = [",".join(HEADER)]
    for r, record in enumerate(records, start=1):
        cells = "".join(f'<c r="{column(i)}{r}" t="s"><v>{index(text)}</v></c>'
                        for i, text in enumerate(record))
        sheet_parts.append(f'<row r="{r}" spans="1:6">{cells}</row>')
        if r > 1:
            csv_lines.append(",".join(record))
    sheet_parts.append('</sheetData><pageMargins left="0.7" right="0.7" top="0.75" '
                       'bottom="0.75" header="0.3" footer="0.3"/></worksheet>')
    sheet = "".join(sheet_parts).encode()
    sst = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
           '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
           f'count="{6 * len(records)}" uniqueCount="{len(order)}">'
           + "".join(f"<si><t>{xml_escape(s)}</t></si>" for s in order) + "</sst>").encode()

    ns = "http://schemas.openxmlformats.org"
    parts = {
        "[Content_Types].xml":
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
            f'<Types xmlns="{ns}/package/2006/content-types">'
            f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            f'<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            f'</Types>',
        "_rels/.rels":
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
            f'<Relationships xmlns="{ns}/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            f'</Relationships>',
        "xl/workbook.xml":
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
            f'<workbook xmlns="{ns}/spreadsheetml/2006/main" xmlns:r="{ns}/officeDocument/2006/relationships">'
            f'<bookViews><workbookView xWindow="0" yWindow="0" windowWidth="28800" windowHeight="12300"/></bookViews>'
            f'<sheets><sheet name="Staff" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels":
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
            f'<Relationships xmlns="{ns}/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{ns}/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
            f'<Relationship Id="rId3" Type="{ns}/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
            f'</Relationships>',
        "xl/styles.xml":
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
            f'<styleSheet xmlns="{ns}/spreadsheetml/2006/main">'
            f'<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
            f'<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
            f'<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
            f'<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            f'<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
            f'</styleSheet>',
    }
    xlsx = os.path.join(out_dir, stem + ".xlsx")
    with zipfile.ZipFile(xlsx + ".tmp", "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
        for name, text in parts.items():
            z.writestr(name, text.encode())
        z.writestr("xl/worksheets/sheet1.xml", sheet)
        z.writestr("xl/sharedStrings.xml", sst)
    os.replace(xlsx + ".tmp", xlsx)
    if with_csv:
        with open(os.path.join(out_dir, stem + ".csv"), "w", encoding="utf-8", newline="") as f:
            f.write("\r\n".join(csv_lines) + "\r\n")
    print(f"wrote {xlsx}: {os.path.getsize(xlsx):,} bytes, sheet XML {len(sheet):,} bytes, "
          f"shared strings XML {len(sst):,} bytes")


if __name__ == "__main__":
    main()
