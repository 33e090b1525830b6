"""The processing log (Verwerkingenlogging): who processed whose personal data, when and why,
hash-chained, with the VNG write and read APIs and the citizen's own view."""
