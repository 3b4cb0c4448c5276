#!/usr/bin/python3
"""The console's wizard at 1,000,000 rows, through the HTTP API as the browser calls it: upload,
check (until checked), one poll, a page of issues, one fix (until checked again), execute with
the e-learning accounts (until done with its report), the report's download; and the server's
peak memory. One run of `roster serve` on a copy of the 1,000,000-user benchmark database
(scripts/bench-delete.sh makes bench/out/bench-1m.db; bench/generate.py makes the files).

Works against a Roster whose checks run in the request (before issue 13: validate answers 200
when checked) and one whose checks run in the background (202, then polled), so that one script
measures before and after.

usage: wizard_bench.py ROSTER_BINARY [LABEL]   prints one markdown table column as "step|seconds"
"""
import http.client
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "bench", "out")
FILE = os.path.join(OUT, "staff-1m-typo.xlsx")
TYPO_ROW = 500_001
PASSWORD = "bench-password-123"


class Client:
    def __init__(self, port):
        self.port = port
        self.cookie = ""
        self.csrf = ""

    def call(self, method, path, body=None, headers=None, content_type="application/json"):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
        all_headers = {"Cookie": self.cookie, "X-CSRF-Token": self.csrf}
        if body is not None:
            all_headers["Content-Type"] = content_type
        all_headers.update(headers or {})
        connection.request(method, path, body=body, headers=all_headers)
        response = connection.getresponse()
        data = response.read()
        connection.close()
        return response.status, data, response

    def json(self, method, path, payload=None, headers=None):
        body = None if payload is None else json.dumps(payload).encode()
        status, data, _ = self.call(method, path, body, headers)
        return status, (json.loads(data) if data else None)


def peak_rss_mb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) // 1024
    return 0


def main():
    roster = sys.argv[1]
    if not (os.path.exists(os.path.join(OUT, "bench-1m.db")) and os.path.exists(FILE)):
        sys.exit("run scripts/bench-delete.sh first (bench/out/bench-1m.db), and "
                 "bench/generate.py bench/out (staff-1m-typo.xlsx)")
    work = tempfile.mkdtemp()
    shutil.copy(os.path.join(OUT, "bench-1m.db"), os.path.join(work, "run.db"))
    env = dict(os.environ, ROSTER_ADMIN_PASSWORD=PASSWORD)
    out = open(os.path.join(work, "out"), "w+")
    server = subprocess.Popen([roster, "--db", f"sqlite:{work}/run.db", "serve", "--listen",
                               "127.0.0.1:0", "--data-dir", os.path.join(work, "data")],
                              stdout=out, stderr=subprocess.DEVNULL, env=env)
    try:
        text = ""
        for _ in range(600):
            out.seek(0)
            text = out.read()
            if "listening" in text:
                break
            time.sleep(0.1)
        port = int(re.search(r"http://127\.0\.0\.1:(\d+)", text).group(1))
        owner = re.search(r"owner (\S+)", text).group(1)
        client = Client(port)
        status, data, response = client.call(
            "POST", "/api/v1/session",
            json.dumps({"email": owner, "password": PASSWORD}).encode())
        client.cookie = response.getheader("Set-Cookie").split(";")[0]
        client.csrf = json.loads(data)["csrf_token"]
        rows = []

        def timed(label, action):
            start = time.monotonic()
            result = action()
            rows.append((label, time.monotonic() - start))
            return result

        def await_checked(job_id):
            while True:
                _, job = client.json("GET", f"/api/v1/imports/{job_id}")
                if job["state"] != "checking":
                    return job
                time.sleep(0.1)

        boundary = uuid.uuid4().hex
        with open(FILE, "rb") as f:
            content = f.read()
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"mode\"\r\n\r\ndelete\r\n"
                f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
                f"filename=\"staff-1m-typo.xlsx\"\r\nContent-Type: application/octet-stream\r\n"
                f"\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()

        def upload():
            status, data, _ = client.call("POST", "/api/v1/imports", body,
                                          content_type=f"multipart/form-data; boundary={boundary}")
            assert status == 201, data[:300]
            return json.loads(data)

        job = timed(f"upload ({len(content) / 1e6:.0f} MB xlsx)", upload)
        job_id = job["id"]

        def check():
            status, answer = client.json("POST", f"/api/v1/imports/{job_id}/validate", {})
            assert status in (200, 202), answer
            return answer if status == 200 else await_checked(job_id)

        job = timed("check every row (until checked)", check)
        assert job["state"] == "mapped" and job["counts"]["errors"] == 1, job["counts"]

        polls = []
        for _ in range(20):
            start = time.monotonic()
            client.json("GET", f"/api/v1/imports/{job_id}")
            polls.append(time.monotonic() - start)
        rows.append(("one poll of the job (median of 20)", statistics.median(polls)))
        timed("a page of issues", lambda: client.json(
            "GET", f"/api/v1/imports/{job_id}/issues?offset=0&limit=20"))

        _, issues = client.json("GET", f"/api/v1/imports/{job_id}/issues?offset=0&limit=20")
        typo = next(i for i in issues["issues"] if i["row"] == TYPO_ROW)
        fixed_value = typo["value"].replace("@exmaple.com", "@example.com")

        def fix():
            status, answer = client.json("POST", f"/api/v1/imports/{job_id}/fixes",
                                         {"row": TYPO_ROW, "value": fixed_value},
                                         {"If-Match": f"\"{job.get('version', 0)}\""})
            assert status == 200, answer
            return await_checked(job_id)

        job = timed("one fix (until checked again)", fix)
        assert job["state"] == "validated", job["counts"]

        def execute():
            status, answer = client.json(
                "POST", f"/api/v1/imports/{job_id}/execute", {"delete_elearning_accounts": True},
                {"If-Match": f"\"{job.get('version', 0)}\""})
            assert status == 202, answer
            while True:
                _, done = client.json("GET", f"/api/v1/imports/{job_id}")
                if done["state"] in ("done", "interrupted", "failed") and (
                        done["state"] != "done" or done["report_available"]):
                    return done
                time.sleep(0.1)

        done = timed("execute (until done, report written)", execute)
        assert done["state"] == "done" and done["counts"]["deleted"] == 1_000_000, done

        def report():
            status, data, _ = client.call("GET", f"/api/v1/imports/{job_id}/report?format=xlsx")
            assert status == 200
            return len(data)

        timed("download the report (xlsx)", report)
        rows.append(("server peak resident memory (MB)", peak_rss_mb(server.pid)))
        for label, value in rows:
            print(f"{label}|{value:.3f}" if isinstance(value, float) else f"{label}|{value}")
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
