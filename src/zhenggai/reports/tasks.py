from django_tasks import task

from zhenggai.reports.services import export_run


@task()
def export_ledgers(job_id: int) -> None:
    """Background: write a large ledger export (the job's requester downloads it when done)."""
    export_run(job_id)
