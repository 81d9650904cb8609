"""The vendor portal: accounts, organisations, listing forms, uploads, references, revisions."""
