"""Lexer, never-raising parser and lossless syntax tree for BibTeX."""

from bib_lsp.syntax.block import Block, SyntaxTree, parse
from bib_lsp.syntax.kinds import SyntaxKind
from bib_lsp.syntax.tree import Node, Problem, Severity, Token

__all__ = ["Block", "Node", "Problem", "Severity", "SyntaxKind", "SyntaxTree", "Token", "parse"]
