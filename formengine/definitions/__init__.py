"""Procedure definitions: the model, the loader and the catalogue."""

from formengine.definitions.catalog import Catalog
from formengine.definitions.loader import DefinitionError, load_definition
from formengine.definitions.model import FormDefinition, Page, Problem

__all__ = ["Catalog", "DefinitionError", "FormDefinition", "Page", "Problem", "load_definition"]
