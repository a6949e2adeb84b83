"""Restart time of the local Argus after kill -9, with a log of N events folded (docs/reliability.md, "kill -9").

Starts `java -jar argus.jar local` on a fresh data directory, posts N events (batches of 1,000 jobs of 10 events,
NDJSON of 1,000 events, 4 senders), waits until they are folded, then kills Argus with SIGKILL three times and
prints how long each restart took until /readyz answers 200. Before the kills it waits (up to 5 minutes) for the
registry's class-data archive, which a local Argus writes once in the background after its first start. Standard
library only.

    python3 bench/scripts/restart_after_kill.py query-service/target/argus.jar /tmp/argus-restart 18282 19292 1000000
"""
import http.client, json, os, signal, subprocess, sys, time, threading
JAR, DATA, HTTP, KPORT, EVENTS = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
env = dict(os.environ, ARGUS_DATA_DIR=DATA, ARGUS_HTTP_PORT=str(HTTP), ARGUS_EMBEDDED_KAFKA_PORT=str(KPORT))
log = open(DATA + ".log", "ab")
def start(): return subprocess.Popen(["java", "-jar", JAR, "local"], env=env, stdout=log, stderr=log)
def req(method, path, body=None, conn=None):
    c = conn or http.client.HTTPConnection("127.0.0.1", HTTP, timeout=60)
    try:
        c.request(method, path, body=body)
        r = c.getresponse(); data = r.read(); return r.status, data
    except Exception as e:
        return None, str(e)
    finally:
        if conn is None: c.close()
def await_ready(p, t0, limit=600):
    while True:
        s, _ = req("GET", "/readyz")
        if s == 200: return time.time() - t0
        if p.poll() is not None: sys.exit("exited")
        if time.time() - t0 > limit: sys.exit("not ready")
        time.sleep(0.1)
JOBS_PER_BATCH, PER_JOB = 1000, 10
def batch_events(b):
    out = [{"type": "batch_start", "batch_id": f"big-{b}", "event_id": f"big-{b}-s", "n_total": JOBS_PER_BATCH, "source_project": "p", "experiment_type": "e", "command": "c"}]
    for j in range(JOBS_PER_BATCH):
        out.append({"type": "job_start", "batch_id": f"big-{b}", "job_id": f"j{j}", "attempt": 1, "event_id": f"big-{b}-{j}-s"})
        for st in range(PER_JOB - 2):
            out.append({"type": "job_progress", "batch_id": f"big-{b}", "job_id": f"j{j}", "attempt": 1, "step": st, "metrics": {"loss": 1.0 / (st + 1)}, "event_id": f"big-{b}-{j}-p{st}"})
        out.append({"type": "job_done", "batch_id": f"big-{b}", "job_id": f"j{j}", "attempt": 1, "metrics": {"mae": 0.1}, "event_id": f"big-{b}-{j}-d"})
    return out
p = start(); t0 = time.time(); print(f"first start ready after {await_ready(p, t0):.1f} s", flush=True)
batches = max(1, EVENTS // (JOBS_PER_BATCH * PER_JOB))
def sender(bs):
    conn = http.client.HTTPConnection("127.0.0.1", HTTP, timeout=60)
    for b in bs:
        evs = batch_events(b)
        for i in range(0, len(evs), 1000):
            body = "\n".join(json.dumps(e) for e in evs[i:i + 1000])
            while req("POST", "/api/events", body, conn)[0] != 200:
                time.sleep(0.2); conn = http.client.HTTPConnection("127.0.0.1", HTTP, timeout=60)
t0 = time.time()
ths = [threading.Thread(target=sender, args=(list(range(k, batches, 4)),)) for k in range(4)]
[t.start() for t in ths]; [t.join() for t in ths]
print(f"posted {batches * JOBS_PER_BATCH * PER_JOB} events in {time.time() - t0:.1f} s", flush=True)
def all_done():
    s, d = req("GET", f"/api/batches/big-{batches - 1}")
    return s == 200 and json.loads(d)["job_counts"]["done"] == JOBS_PER_BATCH
while not all_done(): time.sleep(1)
print(f"folded after {time.time() - t0:.1f} s", flush=True)
# A user whose log holds a million events has run Argus long enough for the registry's class-data archive
# (written once, in the background) to exist: wait for it, so the kills measure that steady state.
t0 = time.time()
archives = lambda: [f for f in os.listdir(os.path.join(DATA, "registry")) if f.endswith(".jsa")]
while not archives() and time.time() - t0 < 300: time.sleep(1)
print(f"registry class-data archive {'written' if archives() else 'NOT written'} after {time.time() - t0:.1f} s more",
      flush=True)
for k in range(3):
    time.sleep(3)
    p.send_signal(signal.SIGKILL); p.wait()
    t0 = time.time(); p = start()
    ready = await_ready(p, t0)
    body = json.dumps({"type": "heartbeat", "batch_id": "big-0", "event_id": f"probe-{k}-{time.time()}"})
    while req("POST", "/api/events", body)[0] != 200: time.sleep(0.1)
    print(f"kill {k + 1}: ready after {ready:.1f} s", flush=True)
p.send_signal(signal.SIGTERM); p.wait()
