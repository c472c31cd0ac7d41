"""Receipts from residents (群众回执): each slip is confirmed by the resident, on their own phone.

The sample report names the failure: in 2019 the receipt stubs (回执联) of leaflets handed to
residents were filled in by the community's own staff. Here a unit prints slips, each with its own
unguessable link and QR code, and hands them out. Only the resident can confirm one: nobody logged
in to Zhenggai may fill one in, one browser confirms at most one slip of a batch, and slips
confirmed from one network and browser kind are flagged for the reviewers.
"""
