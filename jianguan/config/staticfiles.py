"""The storage of collected static files in production: hashed names, compressed copies, module imports rewritten.

`collectstatic` stores each file under a name carrying its content's hash (served as immutable) and rewrites the
references between files to those names. Django rewrites a JavaScript file's `import … from "./x.js"` only when
the storage asks for it (`support_js_module_import_aggregation`); without it an ES module would import the
unhashed name, which a deployment without debug does not serve and the field page's service worker does not keep.
"""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


# whitenoise ships no type information, so its class is Any to the checker.
class ProductionStaticFilesStorage(CompressedManifestStaticFilesStorage):  # type: ignore[misc]
    """whitenoise's compressed manifest storage that also rewrites the imports of ES modules to hashed names."""

    support_js_module_import_aggregation = True
