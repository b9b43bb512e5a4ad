"""PNG charts of the KPIs: one KPI's trend, and how all of them stand.

Importing this package is cheap: matplotlib is imported only when a chart is first drawn
(:mod:`bot.charts.fonts`), so the web server's start-up and ``strategy-bot ask`` never pay for it.

- :mod:`bot.charts.data`: the figures a chart shows (from ``handlers.kpi_status``) and the data version;
- :mod:`bot.charts.kpi_chart`, :mod:`bot.charts.overview_chart`: the drawings;
- :mod:`bot.charts.service`: rendered PNGs cached by data version, with their ETags.
"""
