"""The Excel add-in: ``=SAKIP_*`` worksheet functions, the SAKIP ribbon tab, build and install.

* :mod:`.udfs` - one thin xlwings UDF per UDF of the rule registry (imported by Excel).
* :mod:`.ribbon` - the ribbon handlers: pure functions over paths and data, and thin xlwings
  shells that apply them to the open workbook.
* :mod:`.vba` - the VBA text of the add-in (generated UDF wrappers, function help registration).
* :mod:`.build` - ``sakip-xl addin build``: the ``.xlam`` from xlwings' ribbon add-in template.
* :mod:`.checks` - the checks every built add-in must pass.
* :mod:`.install` - ``sakip-xl addin install`` (Windows).
"""
