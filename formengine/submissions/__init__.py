"""Submissions: drafts, exactly-once storage, receipts, signing, the PDF and the outbox."""
