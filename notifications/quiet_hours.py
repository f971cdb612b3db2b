"""The right to disconnect: when an "immediate" e-mail may leave.

By default nobody receives a notification e-mail between 20:00 and 07:00 (Europe/Paris) nor on
Saturday and Sunday; such e-mails wait for 07:00 on the next working day. Each person can turn
this off in their preferences. Public and school holidays are not known here.
"""

import datetime as dt
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")
DAY_STARTS = dt.time(7, 0)
DAY_ENDS = dt.time(20, 0)
WORKING_DAYS = range(0, 5)  # Monday to Friday


def is_allowed(moment: dt.datetime) -> bool:
    local = moment.astimezone(PARIS)
    return local.weekday() in WORKING_DAYS and DAY_STARTS <= local.time() < DAY_ENDS


def next_allowed(moment: dt.datetime, *, quiet_hours: bool = True) -> dt.datetime:
    """``moment`` itself if an e-mail may leave then, else 07:00 (Paris) on the next working day."""
    if not quiet_hours or is_allowed(moment):
        return moment
    local = moment.astimezone(PARIS)
    day = local.date()
    if local.time() >= DAY_ENDS:
        day += dt.timedelta(days=1)
    while day.weekday() not in WORKING_DAYS:
        day += dt.timedelta(days=1)
    return dt.datetime.combine(day, DAY_STARTS, tzinfo=PARIS)
