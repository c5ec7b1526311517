"""One small module per family of SMS commands; messages/keywords.py names them."""
