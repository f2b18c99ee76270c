#!/usr/bin/env python3
"""Makes the .xlsx fixtures with openpyxl (pip install openpyxl), one per cell kind and error.

The workbooks are committed; run this again only to change them:
    python3 Tests/BevakaStoreTests/Fixtures/xlsx/make.py
A few shapes openpyxl never writes (inline strings, a formula's cached value, a number in E
notation) are put into the saved file's XML afterwards, as Excel and LibreOffice write them.
Personnummer are Skatteverket's test numbers.
"""
import datetime
import os
import re
import zipfile

from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.utils.datetime import CALENDAR_MAC_1904

HERE = os.path.dirname(os.path.abspath(__file__))
HEADER = ["personnummer", "namn", "insats", "beslut_fran", "beslut_till", "beviljad_tid", "verkstallt", "skyddad"]


def save(workbook, name, patch=None, shared=False):
    path = os.path.join(HERE, name)
    workbook.save(path)
    if patch or shared:
        with zipfile.ZipFile(path) as old:
            parts = {item.filename: old.read(item.filename) for item in old.infolist()}
        for part, change in (patch or {}).items():
            parts[part] = change(parts[part].decode()).encode()
        if shared:
            shared_strings(parts)
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
            for part, data in parts.items():
                new.writestr(part, data)


def shared_strings(parts):
    """Moves every inline string into xl/sharedStrings.xml, as Excel saves a workbook."""
    strings = []
    def share(match):
        body = match.group(3)
        if body not in strings:
            strings.append(body)
        return '<c r="%s"%s t="s"><v>%d</v></c>' % (match.group(1), match.group(2), strings.index(body))
    for part in [name for name in parts if name.startswith("xl/worksheets/")]:
        parts[part] = re.sub(r'<c r="([A-Z]+[0-9]+)"([^>]*?) t="inlineStr"><is>(.*?)</is></c>', share,
                             parts[part].decode()).encode()
    parts["xl/sharedStrings.xml"] = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">%s</sst>'
        % (len(strings), len(strings), "".join("<si>%s</si>" % body for body in strings))).encode()
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].decode().replace("</Types>",
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>').encode()
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].decode().replace("</Relationships>",
        '<Relationship Id="rIdShared" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>').encode()


def dated(cell, value, number_format="yyyy-mm-dd"):
    cell.value = value
    cell.number_format = number_format


# 1. The everyday list: shared strings, whole and decimal hours, dates in three formats, a
#    boolean, a personnummer typed as text.
wb = Workbook()
ws = wb.active
ws.title = "Brukare"
ws.append(HEADER)
rows = [
    ("19200101-1564", CellRichText([TextBlock(InlineFont(b=True), "Astrid"), " Nilsson"]), "hemtjänst", datetime.date(2026, 1, 5), datetime.date(2026, 12, 31), 42, datetime.date(2026, 1, 8), False),
    ("19210419-8383", "Bertil Holm", "matdistribution", datetime.date(2025, 11, 3), None, 12.5, datetime.date(2025, 11, 3), False),
    ("19200220-9209", "Greta Lund", "trygghetslarm", datetime.date(2026, 2, 1), None, None, None, True),
]
formats = ["yyyy-mm-dd", "d/m/yyyy", "mm-dd-yy"]
for index, (pnr, name, service, start, end, hours, started, protected) in enumerate(rows):
    ws.append([pnr, name, service, None, None, hours, None, protected])
    row = ws.max_row
    dated(ws.cell(row, 4), start, formats[index])
    if end:
        dated(ws.cell(row, 5), end, formats[index])
    if started:
        dated(ws.cell(row, 7), started, formats[index])
save(wb, "everyday.xlsx", shared=True)

# 2. Inline strings (openpyxl's own way) with a rich text run.
wb = Workbook()
ws = wb.active
ws.append(HEADER[:4])
ws.append(["19200101-1564", CellRichText([TextBlock(InlineFont(b=True), "Astrid"), " Nilsson"]), "hemtjänst", "2026-01-05"])
ws.append(["19210419-8383", "Bertil Holm", "matdistribution", "2025-11-03"])
save(wb, "rich-and-inline.xlsx")

