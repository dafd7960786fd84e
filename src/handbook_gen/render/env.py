"""The Jinja2 environment (project templates over the built-in theme) and the one place a
template is rendered, turning its errors into HB400 diagnostics.

Content is never rendered as a template. Autoescape is on for every template whatever
its extension, and a missing variable is an error (StrictUndefined).
"""
from __future__ import annotations

from pathlib import Path

import jinja2

from handbook_gen import __version__, builtin_theme_dir
from handbook_gen.core.model import Status
from handbook_gen.core.diagnostics import Diagnostics, Location
from handbook_gen.core.numerals import article_name
from handbook_gen.core.urls import relative

_DICT_ATTRIBUTES = frozenset(dir(dict))


class _Environment(jinja2.Environment):
    """Jinja2's environment with a quicker ``x.name`` when `x` is a plain dict, as most
    context values are: its item at once. Jinja2 tries the attribute first and takes the
    item after the AttributeError, which a dict raises for every name but its methods',
    so the result is the same without raising an exception per lookup."""

    def getattr(self, obj, attribute):
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except (TypeError, LookupError):
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; base-uri 'none'; form-action 'self'")


def make_environment(project_templates: Path | None) -> jinja2.Environment:
    builtin = builtin_theme_dir()
    loaders: list[jinja2.BaseLoader] = []
    if project_templates and project_templates.is_dir() and \
            project_templates.resolve() != builtin.resolve():
        loaders.append(jinja2.FileSystemLoader(str(project_templates)))
    loaders.append(jinja2.FileSystemLoader(str(builtin)))
    loaders.append(jinja2.PrefixLoader({"builtin": jinja2.FileSystemLoader(str(builtin))}))
    env = _Environment(loader=jinja2.ChoiceLoader(loaders), autoescape=True,
                       undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
                       trim_blocks=True, lstrip_blocks=True)
    env.globals["url"] = _url
    env.globals["status_label"] = Status.label_of
    env.globals["state_label"] = Status.label_of
    env.globals["article_name"] = article_name
    env.globals["csp"] = CSP
    env.globals["generator"] = f"handbook-gen {__version__}"
    return env


@jinja2.pass_context
def _url(context, target: str) -> str:
    """Relative link from the page being rendered to a site-relative target."""
    return relative(target, context["page"])


def render_template(env: jinja2.Environment, template: str, context: dict,
                    diags: Diagnostics) -> str | None:
    """`template` rendered with `context`; None (and HB400) when the template fails."""
    try:
        return env.get_template(template).render(**context)
    except jinja2.TemplateError as exc:
        template_error(exc, template, diags)
        return None


def template_error(exc: jinja2.TemplateError, template: str, diags: Diagnostics) -> None:
    """Report a template that failed to load or render as HB400, at its line."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        diags.add("HB400", "template syntax error: {problem}",
                  Location(f"templates/{exc.name or template}", exc.lineno or 0, 1),
                  hint="fix the template (Jinja2's message is quoted as it is)",
                  problem=exc.message or "")
    else:
        diags.add("HB400", "template error in {template}: {problem}",
                  _template_location(exc, template),
                  hint="fix the template (Jinja2's message is quoted as it is)",
                  template=template, problem=str(exc))


def _template_location(exc: Exception, template: str) -> Location:
    """Where a template failed while rendering: Jinja2 rewrites the traceback so that
    template frames carry the template's file and line; the innermost one is the place."""
    where = Location(f"templates/{template}")
    tb = exc.__traceback__
    while tb is not None:
        path = tb.tb_frame.f_code.co_filename
        if "/templates/" in path:  # a project template or one of the built-in theme
            where = Location("templates/" + path.rsplit("/templates/", 1)[1], tb.tb_lineno, 1)
        tb = tb.tb_next
    return where
