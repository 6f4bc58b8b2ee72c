"""Exchange: items as spreadsheet rows and ReqIF, out (export) and back in (import).

``sheets`` maps each kind's fields to columns and cells; ``sheetnames`` names
them in the repo's language; ``exporting`` builds the sheets; ``importplan`` is
the vocabulary of an import; ``importing`` works out what an import would change
and ``creating`` the new items it would write. Reading and writing the files
(XLSX, CSV, ReqIF) is io's job.
"""
