"""Microsoft's Python SDK for Batch AI (Debian's python3-azure: azure-mgmt-batchai 7.0.0b1, unmodified) through a
lifecycle against the engine's ARM endpoint (ARM_URL, SUBSCRIPTION). The SDK's bearer-token policy refuses plain
http; the engine listens on 127.0.0.1 over http, so the policy is azure-core's own BearerTokenCredentialPolicy
with enforce_https=False (the option azure-core documents for this), and any token. Each step prints one JSON
line {"step", "ok", "error"}; later steps run even when one fails. Run with /usr/bin/python3.
"""
import json
import os
import sys
import time
import traceback
import urllib.request

from azure.core.credentials import AccessToken
from azure.core.exceptions import ResourceNotFoundError
from azure.core.pipeline.policies import BearerTokenCredentialPolicy
from azure.mgmt.batchai import BatchAI
import azure.mgmt.batchai.models as m

URL = os.environ["ARM_URL"]
SUB = os.environ["SUBSCRIPTION"]
RG, WS, EXP = "sdk_rg", "sdk_ws", "sdk_exp"


class AnyToken:
    def get_token(self, *scopes, **kwargs):
        return AccessToken("local-engine-accepts-any-token", int(time.time()) + 3600)


class LoopbackBearerPolicy(BearerTokenCredentialPolicy):
    """The SDK's bearer policy, told that plain http is fine here (the engine is on 127.0.0.1 only)."""

    def on_request(self, request):
        request.context.options["enforce_https"] = False
        super().on_request(request)


SCOPE = "https://management.azure.com/.default"
client = BatchAI(
    AnyToken(),
    SUB,
    base_url=URL,
    authentication_policy=LoopbackBearerPolicy(AnyToken(), SCOPE),
    polling_interval=0.05,
)
failed = 0
AFS = m.MountVolumes(
    azure_file_shares=[
        m.AzureFileShareReference(
            account_name="local",
            azure_file_url="https://local.file.core.windows.net/share1",
            credentials=m.AzureStorageCredentialsInfo(account_key="bG9jYWwtZW5naW5lLWFjY291bnQta2V5"),
            relative_mount_path="afs",
        )
    ]
)


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


def expect(cond, message):
    if not cond:
        raise AssertionError(message)


def job_params(cluster_id, command):
    return m.JobCreateParameters(
        cluster=m.ResourceId(id=cluster_id),
        node_count=1,
        mount_volumes=AFS,
        std_out_err_path_prefix="$AZ_BATCHAI_JOB_MOUNT_ROOT/afs",
        output_directories=[m.OutputDirectory(id="MODEL", path_prefix="$AZ_BATCHAI_JOB_TEMP")],
        custom_toolkit_settings=m.CustomToolkitSettings(command_line=command),
    )


@step("workspace create and get")
def _():
    client.workspaces.begin_create(RG, WS, m.WorkspaceCreateParameters(location="eastus")).result()
    expect(client.workspaces.get(RG, WS).provisioning_state == "succeeded", "workspace not succeeded")


@step("experiment create")
def _():
    client.experiments.begin_create(RG, WS, EXP).result()
    expect([e.name for e in client.experiments.list_by_workspace(RG, WS)] == [EXP], "experiments")


@step("cluster create, steady with 1 node")
def _():
    params = m.ClusterCreateParameters(
        vm_size="STANDARD_NC6",
        scale_settings=m.ScaleSettings(manual=m.ManualScaleSettings(target_node_count=1)),
        user_account_settings=m.UserAccountSettings(admin_user_name="u", admin_user_password="p4ss!word"),
    )
    client.clusters.begin_create(RG, WS, "c1", params).result()
    wait_for(
        "cluster steady with 1 node",
        lambda: (c := client.clusters.get(RG, WS, "c1")).allocation_state == "steady" and c.current_node_count == 1,
    )


@step("job runs to success with $AZ_BATCHAI_* paths")
def _():
    cluster = client.clusters.get(RG, WS, "c1")
    cmd = "echo hello from $AZ_BATCHAI_JOB_NAME; echo m > $AZ_BATCHAI_OUTPUT_MODEL/m.txt"
    client.jobs.begin_create(RG, WS, EXP, "job1", job_params(cluster.id, cmd)).result()
    def finished():
        j = client.jobs.get(RG, WS, EXP, "job1")
        return j if j.execution_state in ("succeeded", "failed") else None

    job = wait_for("job1 finished", finished)
    expect(job.execution_state == "succeeded", f"state {job.execution_state}: {job.execution_info}")
    expect(job.execution_info.exit_code == 0, f"exit {job.execution_info.exit_code}")


@step("output files: stdout.txt by its download URL")
def _():
    opts = m.JobsListOutputFilesOptions(outputdirectoryid="stdouterr", linkexpiryinminutes=5)
    files = {f.name: f for f in client.jobs.list_output_files(RG, WS, EXP, "job1", opts)}
    expect({"stdout.txt", "stderr.txt"} <= set(files), f"files {sorted(files)}")
    with urllib.request.urlopen(files["stdout.txt"].download_url) as r:
        body = r.read().decode()
    expect(body == "hello from job1\n", repr(body))


@step("job list by experiment")
def _():
    expect([j.name for j in client.jobs.list_by_experiment(RG, WS, EXP)] == ["job1"], "jobs")


@step("terminate a running job")
def _():
    cluster = client.clusters.get(RG, WS, "c1")
    client.jobs.begin_create(RG, WS, EXP, "sleeper", job_params(cluster.id, "sleep 60")).result()
    wait_for("sleeper running", lambda: client.jobs.get(RG, WS, EXP, "sleeper").execution_state == "running")
    client.jobs.begin_terminate(RG, WS, EXP, "sleeper").result()
    state = client.jobs.get(RG, WS, EXP, "sleeper").execution_state
    expect(state == "failed", f"state {state}")


@step("cluster update to auto-scale")
def _():
    scale = m.ScaleSettings(auto_scale=m.AutoScaleSettings(minimum_node_count=0, maximum_node_count=2))
    c = client.clusters.update(RG, WS, "c1", m.ClusterUpdateParameters(scale_settings=scale))
    expect(c.scale_settings.auto_scale.maximum_node_count == 2, f"scale {c.scale_settings}")


@step("usages and operations")
def _():
    expect(any(True for _ in client.usages.list("eastus")), "no usages")
    expect(any(o.name.startswith("Microsoft.BatchAI/") for o in client.operations.list()), "no operations")


@step("404 on a job that does not exist")
def _():
    try:
        client.jobs.get(RG, WS, EXP, "nope")
    except ResourceNotFoundError as e:
        expect(e.status_code == 404, f"status {e.status_code}")
        return
    raise AssertionError("expected ResourceNotFoundError")


@step("delete jobs, cluster, experiment, workspace")
def _():
    for job in ("job1", "sleeper"):
        client.jobs.begin_delete(RG, WS, EXP, job).result()
    client.clusters.begin_delete(RG, WS, "c1").result()
    client.experiments.begin_delete(RG, WS, EXP).result()
    client.workspaces.begin_delete(RG, WS).result()
    expect([w.name for w in client.workspaces.list()] == [], "workspaces left")


sys.exit(1 if failed else 0)
