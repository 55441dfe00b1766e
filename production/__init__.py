"""The Django project and the shared kernel: settings, tenancy, roles and the launcher."""
