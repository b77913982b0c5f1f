#!/usr/bin/python3
"""The packaged jar on a Flink session cluster, as Managed Flink runs it: started by .ci/session-cluster/test.sh.

What it does (every server on 127.0.0.1 and a free port; everything it started is stopped on exit, also on Ctrl-C):
  1. kinesalite (Kinesis) and moto (SNS, SQS) start; a 1-shard stream, an SNS topic and an SQS queue subscribed to it
     are created.
  2. A Flink session cluster starts from Flink's own artifacts: a JobManager (StandaloneSessionClusterEntrypoint) and a
     TaskManager (TaskManagerRunner) in two JVMs whose class path is the one of .ci/session-cluster/pom.xml (no project
     class), child-first class loading, RocksDB state backend with incremental checkpoints every 3 s, exactly once, the
     exponential-delay restart strategy (what Managed Flink sets for Flink 1.19 and later).
  3. The shaded jar is uploaded through the REST API and run with ManagedFlinkJob as entry class and a properties file
     (Kinesis source at TRIM_HORIZON, JDBC SQLite sink, SNS alerts).
  4. Phase 1: EventBridge envelopes (the shape an EventBridge rule delivers to a Kinesis target, built from
     sample-data/eventbridge/) go to the stream. Checks: the completed cases' rows in lead_times with their durations
     and verdicts, the breach alert in the alerts table and on SNS (read from the SQS queue), the dead letter of a
     malformed record, no row for the cases still open.
  5. The job is stopped with a savepoint (POST /jobs/<id>/stop). Phase 2's envelopes are put while no job runs.
  6. The same jar is run again in the same cluster from the savepoint: the second submission to one JobManager (the
     JDBC driver bug made it fail with "No suitable driver found"). Checks: the cases open at the savepoint complete
     with durations measured from their phase-1 start, the breach whose deadline passed after the restore is alerted
     once, a new case is measured, phase 1 is not read again, and neither job had a failure or restart.

Exit code 0 when every check passed, 1 otherwise. Work folder kept on failure (logs of both JVMs).
Usage: scenario.py --root REPO --classpath FILE --jar JAR [--keep]
"""
import argparse
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid

import boto3

REGION = "us-east-1"
ACCOUNT = "123456789012"
ENTRY_CLASS = "io.flightcontroller.app.ManagedFlinkJob"
MEASURE = "project_lead_time"
THRESHOLD_MS = 3600 * 1000
T0 = time.monotonic()

# The JVM options flink-dist's config.yaml sets for Java 17 (env.java.opts.all of Flink 1.20).
JAVA17_OPTS = [
    "--add-exports=java.base/sun.net.util=ALL-UNNAMED", "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
    "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.net=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
    "--add-opens=java.base/java.text=ALL-UNNAMED", "--add-opens=java.base/java.time=ALL-UNNAMED",
    "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
    "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
    "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED",
]


class CheckFailed(Exception):
    pass


def log(msg):
    print(f"[{time.monotonic() - T0:6.1f}s] {msg}", flush=True)


RESULTS = []


def check(name, ok, detail=""):
    RESULTS.append((name, bool(ok)))
    print(("PASS " if ok else "FAIL ") + name + ("" if ok or not detail else f": {detail}"), flush=True)
    return ok


def require(name, ok, detail=""):
    if not check(name, ok, detail):
        raise CheckFailed(name)


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(what, fn, timeout, interval=0.5):
    """Calls fn until it returns a truthy value; returns it, or None after timeout seconds."""
    deadline = time.monotonic() + timeout
    while True:
        v = fn()
        if v:
            return v
        if time.monotonic() > deadline:
            log(f"gave up waiting for {what} after {timeout} s")
            return None
        time.sleep(interval)


