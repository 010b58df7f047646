"""Many articles built together: ids are corpus-wide, so a fact sheet may refer to an entry that
another article of the build declares without declaring it again; every error of every fact
sheet is reported in one run."""

from __future__ import annotations

from kg.errors import Collect
from kg.factsheet.checks import check
from kg.factsheet.load import read
from kg.factsheet.model import Declared, FactSheet
from kg.gcpause import paused
from kg.sources import Source


def load_all(sources: list[Source]) -> list[FactSheet]:
    """Read every fact sheet, then check each against its article and the whole build; all
    the errors of all the sheets are raised together (kg.errors.InputErrors)."""
    errors = Collect()
    sheets = []
    with paused():
        for source in sources:
            with errors.each():
                sheets.append(read(source, errors))
        # One index for all (a sheet's own entries come first anyway), when there are others.
        declared = index(sheets) if len(sheets) > 1 else {}
        for sheet in sheets:
            sheet.others = declared
            with errors.each():
                check(sheet, errors)
    errors.raise_any()
    return sheets


def index(sheets: list[FactSheet]) -> Declared:
    """Every entry of the build by id, in the order of the articles (by slug)."""
    declared = Declared()
    for sheet in sheets:
        for entry in sheet.entries.values():
            declared.setdefault(entry.id, []).append(entry)
    return declared
