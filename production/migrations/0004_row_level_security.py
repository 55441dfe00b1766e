"""PostgreSQL row-level security on every tenant table (see production.tenant_scope).

A row is visible when its client is in the connection's `app.tenant_scope`; rows that belong
to a job, a request or a webhook message follow their parent through a subquery, which the
parent's own policy filters. FORCE applies the policies to the tables' owner as well.
"""

from django.db import migrations

SEES_ALL = """
CREATE OR REPLACE FUNCTION app_tenant_sees_all() RETURNS boolean
LANGUAGE sql STABLE AS $$ SELECT current_setting('app.tenant_scope', true) = '*' $$;
"""

VISIBLE = """
CREATE OR REPLACE FUNCTION app_tenant_visible(client uuid) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT CASE coalesce(current_setting('app.tenant_scope', true), '')
    WHEN '*' THEN true
    WHEN '' THEN false
    ELSE client = ANY (string_to_array(current_setting('app.tenant_scope', true), ',')::uuid[])
  END
$$;
"""


def _through(column: str, parent: str) -> str:
    return f"app_tenant_sees_all() OR {column} IN (SELECT id FROM {parent})"


OF_CLIENT = "app_tenant_visible(client_id)"
OF_JOB = _through("job_id", "jobs_productionjob")

# Table -> the condition a row must meet to be seen or written.
POLICIES = {
    "production_client": "app_tenant_visible(id)",
    "production_membership": OF_CLIENT,
    "production_brandasset": OF_CLIENT,
    # Templates without a client are the global presets every client uses.
    "jobs_jobtemplate": f"client_id IS NULL OR {OF_CLIENT}",
    "jobs_productionjob": OF_CLIENT,
    "jobs_manifest": OF_CLIENT,
    "jobs_jobevent": OF_JOB,
    "jobs_output": OF_JOB,
    "jobs_steprun": OF_JOB,
    "approvals_approverrole": OF_CLIENT,
    "approvals_reviewstage": OF_CLIENT,
    "approvals_approvalrequest": OF_JOB,
    "approvals_claimresolution": OF_JOB,
    "approvals_comment": OF_JOB,
    "approvals_guestlink": OF_JOB,
    "approvals_stageapproval": _through("request_id", "approvals_approvalrequest"),
    "approvals_outputdecision": _through("request_id", "approvals_approvalrequest"),
    "operations_webhookendpoint": OF_CLIENT,
    "operations_webhookmessage": OF_CLIENT,
    "operations_webhookdelivery": _through("message_id", "operations_webhookmessage"),
    "operations_webhookattempt": _through("delivery_id", "operations_webhookdelivery"),
    "operations_clientbudget": OF_CLIENT,
    "operations_retentionpolicy": OF_CLIENT,
    # A notification about no job (a digest, say) is its user's alone, as the code filters.
    "notifications_notification": f"job_id IS NULL OR {OF_JOB}",
    "publishing_connection": OF_CLIENT,
    "publishing_publication": OF_CLIENT,
}


def enable(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(SEES_ALL)
    schema_editor.execute(VISIBLE)
    for table, condition in POLICIES.items():
        schema_editor.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        schema_editor.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        schema_editor.execute(f"CREATE POLICY tenant_scope ON {table} USING ({condition})")


def disable(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in POLICIES:
        schema_editor.execute(f"DROP POLICY IF EXISTS tenant_scope ON {table}")
        schema_editor.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
        schema_editor.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
    schema_editor.execute("DROP FUNCTION IF EXISTS app_tenant_visible(uuid)")
    schema_editor.execute("DROP FUNCTION IF EXISTS app_tenant_sees_all()")


class Migration(migrations.Migration):
    dependencies = [
        ("production", "0003_apitoken_expires_at"),
        ("jobs", "0003_production_workflows"),
        ("approvals", "0012_approver_roles"),
        ("operations", "0008_published_webhook_event"),
        ("notifications", "0002_digest_run"),
        ("publishing", "0002_connection_auto_publish"),
    ]

    operations = [migrations.RunPython(enable, disable)]
