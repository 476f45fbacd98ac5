"""The official data newsrooms start from, in and out: the candidate lists (Democracy Club), the
results (the UK Parliament results website's exports, the Commons Library's CBP-10009 files) and
the hex layout, read into plain records (`tables`, `records`), joined to the content by identity
(`parties`, `matching`), written into content files (`importer`, `patch`), and compared with the
published figures (`reconcile`).
"""
