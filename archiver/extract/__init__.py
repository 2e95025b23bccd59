"""The generic extractor and its helpers: body, dates, page metadata, article URLs,
outlet names, encodings and DOM helpers. Pure functions of a page."""
