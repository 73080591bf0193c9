"""Views of the sharing app, one module per area: share links, exports, exchange."""
