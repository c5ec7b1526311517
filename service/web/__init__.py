"""The HTTP edge: every blueprint is registered here, once."""

import importlib

# module path -> attribute holding the blueprint; a module not written yet is skipped
BLUEPRINTS = (
    ("service.web.health", "bp"),
    ("service.web.ussd", "bp"),
    ("service.web.sms", "bp"),
    ("service.web.admin", "bp"),
    ("service.web.simulator", "bp"),
)


def register_blueprints(app):
    """Attach each blueprint of the edge; each module also gets an `init_app` call if it has one."""
    for module_path, attribute in BLUEPRINTS:
        try:
            module = importlib.import_module(module_path)
        except ModuleNotFoundError as error:
            if error.name != module_path:
                raise
            continue
        app.register_blueprint(getattr(module, attribute))
        if hasattr(module, "init_app"):
            module.init_app(app)
