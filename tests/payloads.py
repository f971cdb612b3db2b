"""Hostile values an outside probe sent, shared by the tests that replay them."""

# OWASP's list for CSV: a cell starting with one of these is read as a formula by spreadsheet
# software. Each payload, and the cell the export must write instead.
FORMULA_PAYLOADS = [
    ('=HYPERLINK("https://evil.example","Cliquez")', '\'=HYPERLINK("https://evil.example","Cliquez")'),
    ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
    ("+33 5 49 00 00 00", "'+33 5 49 00 00 00"),
    ("-2+3", "'-2+3"),
    ("\t=1+1", "'\t=1+1"),
    ("\r=1+1", "'\r=1+1"),
]
