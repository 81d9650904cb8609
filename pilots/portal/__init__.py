"""The vendor portal's reference proposals: a vendor names municipalities that use its listing.

It lives with the references (pilots) rather than in the portal (solutions) because the portal's app sits
below this one: pilots may use the portal's access checks and forms, never the other way round.
"""
