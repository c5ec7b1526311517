"""SMS text: lessons, reply templates, the inbound grammar, segment accounting."""