class Processes:
    """Children in their own process groups, stopped (TERM, then KILL after 5 s) in reverse order."""

    def __init__(self):
        self.children = []

    def start(self, name, args, log_path, env=None, cwd=None):
        out = open(log_path, "wb")
        p = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=cwd, start_new_session=True)
        self.children.append((name, p, out))
        log(f"started {name} (pid {p.pid})")
        return p

    def alive(self, name):
        return any(n == name and p.poll() is None for n, p, _ in self.children)

    def stop_all(self):
        for name, p, out in reversed(self.children):
            if p.poll() is None:
                try:
                    os.killpg(p.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        deadline = time.monotonic() + 5
        for name, p, out in reversed(self.children):
            try:
                p.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(p.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                p.wait()
            out.close()
        self.children = []


# ---------------------------------------------------------------------------------------------------------------- HTTP

def rest_error(status, r):
    """A REST answer shortened to its status and the 'Caused by' chain of the error it carries."""
    if isinstance(r, dict) and r.get("errors"):
        lines = str(r["errors"][0]).splitlines()
        causes = [l.strip() for l in lines if l.startswith("Caused by:")]
        return f"{status}: {lines[0]} | " + " | ".join(causes[-4:])
    return f"{status}: {r}"


def http(method, url, body=None, headers=None, timeout=60):
    data = None
    h = dict(headers or {})
    if body is not None and not isinstance(body, bytes):
        data = json.dumps(body).encode()
        h["Content-Type"] = "application/json"
    elif body is not None:
        data = body
    req = urllib.request.Request(url, data=data, headers=h, method=method)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            text = r.read().decode()
            return r.status, (json.loads(text) if text else None)
    except urllib.error.HTTPError as e:
        text = e.read().decode()
        try:
            return e.code, json.loads(text)
        except ValueError:
            return e.code, text
    except (urllib.error.URLError, ConnectionError, socket.timeout) as e:
        return None, str(e)


class Flink:
    def __init__(self, rest_port):
        self.base = f"http://127.0.0.1:{rest_port}"

    def get(self, path):
        return http("GET", self.base + path)

    def post(self, path, body):
        return http("POST", self.base + path, body, timeout=180)

    def upload(self, jar):
        boundary = uuid.uuid4().hex
        with open(jar, "rb") as f:
            content = f.read()
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
                f"{os.path.basename(jar)}\"\r\nContent-Type: application/x-java-archive\r\n\r\n").encode() \
            + content + f"\r\n--{boundary}--\r\n".encode()
        status, r = http("POST", self.base + "/jars/upload", body,
                         {"Content-Type": f"multipart/form-data; boundary={boundary}"}, timeout=300)
        if status != 200 or not isinstance(r, dict) or r.get("status") != "success":
            raise CheckFailed(f"jar upload answered {status}: {r}")
        return os.path.basename(r["filename"])

    def run(self, jar_id, args, savepoint=None):
        body = {"entryClass": ENTRY_CLASS, "programArgsList": args}
        if savepoint:
            body["savepointPath"] = savepoint
            body["allowNonRestoredState"] = False
        return self.post(f"/jars/{jar_id}/run", body)

    def job(self, job_id):
        status, r = self.get(f"/jobs/{job_id}")
        return r if status == 200 else None

    def all_running(self, job_id):
        j = self.job(job_id)
        return j is not None and j["state"] == "RUNNING" and all(v["status"] == "RUNNING" for v in j["vertices"])

    def failures(self, job_id):
        """Root exception and exception history of a job (empty when it never failed or restarted)."""
        status, r = self.get(f"/jobs/{job_id}/exceptions")
        if status != 200:
            return [f"GET /jobs/{job_id}/exceptions answered {status}"]
        found = []
        if r.get("root-exception"):
            found.append(r["root-exception"].splitlines()[0])
        for e in (r.get("exceptionHistory") or {}).get("entries", []):
            found.append((e.get("exceptionName") or "") + ": " + (e.get("stacktrace") or "").splitlines()[0])
        return found

    def restarts(self, job_id):
        status, r = self.get(f"/jobs/{job_id}/metrics?get=numRestarts")
        if status == 200 and r:
            return int(float(r[0]["value"]))
        return None


# ------------------------------------------------------------------------------------------------------------- servers

def start_kinesalite(procs, root, work):
    pkg = os.path.join(root, ".ci/cache/node/node_modules/kinesalite")
    if not os.path.isfile(os.path.join(pkg, "index.js")):
        raise CheckFailed(f"kinesalite is not installed at {pkg}: run .ci/install-kinesalite.sh")
    port = free_port()
    script = (f"const k=require({json.dumps(pkg)});"
              "const s=k({createStreamMs:50,deleteStreamMs:50,updateStreamMs:50,shardLimit:10});"
              f"s.listen({port},'127.0.0.1',()=>console.log('kinesalite listening on {port}'));")
    procs.start("kinesalite", ["node", "-e", script], os.path.join(work, "log", "kinesalite.log"))
    return port


def start_moto(procs, root, work):
    pp = os.path.join(root, ".ci/cache/moto/pythonpath")
    if not os.path.isfile(pp):
        raise CheckFailed(f"moto is not installed ({pp} missing): run .ci/install-moto.sh")
    port = free_port()
    env = dict(os.environ, PYTHONPATH=open(pp).read().strip(), PYTHONDONTWRITEBYTECODE="1")
    procs.start("moto", ["/usr/bin/python3", os.path.join(root, ".ci/moto/fc_moto_server.py"), "-H", "127.0.0.1",
                         "-p", str(port)], os.path.join(work, "log", "moto.log"), env=env)
    return port


def wait_listening(name, port, procs, timeout=60):
    def up():
        if not procs.alive(name):
            raise CheckFailed(f"{name} exited (see its log)")
        with socket.socket() as s:
            s.settimeout(0.3)
            return s.connect_ex(("127.0.0.1", port)) == 0
    if not wait_for(f"{name} on port {port}", up, timeout, 0.2):
        raise CheckFailed(f"{name} did not listen on {port} within {timeout} s")


def write_cluster_config(conf, work, rest_port, rpc_port):
    os.makedirs(conf, exist_ok=True)
    settings = {
        # loopback only, fixed ports where the other process must know them, free ones elsewhere
        "jobmanager.rpc.address": "127.0.0.1", "jobmanager.bind-host": "127.0.0.1",
        "jobmanager.rpc.port": rpc_port, "rest.address": "127.0.0.1", "rest.bind-address": "127.0.0.1",
        "rest.port": rest_port, "taskmanager.host": "127.0.0.1", "taskmanager.bind-host": "127.0.0.1",
        "taskmanager.rpc.port": 0, "taskmanager.data.port": 0, "blob.server.port": 0,
        "metrics.internal.query-service.port": 0,
        # user jars as on Managed Flink: child-first class loading
        "classloader.resolve-order": "child-first",
        # what the service sets: RocksDB, incremental snapshots, local recovery, exactly once, exponential delay
        "state.backend.type": "rocksdb", "execution.checkpointing.incremental": True,
        "execution.checkpointing.local-backup.enabled": True,
        "execution.checkpointing.interval": "3 s", "execution.checkpointing.min-pause": "1 s",
        "execution.checkpointing.mode": "EXACTLY_ONCE",
        "execution.checkpointing.dir": "file://" + os.path.join(work, "checkpoints"),
        "execution.checkpointing.savepoint-dir": "file://" + os.path.join(work, "savepoints"),
        "restart-strategy.type": "exponential-delay",
        "parallelism.default": 2, "taskmanager.numberOfTaskSlots": 2,
        # a TaskManager started without Flink's scripts needs its resources spelled out (the scripts compute these)
        "taskmanager.cpu.cores": 2, "taskmanager.memory.framework.heap.size": "128m",
        "taskmanager.memory.task.heap.size": "256m", "taskmanager.memory.task.off-heap.size": "0m",
        "taskmanager.memory.framework.off-heap.size": "128m", "taskmanager.memory.network.min": "64m",
        "taskmanager.memory.network.max": "64m", "taskmanager.memory.managed.size": "256m",
        "taskmanager.memory.jvm-metaspace.size": "256m", "taskmanager.memory.jvm-overhead.min": "192m",
        "taskmanager.memory.jvm-overhead.max": "192m",
        "io.tmp.dirs": os.path.join(work, "tmp"), "web.upload.dir": os.path.join(work, "upload"),
        "blob.storage.directory": os.path.join(work, "blob"),
        "taskmanager.state.local.root-dirs": os.path.join(work, "local-state"),
        "heartbeat.timeout": 60000,
    }
    with open(os.path.join(conf, "config.yaml"), "w") as f:
        for k, v in settings.items():
            f.write(f"{k}: {json.dumps(v) if isinstance(v, (bool, int)) else json.dumps(str(v))}\n")
    with open(os.path.join(conf, "log4j.properties"), "w") as f:
        f.write("rootLogger.level = INFO\nrootLogger.appenderRef.file.ref = MainAppender\n"
                "appender.main.name = MainAppender\nappender.main.type = File\n"
                "appender.main.fileName = ${sys:log.file}\nappender.main.layout.type = PatternLayout\n"
                "appender.main.layout.pattern = %d{HH:mm:ss,SSS} %-5p %-60c %x - %m%n\n")


def start_cluster(procs, classpath, conf, work):
    java = os.path.join(os.environ["JAVA_HOME"], "bin", "java") if os.environ.get("JAVA_HOME") else "java"
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_") and k != "CLASSPATH"}
    env.update(AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing", AWS_REGION=REGION,
               AWS_CBOR_DISABLE="true")
    for name, main in (("jobmanager", "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint"),
                       ("taskmanager", "org.apache.flink.runtime.taskexecutor.TaskManagerRunner")):
        logfile = os.path.join(work, "log", name + ".log")
        procs.start(name, [java, "-Xmx512m", "-XX:+UseSerialGC", *JAVA17_OPTS, "-Dlog.file=" + logfile,
                           "-Dlog4j.configurationFile=file:" + os.path.join(conf, "log4j.properties"),
                           "-cp", classpath, main, "--configDir", conf],
                    os.path.join(work, "log", name + ".out"), env=env, cwd=work)


# -------------------------------------------------------------------------------------------------------------- events

def iso(epoch_s):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch_s))


