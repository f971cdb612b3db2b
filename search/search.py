"""« Pages d'aide » in the search: the Markdown pages of ``search.help`` (no query: read from memory)."""

from search import help
from search.registry import Provider, Result, register
from search.text import Query, excerpt, highlight


def _present(page: help.HelpPage, query: Query, user) -> Result:
    return Result(
        title=highlight(page.title, query), url=page.get_absolute_url(), excerpt=excerpt(page.text, query), place="Aide"
    )


register(Provider(kind="aide", label="Pages d’aide", order=5, search=help._search, present=_present))
