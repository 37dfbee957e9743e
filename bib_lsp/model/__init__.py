"""Static knowledge about BibTeX and biblatex: entry types, fields, requirements."""