def envelope(templates, cid, event_type, epoch_s):
    """An EventBridge event as a rule delivers it to a Kinesis target, built from sample-data/eventbridge/."""
    t = templates.get(event_type) or templates["project_requested"]
    detail = json.loads(t["Detail"])
    detail.update(correlation_id=cid, event_type=event_type, time=iso(epoch_s))
    return {"version": "0", "id": str(uuid.uuid4()), "detail-type": event_type, "source": t["Source"],
            "account": ACCOUNT, "time": iso(epoch_s), "region": REGION, "resources": [], "detail": detail}


def put(kinesis, stream, records):
    for r in records:
        data = r if isinstance(r, bytes) else json.dumps(r).encode()
        key = r["detail"]["correlation_id"] if isinstance(r, dict) else "bad"
        kinesis.put_record(StreamName=stream, Data=data, PartitionKey=key)


# ------------------------------------------------------------------------------------------------------------- results

def query(db, sql, args=()):
    if not os.path.exists(db):
        return []
    try:
        with sqlite3.connect(db, timeout=10) as c:
            return c.execute(sql, args).fetchall()
    except sqlite3.OperationalError:
        return []  # tables not there yet


def lead_rows(db):
    return {r[0]: (r[1], r[2], r[3], r[4]) for r in query(
        db, "SELECT correlation_id, start_time, end_time, duration_ms, good FROM lead_times WHERE measure = ?",
        (MEASURE,))}


