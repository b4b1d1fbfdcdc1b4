"""Team drops: agents' day files published to a shared folder or a WebDAV server, read by the lead."""
