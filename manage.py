#!/usr/bin/env python
"""Django's command-line entry point for the production engine."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "production.settings")
    from django.core.management import execute_from_command_line

    from production import tenant_scope

    # Operator commands and workers serve every client; a step narrows to its job's client.
    tenant_scope.set_process_default(tenant_scope.ALL)
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
