"""Render: Jinja templates to HTML pages. The environment, navigation, page contexts
and the page kinds of the core site."""
