"""Makes the two example workbooks of the Excel import (docs/formats.md, "Excel workbooks
in"): examples/import-rader.xlsx (one row per review) and examples/import-skaringsark.xlsx
(a scoring sheet: one row per item). Run from the repository root: python3 examples/workbooks.py
(needs openpyxl). The files are committed; this says how they were made."""

import datetime
import json

from openpyxl import Workbook
from openpyxl.styles import Font

scale = json.load(open("scales/ips-25.json", encoding="utf-8"))
items = scale["items"]
ids = [i["id"] for i in items]


def rows_workbook(path):
    wb = Workbook()
    ws = wb.active
    ws.title = "Evalueringer"
    ws["A1"] = "Tidligere evalueringer, IPS kvalitetsskala"
    ws["A1"].font = Font(bold=True, size=14)
    ws.merge_cells("A1:F1")
    # Old sheets name some items, others by id; both are matched.
    headers = ["Tjeneste", "Dato", "Type"] + [items[0]["name"]["nb"], items[1]["name"]["nb"]] + ids[2:] + ["Sum", "Kommentar"]
    for c, h in enumerate(headers, start=1):
        ws.cell(row=3, column=c, value=h).font = Font(bold=True)
    reviews = [
        ("IPS Sørvik", datetime.date(2024, 3, 11), "Ekstern evaluering", [3] * 10 + [4] * 15, "Første evaluering"),
        ("IPS Sørvik", datetime.date(2024, 9, 16), "Egenvurdering", [4] * 20 + [3] * 5, ""),
        ("IPS Fjellby", datetime.date(2024, 5, 6), "Ekstern evaluering", [3] * 25, "Ny tjeneste"),
        (None, datetime.date(2025, 5, 5), "Ekstern evaluering", [4] * 12 + [3] * 13, ""),
    ]
    first = 4
    for k, (service, date, kind, scores, comment) in enumerate(reviews):
        r = first + k
        total = f"=SUM(D{r}:{ws.cell(row=r, column=3 + len(ids)).column_letter}{r})"
        for c, v in enumerate([service, date, kind] + scores + [total, comment], start=1):
            ws.cell(row=r, column=c, value=v)
        ws.cell(row=r, column=2).number_format = "dd.mm.yyyy"
    # IPS Fjellby's two reviews share one merged service cell.
    ws.merge_cells(f"A{first + 2}:A{first + 3}")
    last = first + len(reviews) - 1
    mean = ["Gjennomsnitt", None, None] + [
        f"=AVERAGE({ws.cell(row=first, column=c).column_letter}{first}:{ws.cell(row=last, column=c).column_letter}{last})"
        for c in range(4, 4 + len(ids))
    ]
    for c, v in enumerate(mean, start=1):
        ws.cell(row=last + 1, column=c, value=v)
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = 12
    ws.column_dimensions["C"].width = 20
    ws.freeze_panes = "D4"
    wb.save(path)


def scoring_workbook(path):
    wb = Workbook()
    ws = wb.active
    ws.title = "Skåringsark"
    ws["A1"] = "IPS kvalitetsskala – skåringsark"
    ws["A1"].font = Font(bold=True, size=14)
    ws.merge_cells("A1:D1")
    ws["A3"], ws["B3"] = "Tjeneste:", "IPS Nordby"
    ws["A4"], ws["B4"] = "Dato:", datetime.date(2025, 10, 20)
    ws["B4"].number_format = "dd.mm.yyyy"
    ws["A5"], ws["B5"] = "Type:", "Ekstern evaluering"
    ws["A7"], ws["B7"], ws["C7"], ws["D7"] = "Punkt", "Navn", "Skår", "Begrunnelse"
    for c in ws[7]:
        c.font = Font(bold=True)
    scores = [4, 4, 3, 4, 3, 3, 4, 3, 4, 3, 3, 3, 4, 4, 4, 3, 3, 4, 4, 5, 4, 4, 3, 4, 3]
    row = 8
    first = row
    for section in scale["sections"]:
        ws.cell(row=row, column=1, value=section["name"]["nb"]).font = Font(bold=True)
        row += 1
        for item, score in zip(items, scores):
            if item["section"] != section["id"]:
                continue
            ws.cell(row=row, column=1, value=item["id"])
            ws.cell(row=row, column=2, value=item["name"]["nb"])
            ws.cell(row=row, column=3, value=score)
            row += 1
    ws.cell(row=row, column=2, value="Sum").font = Font(bold=True)
    ws.cell(row=row, column=3, value=f"=SUM(C{first}:C{row - 1})").font = Font(bold=True)
    ws.column_dimensions["A"].width = 12
    ws.column_dimensions["B"].width = 60
    ws.column_dimensions["D"].width = 40
    wb.save(path)


rows_workbook("examples/import-rader.xlsx")
scoring_workbook("examples/import-skaringsark.xlsx")
