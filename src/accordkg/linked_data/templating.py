"""The one Jinja environment: the templates of linked_data/templates/, HTML-escaped."""

from jinja2 import Environment, PackageLoader, Template, select_autoescape

TEMPLATES = Environment(
    loader=PackageLoader("accordkg.linked_data"), autoescape=select_autoescape(default=True)
)


def template(name: str) -> Template:
    """A template of linked_data/templates/, e.g. `entity.html`."""
    return TEMPLATES.get_template(name)
