"""Tally: a consistency checker for Chinese government fiscal reports.

>>> from service import check
>>> report = check("2019年本年支出合计100万元，其中：基本支出25万元，占30%；项目支出75万元，占75%。")
>>> [f.code for f in report.findings]
['SHR001', 'SHR002']
"""

from .model import Finding, Options, Report
from .pipeline import check

__all__ = ["Finding", "Options", "Report", "check"]
