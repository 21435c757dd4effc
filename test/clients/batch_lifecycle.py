"""Microsoft's Python SDK for Azure Batch (Debian's python3-azure: azure.batch 13.0.1, unmodified) through a
whole lifecycle against the account in the environment (BATCH_URL, BATCH_ACCOUNT, BATCH_KEY; inputs in
CONTAINER_SAS_URL, BLOB_SAS_URL, HTTP_URL). Each step prints one JSON line {"step", "ok", "error"}; later steps
run even when one fails, so a run reports every failure. Run with /usr/bin/python3 (it sees Debian's packages).
"""
import base64
import datetime
import json
import os
import sys
import time
import traceback
import urllib.parse

import azure.batch.models as m
from azure.batch import BatchServiceClient
from azure.batch.batch_auth import SharedKeyCredentials

URL = os.environ["BATCH_URL"]
ACCOUNT = os.environ["BATCH_ACCOUNT"]
KEY = os.environ["BATCH_KEY"]
CONTAINER = os.environ["CONTAINER_SAS_URL"]
BLOB = os.environ["BLOB_SAS_URL"]
HTTP = os.environ["HTTP_URL"]
IMAGE = m.ImageReference(publisher="canonical", offer="0001-com-ubuntu-server-jammy", sku="22_04-lts", version="latest")

client = BatchServiceClient(SharedKeyCredentials(ACCOUNT, KEY), batch_url=URL)
failed = 0


def step(name):
    def run(fn):
        global failed
        try:
            fn()
            print(json.dumps({"step": name, "ok": True}), flush=True)
        except Exception as e:  # noqa: BLE001 - every failure is reported as that step's result
            failed += 1
            detail = f"{type(e).__name__}: {e}\n{traceback.format_exc(limit=3)}"
            print(json.dumps({"step": name, "ok": False, "error": detail}), flush=True)
        return fn

    return run


def wait_for(what, check, timeout=20.0):
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not happen within {timeout} s")
        time.sleep(0.05)  # polling, as a client of the service does


def completed(job, task):
    def done():
        t = client.task.get(job, task)
        return t if t.state == m.TaskState.completed else None

    return wait_for(f"{job}/{task} completed", done)


def read(job, task, path, ocp_range=None):
    opts = m.FileGetFromTaskOptions(ocp_range=ocp_range) if ocp_range else None
    return b"".join(client.file.get_from_task(job, task, path, file_get_from_task_options=opts)).decode()


def fails_with(status, code, call):
    try:
        call()
    except m.BatchErrorException as e:
        got = (e.response.status_code, e.error.code)
        if got != (status, code):
            raise AssertionError(f"expected {status} {code}, got {got}") from e
        return
    raise AssertionError(f"expected {status} {code}, and the call succeeded")


def expect(cond, message):
    if not cond:
        raise AssertionError(message)


def blob_in(container_url, name):
    u = urllib.parse.urlsplit(container_url)
    return urllib.parse.urlunsplit((u.scheme, u.netloc, f"{u.path}/{name}", u.query, ""))


@step("pool add")
def _():
    vm = m.VirtualMachineConfiguration(image_reference=IMAGE, node_agent_sku_id="batch.node.ubuntu 22.04")
    r = client.pool.add(
        m.PoolAddParameter(
            id="py", vm_size="standard_d2s_v3", virtual_machine_configuration=vm, target_dedicated_nodes=2
        ),
        raw=True,
    )
    expect(r.response.status_code == 201, f"status {r.response.status_code}")
    for h in ("ETag", "Last-Modified", "DataServiceVersion", "Location", "request-id"):
        expect(r.response.headers.get(h), f"no {h} header")


@step("pool exists, reads its image back, reaches 2 nodes")
def _():
    expect(client.pool.exists("py"), "pool does not exist")
    p = wait_for(
        "pool py steady with 2 nodes",
        lambda: (x := client.pool.get("py")).allocation_state == m.AllocationState.steady
        and x.current_dedicated_nodes == 2
        and x,
    )
    ref = p.virtual_machine_configuration.image_reference
    expect((ref.publisher, ref.offer, ref.sku) == (IMAGE.publisher, IMAGE.offer, IMAGE.sku), f"image {ref}")


@step("job add")
def _():
    client.job.add(m.JobAddParameter(id="job1", pool_info=m.PoolInformation(pool_id="py")))
    expect(client.job.get("job1").state == m.JobState.active, "job not active")


