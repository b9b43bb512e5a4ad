"""Work beside the web server: ``line_inbox`` answers the durable LINE inbox in threads (of the
server, or of ``strategy-bot worker`` processes)."""
