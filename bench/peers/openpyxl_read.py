#!/usr/bin/python3
"""Reads every cell of the first sheet with openpyxl in read-only mode and prints the same
figures as read_bench. usage: openpyxl_read.py FILE"""
import resource
import sys
import time

import warnings

import openpyxl

warnings.simplefilter("ignore")  # "no default style": irrelevant to reading

start = time.monotonic()
workbook = openpyxl.load_workbook(sys.argv[1], read_only=True, data_only=True)
sheet = workbook.worksheets[0]
rows = cells = text_bytes = 0
for row in sheet.iter_rows(values_only=True):
    rows += 1
    for value in row:
        if value is not None:
            cells += 1
            text_bytes += len(str(value))
seconds = time.monotonic() - start
maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(f"rows={rows} cells={cells} text_bytes={text_bytes} seconds={seconds:.3f} maxrss_kb={maxrss}")