@step("task with resource files")
def _():
    files = [
        m.ResourceFile(http_url=BLOB, file_path="a.txt", file_mode="0640"),
        m.ResourceFile(storage_container_url=CONTAINER, blob_prefix="inputs/", file_path="in"),
        m.ResourceFile(http_url=HTTP, file_path="served.txt"),
    ]
    cmd = "/bin/bash -c 'cat a.txt in/inputs/b.txt served.txt; stat -c %a a.txt'"
    client.task.add("job1", m.TaskAddParameter(id="files", command_line=cmd, resource_files=files))
    t = completed("job1", "files")
    expect(t.execution_info.exit_code == 0, f"exit {t.execution_info.exit_code}: {t.execution_info.failure_info}")
    out = read("job1", "files", "stdout.txt")
    expect(out == "alpha\nbravo\nserved over http\n640\n", repr(out))


@step("ranged read")
def _():
    expect(read("job1", "files", "stdout.txt", "bytes=6-10") == "bravo", "range")
    props = client.file.get_properties_from_task("job1", "files", "stdout.txt", raw=True)
    expect(int(props.headers["Content-Length"]) > 10, "size")


@step("failed resource file fetch")
def _():
    files = [m.ResourceFile(http_url=blob_in(CONTAINER, "inputs/none.txt"), file_path="x.txt")]
    client.task.add("job1", m.TaskAddParameter(id="missing", command_line="/bin/true", resource_files=files))
    info = completed("job1", "missing").execution_info
    expect(info.result == m.TaskExecutionResult.failure, f"result {info.result}")
    expect(info.failure_info.code == "BlobNotFound", f"failure {info.failure_info}")


@step("task collection")
def _():
    tasks = [m.TaskAddParameter(id=f"c{i}", command_line=f"/bin/echo {i}") for i in range(3)]
    tasks.append(m.TaskAddParameter(id="files", command_line="/bin/true"))
    r = client.task.add_collection("job1", tasks)
    by_id = {x.task_id: x for x in r.value}
    expect(all(by_id[f"c{i}"].status == m.TaskAddStatus.success for i in range(3)), "collection")
    expect(by_id["files"].status == m.TaskAddStatus.client_error and by_id["files"].error.code == "TaskExists", "dup")
    completed("job1", "c2")
    expect(read("job1", "c2", "stdout.txt") == "2\n", "c2 output")


@step("multi-instance task with subtasks")
def _():
    mi = m.MultiInstanceSettings(number_of_instances=2, coordination_command_line="/bin/true")
    client.task.add("job1", m.TaskAddParameter(id="mpi", command_line="/bin/true", multi_instance_settings=mi))
    completed("job1", "mpi")
    subs = client.task.list_subtasks("job1", "mpi").value
    expect([s.id for s in subs] == [1], f"subtasks {subs}")
    expect(subs[0].state == m.SubtaskState.completed and subs[0].exit_code == 0, f"subtask {subs[0]}")


@step("task list and file list")
def _():
    ids = sorted(t.id for t in client.task.list("job1"))
    expect(ids == ["c0", "c1", "c2", "files", "missing", "mpi"], f"tasks {ids}")
    names = {f.name for f in client.file.list_from_task("job1", "files", recursive=True)}
    expect({"stdout.txt", "wd/a.txt", "wd/in/inputs/b.txt"} <= names, f"files {names}")


@step("auto-scale with autoScaleRun")
def _():
    client.pool.enable_auto_scale(
        "py",
        auto_scale_formula="$TargetDedicatedNodes = 2;",
        auto_scale_evaluation_interval=datetime.timedelta(minutes=5),
    )
    p = client.pool.get("py")
    expect(p.enable_auto_scale and p.auto_scale_run is not None, "no autoScaleRun")
    expect("$TargetDedicatedNodes=2" in p.auto_scale_run.results, p.auto_scale_run.results)
    run = client.pool.evaluate_auto_scale("py", "$TargetDedicatedNodes = 1;")
    expect("$TargetDedicatedNodes=1" in run.results, run.results)
    client.pool.disable_auto_scale("py")
    expect(not client.pool.get("py").enable_auto_scale, "still auto-scaled")


