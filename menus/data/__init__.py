"""The facts the USSD screens read and write, each in one or two indexed queries per hop.

Split the way menus/screens/ is: `caller` (who dialled, their village, its meetings),
`caregiver`, `facilitator` and `registration`. Domain rules (registering, call-back
requests, alerts) live in service/; these modules shape them for a screen and commit.
"""
