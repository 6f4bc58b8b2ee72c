"""Exchange files: CSV and XLSX read and written, XLSX written directly, ReqIF 1.2 both ways.

``sheetfiles`` writes CSV and reads CSV and XLSX back safely; ``xlsxfile`` writes a
workbook straight from the export's sheets; ``reqiffile`` writes and reads ReqIF.
What goes in the rows is core/exchange's business.
"""
