"""The rehearsal of the reference deployment (docs/deployment.md): `python -m marketplace.deploy.cluster`."""
