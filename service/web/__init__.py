"""The HTTP edge: every blueprint is registered here, once."""

from service.web import admin, health, root, safety, simulator, sms, ussd

EDGE_MODULES = (health, root, ussd, sms, admin, simulator)


def register_blueprints(app):
    """Attach each module's blueprint `bp`, and call its `init_app` when it has one."""
    safety.init_app(app)  # before any route: it bounds the `<int:...>` converter
    for module in EDGE_MODULES:
        app.register_blueprint(module.bp)
        if hasattr(module, "init_app"):
            module.init_app(app)