# 3. Formulas: one with its cached value (as Excel saves), one without (openpyxl's own), and an
#    error value.
wb = Workbook()
ws = wb.active
ws.append(HEADER[:4] + ["beviljad_tid"])
ws.append(["19200101-1564", "Astrid Nilsson", "hemtjänst", "2026-01-05", "=20+22"])
ws.append(["19210419-8383", "Bertil Holm", "matdistribution", "2025-11-03", "=10*3"])
ws.append(["19200220-9209", "Greta Lund", "trygghetslarm", "2026-02-01", "#N/A"])
save(wb, "formulas.xlsx", {"xl/worksheets/sheet1.xml": lambda xml: xml.replace(
    "<f>20+22</f><v></v>", "<f>20+22</f><v>42</v>").replace("<f>20+22</f><v />", "<f>20+22</f><v>42</v>").replace(
    "<f>20+22</f></c>", "<f>20+22</f><v>42</v></c>")})

# 4. Dates by serial: the 1900 system's 29 February that never was (serial 60), and a workbook
#    in the 1904 system.
wb = Workbook()
ws = wb.active
ws.append(HEADER[:4])
ws.append(["19200101-1564", "Astrid Nilsson", "hemtjänst", 46027])
ws.cell(2, 4).number_format = "yyyy-mm-dd"
ws.append(["19210419-8383", "Bertil Holm", "matdistribution", 60])
ws.cell(3, 4).number_format = "yyyy-mm-dd"
save(wb, "serial-1900.xlsx")
wb = Workbook()
wb.epoch = CALENDAR_MAC_1904
ws = wb.active
ws.append(HEADER[:4])
ws.append(["19200101-1564", "Astrid Nilsson", "hemtjänst", datetime.date(2026, 1, 5)])
ws.cell(2, 4).number_format = "yyyy-mm-dd"
save(wb, "system-1904.xlsx")

# 5. Personnummer stored as numbers: 12 digits, 10 digits from the 2000s (leading zero lost),
#    E notation, and one Excel rounded.
wb = Workbook()
ws = wb.active
ws.append(HEADER[:4])
ws.append([192001011564, "Astrid Nilsson", "hemtjänst", "2026-01-05"])
ws.append([202272399, "Tolvan Tolvansson", "hemtjänst", "2026-01-05"])
ws.append([192104198383, "Bertil Holm", "matdistribution", "2025-11-03"])
ws.append([19200220.9209, "Greta Lund", "trygghetslarm", "2026-02-01"])
save(wb, "numbers-as-personnummer.xlsx", {"xl/worksheets/sheet1.xml": lambda xml: xml.replace(
    "<v>192104198383</v>", "<v>1.92104198383E11</v>")})

# 6. Two sheets, the first without the columns; hidden rows and columns; empty rows.
wb = Workbook()
notes = wb.active
notes.title = "Anteckningar"
notes.append(["Att göra", "Vem"])
notes.append(["Ring om underlag", "Anna"])
ws = wb.create_sheet("Lista")
ws.append([])
ws.append(HEADER[:4] + ["anteckning"])
ws.append(["19200101-1564", "Astrid Nilsson", "hemtjänst", "2026-01-05", "synlig"])
ws.append([])
ws.append(["19210419-8383", "Bertil Holm", "matdistribution", "2025-11-03", "dold rad"])
ws.row_dimensions[5].hidden = True
ws.column_dimensions["E"].hidden = True
save(wb, "two-sheets-hidden.xlsx")

# 7. A merged header.
wb = Workbook()
ws = wb.active
ws.append(["personnummer", "namn", None, "insats", "beslut_fran"])
ws.merge_cells("B1:C1")
ws.append(["19200101-1564", "Astrid", "Nilsson", "hemtjänst", "2026-01-05"])
save(wb, "merged-header.xlsx")
