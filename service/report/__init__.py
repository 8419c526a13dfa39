"""Report: findings into what callers read.

``build`` order, fingerprints, coverage and offsets into the text sent; ``sarif`` SARIF 2.1.0;
``docx`` review comments as Word; ``wording`` the Chinese words people read; ``baseline``
dismissed findings as a file; ``provenance`` what a report was made from.
"""
