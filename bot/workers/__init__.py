"""Processes beside the web server: ``answering`` is the LINE answer child process."""
