"""Comments from the public (意见建议) on a round's rectification, and the unit's answers.

A published rectification report (党务公开) invites the public to comment. Here the unit opens a
call for comments on a round: a public page, with a link and QR code to print in the report.
Anyone may write without logging in; the unit answers each comment once, with the server's time,
publicly or not; a comment left unanswered too long shows red to the unit and to the office.
"""
