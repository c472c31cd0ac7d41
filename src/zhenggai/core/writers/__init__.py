"""Writers: a ledger/1 dict out as a workbook or a readable outline."""
