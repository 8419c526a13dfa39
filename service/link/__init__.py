"""Link: each claim to the figure it speaks of (the whole of a share, last year's figure of a
change, the target of a completion), or the reason none could be found (``linking``)."""