@step("paging with maxresults")
def _():
    client.job.add(m.JobAddParameter(id="job2", pool_info=m.PoolInformation(pool_id="py")))
    pages = client.job.list(job_list_options=m.JobListOptions(max_results=1))
    first = pages.advance_page()
    expect(len(first) == 1 and pages.next_link, "first page")
    ids = sorted(j.id for j in client.job.list(job_list_options=m.JobListOptions(max_results=1)))
    expect(ids == ["job1", "job2"], f"jobs {ids}")


@step("errors 404 409 403 412")
def _():
    fails_with(404, "JobNotFound", lambda: client.job.get("nope"))
    fails_with(409, "PoolExists", lambda: client.pool.add(m.PoolAddParameter(id="py", vm_size="standard_d2s_v3")))
    wrong = BatchServiceClient(SharedKeyCredentials(ACCOUNT, base64.b64encode(b"no").decode()), batch_url=URL)
    fails_with(403, "AuthenticationFailed", lambda: wrong.pool.get("py"))
    opts = m.JobPatchOptions(if_match="0xSTALE")
    fails_with(412, "ConditionNotMet", lambda: client.job.patch("job2", m.JobPatchParameter(priority=5), opts))


@step("pool patch and update properties")
def _():
    client.pool.patch("py", m.PoolPatchParameter(metadata=[m.MetadataItem(name="team", value="ml")]))
    expect([(x.name, x.value) for x in client.pool.get("py").metadata] == [("team", "ml")], "patched metadata")
    client.pool.update_properties(
        "py",
        m.PoolUpdatePropertiesParameter(
            certificate_references=[], application_package_references=[], metadata=[m.MetadataItem(name="t", value="o")]
        ),
    )
    expect([(x.name, x.value) for x in client.pool.get("py").metadata] == [("t", "o")], "replaced metadata")


@step("job disable with requeue, enable")
def _():
    client.task.add("job2", m.TaskAddParameter(id="long", command_line='/bin/bash -c "sleep 1; echo done"'))
    wait_for("long running", lambda: client.task.get("job2", "long").state == m.TaskState.running)
    client.job.disable("job2", "requeue")
    expect(client.task.get("job2", "long").state == m.TaskState.active, "not requeued")
    client.job.enable("job2")
    expect(completed("job2", "long").execution_info.exit_code == 0, "long failed")
    expect(read("job2", "long", "stdout.txt") == "done\n", "long output")


@step("reactivate a failed task")
def _():
    once = '"$AZ_BATCH_NODE_MOUNTS_DIR/once-py"'
    cmd = f"/bin/bash -c 'if [ -e {once} ]; then echo second; else touch {once}; exit 3; fi'"
    client.task.add("job2", m.TaskAddParameter(id="flaky", command_line=cmd))
    expect(completed("job2", "flaky").execution_info.exit_code == 3, "first run")
    client.task.reactivate("job2", "flaky")
    expect(completed("job2", "flaky").execution_info.exit_code == 0, "second run")


@step("job update replaces")
def _():
    client.job.update("job2", m.JobUpdateParameter(pool_info=m.PoolInformation(pool_id="py"), priority=7))
    expect(client.job.get("job2").priority == 7, "priority")


@step("task collection of 150 (the SDK sends chunks of 100)")
def _():
    # A low-priority job, so that its queued tasks wait behind everything else on the pool.
    client.job.add(m.JobAddParameter(id="bulk", pool_info=m.PoolInformation(pool_id="py"), priority=-1000))
    tasks = [m.TaskAddParameter(id=f"b{i:03}", command_line="/bin/true") for i in range(150)]
    r = client.task.add_collection("bulk", tasks)
    expect(len(r.value) == 150 and all(x.status == m.TaskAddStatus.success for x in r.value), "bulk results")
    expect(len(list(client.task.list("bulk"))) == 150, "bulk tasks listed")
    client.job.terminate("bulk")
    wait_for("bulk completed", lambda: client.job.get("bulk").state == m.JobState.completed)


@step("terminate, delete jobs and pool")
def _():
    client.job.terminate("job2")
    wait_for("job2 completed", lambda: client.job.get("job2").state == m.JobState.completed)
    for job in ("job1", "job2", "bulk"):
        client.job.delete(job)
    wait_for("jobs gone", lambda: not list(client.job.list()))
    client.pool.delete("py")
    wait_for("pool gone", lambda: not client.pool.exists("py"))


sys.exit(1 if failed else 0)
