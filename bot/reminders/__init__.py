"""Committee reminders: due computation, exactly-once deliveries, Slack and LINE sending, the
scheduler thread, ``/meetings.ics`` and the ``remind`` / ``meetings`` commands.

- ``plan``: which reminders are due (pure); ``store``: the claim-then-send table;
- ``render``: a reminder as Slack Block Kit and LINE messages;
- ``scheduler``: one pass (``Scheduler.run_once``) and the dry run (``Scheduler.preview``);
  ``report``: what a pass did, and failures reported on Slack;
- ``service``: the thread, the LINE subscription hook and the route inside ``strategy-bot serve``;
- ``cli``: ``strategy-bot remind`` and ``strategy-bot meetings``.
"""
