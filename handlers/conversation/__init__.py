"""Conversations: each turn is answered with the topic of the turns before it.

A conversation (``Query.conversation``: one LINE user in a chat or group, a Slack DM or thread, a
terminal or web session) keeps, for 30 minutes by default, the record last answered, what was asked
about it, and the list last shown. Turn by turn:

- 「ほかには？」「次」 after a list show its next items; 「2番目の」 answers that item;
- a follow-up (``handlers.followup``) is rewritten with the topic's name and answered;
- a follow-up with no topic to follow asks politely which one is meant, offering the recent topics;
- a question naming a topic of its own is answered as it is: the new topic wins.

Suggestions then offer what has not yet been asked about the current topic. The state is plain JSON
in the store (``store.conversations``), keyed by channel and keyed user hash, never a raw id.
"""

from handlers.conversation.state import Answering, InMemory, Memory, Topic
from handlers.conversation.turn import turn

__all__ = ["Answering", "InMemory", "Memory", "Topic", "turn"]