def breach_rows(db):
    return query(db, "SELECT correlation_id, deadline, observed_lead_ms FROM alerts WHERE kind = 'BREACH'")


class SnsInbox:
    """Alerts published to the SNS topic, read from the SQS queue subscribed to it."""

    def __init__(self, sqs, queue_url):
        self.sqs, self.queue_url, self.alerts = sqs, queue_url, []

    def poll(self):
        r = self.sqs.receive_message(QueueUrl=self.queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=1)
        for m in r.get("Messages", []):
            note = json.loads(m["Body"])
            alert = json.loads(note["Message"])
            alert["_attributes"] = {k: v.get("Value") for k, v in (note.get("MessageAttributes") or {}).items()}
            self.alerts.append(alert)
            self.sqs.delete_message(QueueUrl=self.queue_url, ReceiptHandle=m["ReceiptHandle"])
        return self.alerts

    def breaches(self, cid):
        return [a for a in self.alerts if a.get("kind") == "breach" and a.get("correlation_id") == cid]


def expect_leads(db, cases, timeout):
    """Waits until every case has its lead row; checks each row's times, duration and verdict."""
    rows = wait_for("lead rows of " + ", ".join(cases), lambda: (lambda r: r if all(c in r for c in cases) else None)(
        lead_rows(db)), timeout) or lead_rows(db)
    for cid, (start, end) in cases.items():
        want_ms = (end - start) * 1000
        want_good = 1 if want_ms <= THRESHOLD_MS else 0
        got = rows.get(cid)
        check(f"lead_times row {cid}: {want_ms // 60000} min, good={want_good}",
              got == (iso(start), iso(end), want_ms, want_good),
              f"expected {(iso(start), iso(end), want_ms, want_good)}, got {got}")


