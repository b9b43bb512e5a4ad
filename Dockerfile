# strategy-bot: one image for the web server (`serve`) and the LINE inbox workers (`worker`).
# The curated strategy data is built into the image as a read-only SQLite file; what the bot changes
# at run time lives in the database of DATABASE_URL (PostgreSQL) or, without it, beside the data file.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    STRATEGY_BOT_DB=/app/var/strategy.db

WORKDIR /app
COPY pyproject.toml constraints.txt README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY nlp ./nlp
COPY store ./store
COPY strategy_data ./strategy_data
RUN python -m pip install -c constraints.txt . \
    && strategy-bot load-data \
    && useradd --system --uid 10001 --home-dir /app bot \
    && chown -R bot /app/var

USER bot
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s \
    CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2).status != 200)"
ENTRYPOINT ["strategy-bot"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8000"]
