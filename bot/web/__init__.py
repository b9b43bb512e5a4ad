"""The ASGI web server: ``bot.web.app.create_app`` assembles the channels' routes."""