def expect_breach_alert(db, inbox, cid, start, timeout):
    deadline_iso = iso(start + THRESHOLD_MS // 1000)
    rows = wait_for(f"breach alert row {cid}", lambda: [r for r in breach_rows(db) if r[0] == cid], timeout) or []
    check(f"alerts table: BREACH for {cid} at its deadline {deadline_iso}, observed lead 1 h",
          rows == [(cid, deadline_iso, THRESHOLD_MS)], f"got {rows}")
    got = wait_for(f"SNS breach alert {cid}", lambda: inbox.poll() and inbox.breaches(cid), timeout) or []
    check(f"SNS: breach alert for {cid} received by the subscribed queue", len(got) >= 1,
          f"received {len(inbox.alerts)} alerts: {[(a.get('kind'), a.get('correlation_id')) for a in inbox.alerts]}")
    if got:
        a = got[0]
        check(f"SNS: alert {cid} carries measure, deadline, alert_id and the severity/measure/kind attributes",
              a.get("measure") == MEASURE and a.get("deadline") == deadline_iso and a.get("alert_id")
              and a["_attributes"].get("measure") == MEASURE and a["_attributes"].get("kind") == "breach"
              and "severity" in a["_attributes"], f"got {a}")
    return got


# ---------------------------------------------------------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", required=True)
    ap.add_argument("--classpath", required=True, help="file with the cluster's class path (one line)")
    ap.add_argument("--jar", required=True)
    ap.add_argument("--keep", action="store_true", help="keep the work folder")
    ap.add_argument("--state-layout", default="per_measure", choices=["per_measure", "per_correlation_id"],
                    help="the job's FlightController.Measures.state.layout (default per_measure)")
    a = ap.parse_args()

    classpath = open(a.classpath).read().strip()
    entries = classpath.split(os.pathsep)
    require("cluster class path: Flink's artifacts only, no project class",
            all(os.path.isfile(e) and e.endswith(".jar") for e in entries)
            and not any("flight-controller" in os.path.basename(e) or e.startswith(a.root) for e in entries)
            and any("flink-runtime-1." in e for e in entries) and any("flink-statebackend-rocksdb" in e for e in entries),
            f"{len(entries)} entries")

    work = tempfile.mkdtemp(prefix="fc-session-cluster-")
    os.makedirs(os.path.join(work, "log"))
    procs = Processes()
    timings = {}

    def on_signal(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")
    for s in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(s, on_signal)

    ok = False
    try:
        ok = scenario(a, classpath, work, procs, timings)
    except CheckFailed as e:
        if not RESULTS or RESULTS[-1] != (str(e), False):
            check(str(e), False)
    except KeyboardInterrupt as e:
        check("not interrupted", False, str(e) or "Ctrl-C")
    finally:
        procs.stop_all()
    passed = sum(1 for _, r in RESULTS if r)
    failed = [n for n, r in RESULTS if not r]
    ok = ok and not failed
    print()
    print("timings: " + ", ".join(f"{k} {v:.1f} s" for k, v in timings.items()))
    print(f"{'PASSED' if ok else 'FAILED'}: {passed} checks passed, {len(failed)} failed"
          + ("" if ok else "; " + "; ".join(failed)))
    if ok and not a.keep:
        shutil.rmtree(work, ignore_errors=True)
    else:
        print(f"work folder (logs of both JVMs, the database, savepoints): {work}")
        if not ok:
            for name in ("jobmanager.log", "taskmanager.log"):
                path = os.path.join(work, "log", name)
                if os.path.exists(path):
                    errors = [l for l in open(path, errors="replace") if " ERROR " in l or "Exception" in l]
                    print(f"--- {name}: {len(errors)} lines with ERROR/Exception; the last 15:")
                    sys.stdout.writelines(errors[-15:])
    return 0 if ok else 1


def scenario(a, classpath, work, procs, timings):
    root = a.root
    templates = {}
    for f in os.listdir(os.path.join(root, "sample-data/eventbridge")):
        if f.endswith(".json"):
            entry = json.load(open(os.path.join(root, "sample-data/eventbridge", f)))[0]
            templates[entry["DetailType"]] = entry

    # ---- servers
    t = time.monotonic()
    kport = start_kinesalite(procs, root, work)
    mport = start_moto(procs, root, work)
    rest_port, rpc_port = free_port(), free_port()
    conf = os.path.join(work, "conf")
    write_cluster_config(conf, work, rest_port, rpc_port)
    start_cluster(procs, classpath, conf, work)
    wait_listening("kinesalite", kport, procs)
    wait_listening("moto", mport, procs)
    session = boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing", region_name=REGION)
    kinesis = session.client("kinesis", endpoint_url=f"http://127.0.0.1:{kport}")
    sns = session.client("sns", endpoint_url=f"http://127.0.0.1:{mport}")
    sqs = session.client("sqs", endpoint_url=f"http://127.0.0.1:{mport}")
    stream = "flight-controller-events"
    kinesis.create_stream(StreamName=stream, ShardCount=1)
    kinesis.get_waiter("stream_exists").wait(StreamName=stream, WaiterConfig={"Delay": 0.2, "MaxAttempts": 100})
    topic = sns.create_topic(Name="flight-controller-alerts")["TopicArn"]
    queue_url = sqs.create_queue(QueueName="alert-subscriber")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn)
    inbox = SnsInbox(sqs, queue_url)

    flink = Flink(rest_port)

    def cluster_ready():
        for name in ("jobmanager", "taskmanager"):
            if not procs.alive(name):
                raise CheckFailed(f"the {name} JVM exited (see {work}/log/{name}.log)")
        status, r = flink.get("/overview")
        return status == 200 and r.get("taskmanagers") == 1 and r.get("slots-total") == 2
    require("session cluster: JobManager and TaskManager JVMs up, 1 TaskManager with 2 slots",
            wait_for("the session cluster", cluster_ready, 120))
    status, cfg = flink.get("/jobmanager/config")
    cfg = {e["key"]: e["value"] for e in cfg} if status == 200 else {}
    check("JobManager configuration: child-first class loading, RocksDB",
          cfg.get("classloader.resolve-order") == "child-first" and cfg.get("state.backend.type") == "rocksdb",
          f"got {cfg.get('classloader.resolve-order')}, {cfg.get('state.backend.type')}")
    timings["servers and cluster up"] = time.monotonic() - t

    # ---- the jar
    t = time.monotonic()
    jar_id = flink.upload(a.jar)
    timings["jar upload"] = time.monotonic() - t
    log(f"uploaded {os.path.basename(a.jar)} ({os.path.getsize(a.jar) // (1 << 20)} MiB) as {jar_id}")
    db = os.path.join(work, "results.db")
    props = os.path.join(work, "job.properties")
    with open(props, "w") as f:
        f.write("\n".join([
            f"FlightController.Source.kinesis.stream={stream}",
            f"FlightController.Source.kinesis.region={REGION}",
            f"FlightController.Source.kinesis.endpoint=http://127.0.0.1:{kport}",
            "FlightController.Source.kinesis.initial.position=TRIM_HORIZON",
            f"FlightController.Measures.measures.location={os.path.join(root, '.ci/session-cluster/measures.yaml')}",
            f"FlightController.Measures.state.layout={a.state_layout}",
            "FlightController.Sinks.metrics.sink=jdbc",
            f"FlightController.Sinks.jdbc.url=jdbc:sqlite:{db}",
            f"FlightController.Alerts.sns.topic.arn={topic}",
            f"FlightController.Alerts.sns.endpoint=http://127.0.0.1:{mport}", ""]))

    # Event times: whole hours two days back, so that nothing is in the future (the parser's guard) and the
    # expected durations follow from the times below, not from the clock.
    base = (int(time.time()) // 3600) * 3600 - 2 * 86400
    m = 60
    p1_good, p1_bad, open_good, open_bad, p2_new = "p1-good", "p1-bad", "open-good", "open-bad", "p2-new"
    phase1 = [
        envelope(templates, p1_good, "project_requested", base),
        envelope(templates, p1_bad, "project_requested", base + 5 * m),
        envelope(templates, p1_good, "project_assigned", base + 10 * m),
        envelope(templates, p1_good, "project_created", base + 30 * m),
        envelope(templates, p1_bad, "project_created", base + 120 * m),
        envelope(templates, open_bad, "project_requested", base + 150 * m),
        envelope(templates, open_good, "project_requested", base + 180 * m),
        # two events of a type no measure uses move the watermark to about base + 3h10m: the deadlines of the two
        # open cases (base + 3h30m, base + 4h) are still ahead at the savepoint
        envelope(templates, "clock-1", "heartbeat", base + 190 * m),
        envelope(templates, "clock-2", "heartbeat", base + 190 * m + 1),
    ]
    phase2 = [
        envelope(templates, p2_new, "project_requested", base + 195 * m),
        envelope(templates, p2_new, "project_created", base + 205 * m),
        envelope(templates, open_good, "project_created", base + 220 * m),
        envelope(templates, open_bad, "project_created", base + 230 * m),
        envelope(templates, "clock-3", "heartbeat", base + 300 * m),
        envelope(templates, "clock-4", "heartbeat", base + 300 * m + 1),
    ]

    # ---- first submission
    t = time.monotonic()
    status, r = flink.run(jar_id, ["--config", props])
    require("first submission: POST /jars/<id>/run with ManagedFlinkJob starts a job", status == 200 and "jobid" in r,
            rest_error(status, r))
    job1 = r["jobid"]
    require("first job: all tasks RUNNING", wait_for("job 1 running", lambda: flink.all_running(job1), 120))
    status, plan = flink.get(f"/jobs/{job1}/plan")
    names = [n.get("description", "") for n in plan.get("plan", {}).get("nodes", [])] if status == 200 else []
    fused = any("measure by correlation id" in n for n in names)
    check(f"first job: the {a.state_layout} layout's operators (job plan)",
          fused == (a.state_layout == "per_correlation_id"), f"{status}: {names}")
    timings["first submission to running"] = time.monotonic() - t
    t = time.monotonic()
    put(kinesis, stream, phase1 + [b"this is not json"])
    expect_leads(db, {p1_good: (base, base + 30 * m), p1_bad: (base + 5 * m, base + 120 * m)}, 120)
    expect_breach_alert(db, inbox, p1_bad, base + 5 * m, 60)
    dead = wait_for("dead letter", lambda: query(db, "SELECT reason FROM dead_letters"), 30) or []
    check("dead_letters: the malformed record, reason not_json", dead == [("not_json",)], f"got {dead}")
    check("no lead row yet for the cases open at the savepoint",
          not ({open_good, open_bad} & set(lead_rows(db))), f"got {sorted(lead_rows(db))}")
    timings["phase 1: records to checked rows and alert"] = time.monotonic() - t
    completed = wait_for("a completed checkpoint", lambda: (lambda s: s[1]["counts"]["completed"] if s[0] == 200
                                                            else 0)(flink.get(f"/jobs/{job1}/checkpoints")), 30)
    check("first job: checkpoints complete (RocksDB, incremental)", completed, "none completed")

    # ---- stop with a savepoint
    t = time.monotonic()
    status, r = flink.post(f"/jobs/{job1}/stop", {"targetDirectory": "file://" + os.path.join(work, "savepoints"),
                                                    "drain": False})
    require("POST /jobs/<id>/stop accepted", status == 202 and "request-id" in r, f"{status}: {r}")
    trigger = r["request-id"]

    def savepoint_done():
        s, res = flink.get(f"/jobs/{job1}/savepoints/{trigger}")
        return res if s == 200 and res["status"]["id"] == "COMPLETED" else None
    res = wait_for("the savepoint", savepoint_done, 120) or {}
    location = (res.get("operation") or {}).get("location")
    require("savepoint completed", location, f"got {res}")
    log(f"savepoint at {location}")
    require("first job FINISHED after stop-with-savepoint",
            wait_for("job 1 finished", lambda: (flink.job(job1) or {}).get("state") == "FINISHED", 60))
    failures1, restarts1 = flink.failures(job1), flink.restarts(job1)
    check("first job: no failure and no restart", not failures1 and not restarts1,
          f"restarts {restarts1}, exceptions {failures1[:3]}")
    timings["stop with savepoint"] = time.monotonic() - t
    # events that arrive while the application is being updated
    put(kinesis, stream, phase2)

    # ---- second submission, restored
    t = time.monotonic()
    status, r = flink.run(jar_id, ["--config", props], savepoint=location)
    require("second submission of the jar to the same JobManager, restoring the savepoint, starts a job "
            "(JDBC driver found per job class loader)", status == 200 and "jobid" in r, rest_error(status, r))
    job2 = r["jobid"]
    require("second job: all tasks RUNNING", wait_for("job 2 running", lambda: flink.all_running(job2), 120))
    timings["second submission to running"] = time.monotonic() - t
    t = time.monotonic()
    expect_leads(db, {open_good: (base + 180 * m, base + 220 * m), open_bad: (base + 150 * m, base + 230 * m),
                      p2_new: (base + 195 * m, base + 205 * m)}, 120)
    expect_breach_alert(db, inbox, open_bad, base + 150 * m, 60)
    time.sleep(2)
    inbox.poll()
    check("SNS: no breach alert for open-good (completed within the hour after the restore)",
          not inbox.breaches(open_good), f"got {inbox.breaches(open_good)}")
    kinds = sorted((x.get("kind"), x.get("correlation_id")) for x in inbox.alerts)
    check("SNS: the alerts are the two breaches, each once (phase 1 not read again after the restore)",
          kinds == [("breach", open_bad), ("breach", p1_bad)], f"got {kinds}")
    rows = lead_rows(db)
    check("lead_times: exactly the five completed cases", sorted(rows) == sorted(
        [p1_good, p1_bad, open_good, open_bad, p2_new]), f"got {sorted(rows)}")
    timings["phase 2: restore to checked rows and alert"] = time.monotonic() - t
    failures2, restarts2 = flink.failures(job2), flink.restarts(job2)
    check("second job: no failure and no restart", not failures2 and not restarts2,
          f"restarts {restarts2}, exceptions {failures2[:3]}")
    status, _ = http("PATCH", f"{flink.base}/jobs/{job2}?mode=cancel")
    check("second job cancelled", status == 202, f"answered {status}")
    return True


if __name__ == "__main__":
    sys.exit(main())
