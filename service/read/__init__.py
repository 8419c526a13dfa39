"""Read: a file or a text into the exact text checked, with where each stretch of it sits.

``text`` the reading view (script folding, pinyin and line breaks left out, offsets back to the
text sent) and its lines and sentences; ``documents`` .txt/.docx/.pdf into one ``Extracted``;
``pdf`` PDFium's characters into lines, paragraphs and ruled tables; ``tables`` cells of a
plain-text row.
"""
