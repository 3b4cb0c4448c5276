"""Saves a spreadsheet with a password through a running LibreOffice (UNO), so the fixtures
include real encrypted workbooks. Usage: save_with_password.py PORT INPUT OUTPUT FILTER PASSWORD
Needs python3-uno and `soffice --accept=socket,host=127.0.0.1,port=PORT;urp;`."""
import pathlib
import sys
import time

import uno
from com.sun.star.beans import PropertyValue


def prop(name, value):
    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


def main():
    port, source, target, filter_name, password = sys.argv[1:6]
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(60):
        try:
            context = resolver.resolve(
                f"uno:socket,host=127.0.0.1,port={port};urp;StarOffice.ComponentContext")
            break
        except Exception:  # LibreOffice is still starting
            time.sleep(0.5)
    else:
        sys.exit("cannot reach LibreOffice")
    desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
    document = desktop.loadComponentFromURL(
        pathlib.Path(source).resolve().as_uri(), "_blank", 0, (prop("Hidden", True),))
    document.storeAsURL(pathlib.Path(target).resolve().as_uri(),
                        (prop("FilterName", filter_name), prop("Password", password)))
    document.close(True)


if __name__ == "__main__":
    main()
