"""The LINE channel adapter: ``POST /line/webhook`` (webhook, signature, dedupe, events), rendering
Replies as LINE messages (render, texts) and sending them (api)."""
