"""The HTTP edge: every blueprint is registered here, once."""

from service.web import admin, health, simulator, sms, ussd

EDGE_MODULES = (health, ussd, sms, admin, simulator)


def register_blueprints(app):
    """Attach each module's blueprint `bp`, and call its `init_app` when it has one."""
    for module in EDGE_MODULES:
        app.register_blueprint(module.bp)
        if hasattr(module, "init_app"):
            module.init_app(app)
