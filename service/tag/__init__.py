"""Tag: figures, metric names and organisations found in the reading view, and the ``Document``
that answers later stages' questions about them.

``nlp`` the spaCy pipeline (a tokenizer cut at every figure and name); ``quantities`` money,
percentages, counts; ``metrics`` fiscal metric names; ``entities`` organisations and the
reporting unit; ``document`` sentences and look-ups; ``scope`` whose figure a statement is.
"""
